// Wall-clock times without a zone become UTC epoch ms here. Intl.DateTimeFormat is slow, so a zone's offset is
// computed once per UTC hour and cached; the per-line work is Date.UTC arithmetic and a map lookup.

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Converts wall-clock times in one zone (IANA name or fixed `+HH:MM`) to UTC epoch milliseconds. */
export class Zone {
  readonly name: string;
  private readonly fixedOffsetMs: number | null;
  private readonly dtf: Intl.DateTimeFormat | null;
  private readonly cache = new Map<number, number>();
  private lastHour = NaN;
  private lastOffset = 0;
  // A wall-to-UTC conversion probes two hours (a day before and after the wall time): keep both hot.
  private prevHour = NaN;
  private prevOffset = 0;

  constructor(name?: string | null) {
    const zone = name || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.name = zone;
    const fixed = parseFixedOffset(zone);
    if (fixed != null) {
      this.fixedOffsetMs = fixed * 60_000;
      this.dtf = null;
      return;
    }
    this.fixedOffsetMs = null;
    try {
      this.dtf = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Paris, or +HH:MM)`);
    }
  }

  /** Offset of the zone from UTC (ms, east positive) at a UTC instant. */
  offsetAt(utcMs: number): number {
    if (this.fixedOffsetMs != null) return this.fixedOffsetMs;
    const hour = Math.floor(utcMs / HOUR);
    if (hour === this.lastHour) return this.lastOffset;
    if (hour === this.prevHour) return this.prevOffset;
    let off = this.cache.get(hour);
    if (off === undefined) {
      off = this.computeOffset(hour * HOUR);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(hour, off);
    }
    this.prevHour = this.lastHour;
    this.prevOffset = this.lastOffset;
    this.lastHour = hour;
    this.lastOffset = off;
    return off;
  }

  /**
   * UTC ms of a wall-clock time in this zone. In a fall-back overlap (a wall time that happens twice) the earlier
   * instant wins; in a spring-forward gap (a wall time that never happens) the offset in force before the change
   * is used, so 02:30 in Paris's March gap reads as 01:30 UTC. These are Python's fold=0 and JavaScript Temporal's
   * "compatible" choices.
   */
  wallToUtc(wallMs: number): number {
    if (this.fixedOffsetMs != null) return wallMs - this.fixedOffsetMs;
    // The offsets a day either side of the instant differ only near a change (no zone changes twice in two days).
    // Both probes stay within two cached hours while lines advance through one hour.
    const before = this.offsetAt(wallMs - DAY);
    const after = this.offsetAt(wallMs + DAY);
    if (before === after) return wallMs - before;
    const tBefore = wallMs - before;
    const tAfter = wallMs - after;
    const beforeValid = this.offsetAt(tBefore) === before;
    const afterValid = this.offsetAt(tAfter) === after;
    if (beforeValid && afterValid) return Math.min(tBefore, tAfter);
    if (afterValid) return tAfter;
    return tBefore;
  }

  private computeOffset(utcMs: number): number {
    const parts = this.dtf!.formatToParts(new Date(utcMs));
    const v: Record<string, number> = {};
    for (const p of parts) if (p.type !== 'literal') v[p.type] = Number(p.value);
    const asUtc = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second);
    return asUtc - (utcMs - (utcMs % 1000));
  }
}

/** `+HH:MM`, `-0530`, `Z`, `UTC` → minutes east of UTC; null when not a fixed offset. */
export function parseFixedOffset(s: string): number | null {
  if (s === 'Z' || s === 'UTC' || s === 'GMT' || s === 'Etc/UTC') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(s);
  if (!m) return null;
  const mins = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -mins : mins;
}

/**
 * Turns timestamp components into epoch ms for one source: explicit offsets are honoured, zone-less times use the
 * source's zone, and year-less times take their year from the anchor (file mtime), rolled back a year when the
 * result would lie after the anchor (a December line in a file last written in January).
 */
export class SourceClock {
  readonly zone: Zone;
  private readonly anchorMs: number;
  private readonly anchorYear: number;
  // The last date converted and its Date.UTC at midnight: the day part of most lines' conversion.
  private dayYear = NaN;
  private dayMonth = NaN;
  private dayOfMonth = NaN;
  private dayMs = 0;

  constructor(timezone: string | null | undefined, mtimeMs: number | null) {
    this.zone = new Zone(timezone);
    this.anchorMs = mtimeMs ?? Date.now();
    this.anchorYear = new Date(this.anchorMs + this.zone.offsetAt(this.anchorMs)).getUTCFullYear();
  }

  /**
   * year null = year-less; offsetMin null = zone-less. month is 1-based. Returns null for impossible values.
   */
  toMs(
    year: number | null,
    month: number,
    day: number,
    hour: number,
    minute: number,
    second: number,
    ms: number,
    offsetMin: number | null,
  ): number | null {
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60)
      return null;
    const y = year ?? this.anchorYear;
    let wall: number;
    const whole =
      (hour | 0) === hour && (minute | 0) === minute && (second | 0) === second && (ms | 0) === ms;
    if (whole && y === this.dayYear && month === this.dayMonth && day === this.dayOfMonth) {
      // Same date as an earlier line (lines come in time order): Date.UTC's day part is known, and whole hours,
      // minutes, seconds and ms add up exactly as Date.UTC adds them (integers far below 2^53).
      wall = this.dayMs + hour * HOUR + minute * 60_000 + second * 1000 + ms;
    } else {
      wall = Date.UTC(y, month - 1, day, hour, minute, second, ms);
      if (y < 100) wall = setFullYear(wall, y);
      else if (whole && y <= 9999 && (month | 0) === month && (day | 0) === day)
        this.rememberDay(y, month, day);
    }
    let t = offsetMin != null ? wall - offsetMin * 60_000 : this.zone.wallToUtc(wall);
    if (year == null && t > this.anchorMs + 2 * DAY) {
      const w2 = Date.UTC(y - 1, month - 1, day, hour, minute, second, ms);
      t = offsetMin != null ? w2 - offsetMin * 60_000 : this.zone.wallToUtc(w2);
    }
    return t;
  }

  private rememberDay(y: number, month: number, day: number): void {
    this.dayYear = y;
    this.dayMonth = month;
    this.dayOfMonth = day;
    this.dayMs = Date.UTC(y, month - 1, day);
  }
}

function setFullYear(ms: number, y: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(y);
  return d.getTime();
}

/** Two-digit years: 70..99 are 19xx, the rest 20xx. */
export function fullYear(yy: number): number {
  return yy >= 70 ? 1900 + yy : 2000 + yy;
}

export const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Fraction digits (any count) → milliseconds. */
export function fractionMs(frac: string | undefined): number {
  if (!frac) return 0;
  if (frac.length === 3) return Number(frac);
  return Math.floor(Number((frac + '000').slice(0, 3)));
}
