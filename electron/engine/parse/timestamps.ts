// The catalogue of timestamp layouts a generic line may start with (covering at least the Loghub datasets), and
// the bounded scan that finds one near the start of a line. Every regex is sticky (matched at one position) and
// free of nested quantifiers, so hostile lines cost linear time in at most LOOK_CHARS characters.
import { isoEnd, readIsoTime } from './iso-time.ts';
import { fractionMs, fullYear, MONTHS, type SourceClock } from './time-zone.ts';

export interface TimeLayout {
  readonly name: string;
  readonly example: string;
  readonly epoch: boolean;
  readonly re: RegExp;
  /** Epoch ms from a successful match (re.lastIndex is then the end of the timestamp), or null if invalid. */
  toMs(m: RegExpExecArray, clock: SourceClock): number | null;
  /**
   * A regex-free reader for the plain cases: the same ms as the regex, or undefined to let the regex decide.
   * On success the end of the timestamp is in isoEnd.at.
   */
  fast?(line: string, pos: number, clock: SourceClock): number | undefined;
}

/** How far into a line the scan looks for a timestamp's first character. */
export const LOOK_CHARS = 100;

const END = '(?![0-9A-Za-z])';
const FRAC = '(?:[.,:](\\d{1,9}))?';
// `Z`, an offset, or the zone word UTC or GMT after a space (PostgreSQL's default `log_line_prefix`); other
// zone abbreviations are ambiguous (IST, CST) and are left to the source's zone.
const ZONE = '(Z|[+-]\\d{2}:?\\d{2}| UTC| GMT)?';

function zoneMinutes(z: string | undefined): number | null {
  if (!z) return null;
  if (z === 'Z' || z === ' UTC' || z === ' GMT') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.length === 6 ? z.slice(1, 3) + z.slice(4) : z.slice(1);
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

const n = Number;

export const LAYOUTS: readonly TimeLayout[] = [
  {
    name: 'iso8601',
    example: '2015-10-18 18:01:47,978 / 2024-01-02T03:04:05.123Z',
    epoch: false,
    re: new RegExp(
      `(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?${ZONE}${END}`,
      'y',
    ),
    toMs: (m, c) =>
      c.toMs(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), fractionMs(m[7]), zoneMinutes(m[8])),
    fast: readIsoTime,
  },
  {
    name: 'ymd-slash',
    example: '2024/01/02 03:04:05',
    epoch: false,
    re: new RegExp(
      `(\\d{4})/(\\d{1,2})/(\\d{1,2})[ T:](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?${ZONE}${END}`,
      'y',
    ),
    toMs: (m, c) =>
      c.toMs(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), fractionMs(m[7]), zoneMinutes(m[8])),
  },
  {
    name: 'ymd-dotted-time',
    example: '2005-06-03-15.42.50.675872',
    epoch: false,
    re: new RegExp(`(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})\\.(\\d{2})\\.(\\d{2})(?:\\.(\\d{1,9}))?${END}`, 'y'),
    toMs: (m, c) => c.toMs(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), fractionMs(m[7]), null),
  },
  {
    name: 'compact-dash',
    example: '20171223-22:15:29:606',
    epoch: false,
    // HealthApp writes hours, minutes and seconds without padding past midnight (`20171224-0:10:5:116`).
    re: new RegExp(`(\\d{4})(\\d{2})(\\d{2})-(\\d{1,2}):(\\d{1,2}):(\\d{1,2})${FRAC}${END}`, 'y'),
    toMs: (m, c) => c.toMs(n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), fractionMs(m[7]), null),
  },
  {
    name: 'yymmdd-hhmmss',
    example: '081109 203615',
    epoch: false,
    re: new RegExp(`(\\d{2})(\\d{2})(\\d{2}) (\\d{2})(\\d{2})(\\d{2})${END}`, 'y'),
    toMs: (m, c) => c.toMs(fullYear(n(m[1])), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), 0, null),
  },
  {
    name: 'yy/mm/dd',
    example: '17/06/09 20:10:40',
    epoch: false,
    re: new RegExp(`(\\d{2})/(\\d{2})/(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?${END}`, 'y'),
    toMs: (m, c) =>
      c.toMs(fullYear(n(m[1])), n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6]), fractionMs(m[7]), null),
  },
  {
    name: 'ctime',
    example: '[Sun Dec 04 04:47:44 2005]',
    epoch: false,
    re: new RegExp(
      `[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))? (\\d{4})${END}`,
      'y',
    ),
    toMs: (m, c) => monthMs(c, n(m[7]), m[1], m[2], m[3], m[4], m[5], m[6]),
  },
  {
    name: 'month-day',
    example: 'Jun 14 15:16:01 (year optional before or after the time)',
    epoch: false,
    re: new RegExp(
      `([A-Z][a-z]{2}) {1,2}(\\d{1,2})(?: (\\d{4}))? (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?: (\\d{4})${END})?${END}`,
      'y',
    ),
    toMs: (m, c) => monthMs(c, m[3] ? n(m[3]) : m[8] ? n(m[8]) : null, m[1], m[2], m[4], m[5], m[6], m[7]),
  },
  {
    name: 'day-month-year',
    example: '02 Jan 2024 03:04:05.678 (Redis)',
    epoch: false,
    re: new RegExp(
      `(\\d{1,2}) ([A-Z][a-z]{2}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?${END}`,
      'y',
    ),
    toMs: (m, c) => monthMs(c, n(m[3]), m[2], m[1], m[4], m[5], m[6], m[7]),
  },
  {
    name: 'access-log',
    example: '10/Oct/2000:13:55:36 -0700',
    epoch: false,
    re: new RegExp(
      `(\\d{2})/([A-Z][a-z]{2})/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?: ?([+-]\\d{4}))?${END}`,
      'y',
    ),
    toMs: (m, c) => {
      const mo = MONTHS[m[2]];
      if (!mo) return null;
      return c.toMs(n(m[3]), mo, n(m[1]), n(m[4]), n(m[5]), n(m[6]), fractionMs(m[7]), zoneMinutes(m[8]));
    },
  },
  {
    name: 'mm-dd',
    example: '03-17 16:13:38.811',
    epoch: false,
    re: new RegExp(`(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?${END}`, 'y'),
    toMs: (m, c) => c.toMs(null, n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), fractionMs(m[6]), null),
  },
  {
    name: 'mm.dd',
    example: '10.30 16:49:06',
    epoch: false,
    re: new RegExp(`(\\d{2})\\.(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?${END}`, 'y'),
    toMs: (m, c) => c.toMs(null, n(m[1]), n(m[2]), n(m[3]), n(m[4]), n(m[5]), fractionMs(m[6]), null),
  },
  {
    name: 'epoch-ms',
    example: '1445144423722',
    epoch: true,
    re: new RegExp(`(1\\d{12})(?:\\.\\d{1,6})?${END}`, 'y'),
    toMs: (m) => n(m[1]),
  },
  {
    name: 'epoch-s',
    example: '1117838570 (or 1117838570.123)',
    epoch: true,
    re: new RegExp(`([1-3]\\d{9})(?:\\.(\\d{1,9}))?${END}`, 'y'),
    toMs: (m) => n(m[1]) * 1000 + fractionMs(m[2]),
  },
];

