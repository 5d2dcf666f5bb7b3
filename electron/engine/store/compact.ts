// Compaction: a live collector commits every half second, and every commit seals a small segment. Many small
// segments make every query open many files, so runs of small sealed segments are rewritten into one bigger one
// and swapped in with one atomic manifest write. The old files stay on disk for a grace period, so a reader in
// another process that read the previous manifest still finds them; they are deleted afterwards (and, were this
// process to die first, the next writer removes them as files no manifest names).
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FieldValue, LogEvent } from '../../../shared/event.ts';
import { severityFromRank } from '../../../shared/severity.ts';
import type { SealedSegment } from './segment-builder-protocol.ts';
import { SegmentWriter, type WriterHost } from './segment-writer.ts';
import type { SegmentMeta } from './types.ts';
import type { Workspace } from './workspace.ts';

export interface CompactOptions {
  /** A segment with fewer events than this is small (default 20k). */
  smallEvents?: number;
  /** Compact once at least this many small segments exist (default 8). */
  minSegments?: number;
  /** Most events one compacted segment gets (default 200k). */
  maxEvents?: number;
  /** How long replaced files stay on disk for readers that still use them (default 60 s). */
  graceMs?: number;
}

export interface CompactResult {
  replaced: number[];
  into: number;
  events: number;
}

const READ_COLUMNS =
  'ts, host, source_id, line, off, sev, raw, COALESCE(msg, substr(raw, msg_at + 1)), fields, template, anomaly';

/** The small segments a compaction would merge now, oldest first (empty when there are too few). */
export function compactionCandidates(ws: Workspace, opts: CompactOptions = {}): SegmentMeta[] {
  const small = opts.smallEvents ?? 20_000;
  const max = opts.maxEvents ?? 200_000;
  const picked: SegmentMeta[] = [];
  let events = 0;
  for (const s of ws.manifest().segments) {
    if (s.events >= small) continue;
    if (events + s.events > max) break;
    picked.push(s);
    events += s.events;
  }
  return picked.length >= (opts.minSegments ?? 8) ? picked : [];
}

/**
 * Merges the small segments into one (or returns null when there are too few). The caller must hold the
 * workspace's writer (compaction writes segments and the manifest); it may keep committing meanwhile.
 */
export async function compactSmallSegments(
  ws: Workspace,
  opts: CompactOptions = {},
): Promise<CompactResult | null> {
  const picked = compactionCandidates(ws, opts);
  if (picked.length === 0) return null;
  const sealed: SealedSegment[] = [];
  const host: WriterHost = {
    dir: ws.dir,
    allocateSegmentId: () => ws.allocateSegmentId(),
    segmentPath: (id) => ws.segmentPath(id),
    sourceRows: () => ws.sourceRows(),
    commitSegments: async (s) => {
      sealed.push(...s);
    },
    writerClosed: () => {}, // the workspace lock belongs to the caller's writer
  };
  const writer = new SegmentWriter(host, { workers: 1, maxSegmentEvents: Number.MAX_SAFE_INTEGER });
  const reader = ws.reader();
  let events = 0;
  try {
    for (const meta of picked) {
      const batch = await reader.withSegment(meta, (db) => {
        const out: LogEvent[] = [];
        const stmt = db.prepare(`SELECT ${READ_COLUMNS} FROM ev ORDER BY id`);
        try {
          while (stmt.step()) out.push(toEvent(stmt.get() as unknown[]));
        } finally {
          stmt.free();
        }
        return out;
      });
      events += batch.length;
      await writer.append(batch);
    }
    await writer.commit();
  } finally {
    reader.close();
    await writer.close();
  }
  const replaced = picked.map((s) => s.id);
  await ws.replaceSegments(replaced, sealed);
  const files = picked.map((s) => s.file);
  const timer = setTimeout(() => void removeSegmentFiles(ws, files), opts.graceMs ?? 60_000);
  timer.unref();
  return { replaced, into: sealed[0]?.segId ?? -1, events };
}

function toEvent(row: unknown[]): LogEvent {
  const [ts, host, sourceId, line, off, sev, raw, message, fields, template, anomaly] = row;
  return {
    ts: ts as number | null,
    host: host as string | null,
    sourceId: sourceId as number,
    line: line as number | null,
    offset: off as number,
    severity: severityFromRank(sev as number | null),
    message: message as string,
    raw: raw as string,
    fields: fields ? (JSON.parse(fields as string) as Record<string, FieldValue>) : {},
    template: template as number | null,
    anomaly: anomaly as number,
  };
}

/** Deletes a segment's file and its sidecars (`NNNNNN.*`). */
async function removeSegmentFiles(ws: Workspace, files: string[]): Promise<void> {
  const dir = path.dirname(ws.segmentFilePath('x'));
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const file of files) {
    const stem = file.replace(/\.sqlite$/, '.');
    for (const name of names)
      if (name === file || name.startsWith(stem)) await unlink(path.join(dir, name)).catch(() => {});
  }
}
