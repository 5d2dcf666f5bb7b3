// The terminal progress line for long work: a bar (when the total is known), counts, and rate.
// Drawn on stderr only when it is a terminal, so piped output stays clean.
import type { IngestProgress } from '../engine/pipeline/progress.ts';
import { formatBytes, formatCount } from '../../shared/quantities.ts';

export function renderBar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** Returns a progress callback that redraws one line on a terminal, and a function that clears it. */
export function terminalProgress(
  stream: NodeJS.WriteStream,
  totalBytes: number | null,
): { update: (p: IngestProgress) => void; clear: () => void } {
  if (!stream.isTTY) return { update: () => {}, clear: () => {} };
  const width = () => stream.columns ?? 100;
  const update = (p: IngestProgress) => {
    // Compressed inputs expand, so the byte total is an estimate: hold the bar below 100% until done.
    const bar = totalBytes ? renderBar(p.done ? 1 : Math.min(0.99, p.bytes / totalBytes)) + ' ' : '';
    const rate = `${formatCount(p.eventsPerSec)} ev/s`;
    let line = `${bar}${formatCount(p.events)} events  ${formatBytes(p.bytes)}  ${rate}  ${p.current ?? ''}`;
    if (line.length > width() - 1) line = line.slice(0, width() - 2) + '…';
    stream.write(`\r\x1b[2K${line}`);
  };
  return { update, clear: () => stream.write('\r\x1b[2K') };
}
