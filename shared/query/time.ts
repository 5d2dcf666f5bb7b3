// Time values of `since:`, `from:` and `to:`. Times without a zone are UTC (the store keeps UTC), and a bare
// time of day means that time on the UTC day of `now`, so tests and the CLI agree whatever the machine's zone.

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/i;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses `15m`, `2h`, `1.5d` into milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
}

/**
 * The period a time value names, as `[start, end)` in ms: a date is its whole day, `10:00` its minute,
 * `10:00:05` its second; a duration (`15m`, meaning that long before now) and `now` are instants.
 * Null when the text is not a time.
 */
export function parseTimeValue(text: string, now: number): { start: number; end: number } | null {
  if (text.toLowerCase() === 'now') return { start: now, end: now };
  const ago = parseDuration(text);
  if (ago != null) return { start: now - ago, end: now - ago };
  let m = DATE_TIME.exec(text);
  if (m) return period(Number(m[1]), Number(m[2]), Number(m[3]), m[4], m[5], m[6], m[7], m[8]);
  m = TIME_OF_DAY.exec(text);
  if (m) {
    const day = new Date(now);
    return period(
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      m[1],
      m[2],
      m[3],
      m[4],
      m[5],
    );
  }
  return null;
}

function period(
  y: number,
  mo: number,
  d: number,
  hh: string | undefined,
  mi: string | undefined,
  ss: string | undefined,
  frac: string | undefined,
  zone: string | undefined,
): { start: number; end: number } | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const h = hh == null ? 0 : Number(hh);
  const min = mi == null ? 0 : Number(mi);
  const s = ss == null ? 0 : Number(ss);
  if (h > 23 || min > 59 || s > 60) return null;
  const ms = frac == null ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const start = Date.UTC(y, mo - 1, d, h, min, s, ms) - zoneOffsetMs(zone);
  const length = hh == null ? UNIT_MS.d : ss == null ? UNIT_MS.m : frac == null ? UNIT_MS.s : 1;
  return { start, end: start + length };
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}
