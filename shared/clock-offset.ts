// A source's clock offset: how far its clock was ahead of true time when it logged (negative: behind). Hosts whose
// clocks drift make a correlation timeline lie; a person who knows "web2 runs 2.5 s fast" says so once, and every
// time shown, bounded, ordered or bucketed is the logged time minus the offset. Written `+2.5s`, `-300ms`, `1m`,
// `0`; a bare number is seconds.
import type { SourceInfo } from './event.ts';

/** A century either way: a device whose clock restarted at 1970 is off by decades, not more. */
export const MAX_CLOCK_OFFSET_MS = 3_155_760_000_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const OFFSET = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h|d)?$/i;

export class ClockOffsetError extends Error {}

/** `+2.5s` → 2500; throws ClockOffsetError naming what was expected. */
export function parseClockOffset(text: string): number {
  const m = OFFSET.exec(text.trim());
  if (!m) {
    throw new ClockOffsetError(
      `expected a clock offset like +2.5s, -300ms, 1m or 0 (positive: the clock runs fast), not "${text}"`,
    );
  }
  const ms = Math.round(Number(m[2]) * UNIT_MS[(m[3] ?? 's').toLowerCase()]) * (m[1] === '-' ? -1 : 1);
  if (Math.abs(ms) > MAX_CLOCK_OFFSET_MS) {
    throw new ClockOffsetError(`a clock offset of "${text}" is more than a century`);
  }
  return ms === 0 ? 0 : ms; // no -0
}

/** 2500 → `+2.5s`, -300 → `-300ms`, 0 → `0`: what parseClockOffset reads back to the same number. */
export function formatClockOffset(ms: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  if (a % 3_600_000 === 0) return `${sign}${a / 3_600_000}h`;
  if (a % 60_000 === 0) return `${sign}${a / 60_000}m`;
  if (a >= 1000) return `${sign}${a / 1000}s`;
  return `${sign}${a}ms`;
}

/** The source's offset (0 when none was set). */
export function clockOffsetOf(source: Pick<SourceInfo, 'clockOffsetMs'> | undefined): number {
  return source?.clockOffsetMs ?? 0;
}

/** A logged time as the source's clock offset corrects it. */
export function correctedTime(
  ts: number | null,
  source: Pick<SourceInfo, 'clockOffsetMs'> | undefined,
): number | null {
  return ts == null ? null : ts - clockOffsetOf(source);
}