function monthMs(
  c: SourceClock,
  year: number | null,
  mon: string,
  day: string,
  h: string,
  mi: string,
  s: string,
  frac: string | undefined,
): number | null {
  const mo = MONTHS[mon];
  if (!mo) return null;
  return c.toMs(year, mo, n(day), n(h), n(mi), n(s), fractionMs(frac), null);
}

/** Tries one layout at one position; on success returns ms and leaves layout.re.lastIndex at the end. */
export function matchLayoutAt(
  layout: TimeLayout,
  line: string,
  pos: number,
  clock: SourceClock,
): number | null {
  const re = layout.re;
  if (layout.fast) {
    const ms = layout.fast(line, pos, clock);
    if (ms !== undefined) {
      re.lastIndex = isoEnd.at;
      return ms;
    }
  }
  re.lastIndex = pos;
  const m = re.exec(line);
  if (!m) return null;
  const ms = layout.toMs(m, clock);
  if (ms == null || Number.isNaN(ms)) return null;
  return ms;
}

export interface FoundTime {
  layout: TimeLayout;
  ms: number;
  /** Index of the whitespace-separated token the timestamp starts in. */
  token: number;
  start: number;
  end: number;
}

/**
 * Scans token starts (line start, after whitespace, just inside `[` or `(`) within the first LOOK_CHARS chars for
 * any of the given layouts. Used for detection and for lines that do not follow their source's learned layout.
 */
export function findTimestamp(
  line: string,
  layouts: readonly TimeLayout[],
  clock: SourceClock,
): FoundTime | null {
  return scan(line, layouts, clock, null);
}

/** Every (layout, position) that reads as a timestamp near the start of the line: detection's evidence. */
export function findAllTimestamps(line: string, clock: SourceClock): FoundTime[] {
  const all: FoundTime[] = [];
  scan(line, LAYOUTS, clock, all);
  return all;
}

function scan(
  line: string,
  layouts: readonly TimeLayout[],
  clock: SourceClock,
  all: FoundTime[] | null,
): FoundTime | null {
  const limit = Math.min(line.length, LOOK_CHARS);
  let token = -1;
  let prevSpace = true;
  for (let i = 0; i < limit; i++) {
    const c = line.charCodeAt(i);
    const space = c === 32 || c === 9;
    if (space) {
      prevSpace = true;
      continue;
    }
    if (prevSpace) token++;
    const bracket = c === 91 || c === 40;
    if (prevSpace || bracket) {
      const at = bracket ? i + 1 : i;
      const d = line.charCodeAt(at);
      // Every layout starts with a digit or an upper-case letter: skip other positions cheaply.
      if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90)) {
        for (const layout of layouts) {
          const ms = matchLayoutAt(layout, line, at, clock);
          if (ms == null) continue;
          const found = { layout, ms, token, start: at, end: layout.re.lastIndex };
          if (!all) return found;
          all.push(found);
        }
      }
    }
    prevSpace = false;
  }
  return null;
}
