// BSD syslog (RFC 3164) as files and network peers write it: `<PRI>Mmm dd hh:mm:ss host app[pid]: message`,
// also with a year before or after the time, and rsyslog's high-precision ISO 8601 variant (and journalctl's
// short-iso, whose offset has no colon).
import { severityFromSyslog } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { fractionMs, MONTHS, type SourceClock } from '../time-zone.ts';

// Groups: 1 pri, 2 month, 3 day, 4 year-before, 5 h, 6 m, 7 s, 8 frac, 9 year-after, 10 rest (host onwards).
const BSD_RE =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (\d{4}))? ([\s\S]*)/;
// Groups: 1 pri, 2 y, 3 mo, 4 d, 5 h, 6 m, 7 s, 8 frac, 9 zone, 10 rest.
const ISO_RE =
  /^(?:<(\d{1,3})>)?(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2}) ([\s\S]*)/;
const ISO_TAIL_RE = /^\S{1,255} [^\s[\]:]{1,128}(?:\[[^\]\s]{1,32}\])?: /;

/** `Z`, `+01:00` (rsyslog) or `+0100` (`journalctl -o short-iso`) in minutes east of UTC. */
function zoneMinutes(z: string): number {
  if (z === 'Z') return 0;
  const m = Number(z.slice(1, 3)) * 60 + Number(z.slice(z.length - 2));
  return z[0] === '-' ? -m : m;
}

function parsePid(s: string): FieldValue {
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= 0 ? n : s;
}

/**
 * The pid between `[` at open and `]` at close: plain digits (the usual case) are read in place, anything else
 * goes through parsePid; undefined when it is not a pid (empty, or holding a space).
 */
function readPid(line: string, open: number, close: number): FieldValue | undefined {
  const n = close - open - 1;
  if (n >= 1 && n <= 15) {
    let v = 0;
    let i = open + 1;
    for (; i < close; i++) {
      const d = line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    // Up to 15 digits stay below 2^53, so this is exactly Number(digits).
    if (i === close) return v;
  }
  const pid = line.slice(open + 1, close);
  if (pid.length === 0 || pid.includes(' ')) return undefined;
  return parsePid(pid);
}

/**
 * Reads `app[pid]: ` or `app: ` at i; returns where the message starts (i when there is no tag) and leaves the
 * fields in tag.app / tag.pid.
 */
function readTag(line: string, i: number, tag: Tag): number {
  const len = line.length;
  const limit = Math.min(len, i + 128);
  let j = i;
  let c = 0;
  while (j < limit) {
    c = line.charCodeAt(j);
    if (c === 32 || c === 58 || c === 91 || c === 93 || c === 9) break;
    j++;
  }
  if (j === i || j >= len) return i;
  let next: number;
  if (c === 58) {
    tag.app = line.slice(i, j);
    next = j + 1;
  } else if (c === 91) {
    const close = line.indexOf(']', j + 1);
    if (close < 0 || close - j > 33 || line.charCodeAt(close + 1) !== 58) return i;
    const pid = readPid(line, j, close);
    if (pid === undefined) return i;
    tag.app = line.slice(i, j);
    tag.pid = pid;
    next = close + 2;
  } else {
    return i;
  }
  return line.charCodeAt(next) === 32 ? next + 1 : next;
}

/** The tag readTag found (reused across lines: no per-line object). */
interface Tag {
  app: string | undefined;
  pid: FieldValue | undefined;
}

const MONTH_CODES = new Map<number, number>();
for (const [name, mo] of Object.entries(MONTHS)) {
  MONTH_CODES.set((name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), mo);
}

function digit(line: string, i: number): number {
  const d = line.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/**
 * The hot path for the common `Mmm dd hh:mm:ss host ...` (no PRI, no year, no fraction) with char arithmetic
 * instead of a regex. Lines of one second share their time, so the last second's result is kept.
 */
class FastBsdTime {
  private lastMonth = -1;
  private lastTime = -1;
  private lastMs: number | null = null;

  constructor(private readonly clock: SourceClock) {}

  /** Epoch ms, with the host at index 16; undefined to let the regex decide (also when toMs says invalid). */
  read(line: string): number | undefined {
    if (line.length < 17 || line.charCodeAt(3) !== 32 || line.charCodeAt(15) !== 32) return undefined;
    if (line.charCodeAt(9) !== 58 || line.charCodeAt(12) !== 58 || line.charCodeAt(6) !== 32)
      return undefined;
    const d1 = line.charCodeAt(4) === 32 ? 0 : digit(line, 4);
    const day = d1 * 10 + digit(line, 5);
    const h = digit(line, 7) * 10 + digit(line, 8);
    const mi = digit(line, 10) * 10 + digit(line, 11);
    const s = digit(line, 13) * 10 + digit(line, 14);
    if (day < 0 || h < 0 || mi < 0 || s < 0) return undefined;
    // A year right after the time (`10:00:00 2018 host`) is the regex's job.
    if (digit(line, 16) >= 0 && digit(line, 19) >= 0 && line.charCodeAt(20) === 32) return undefined;
    const month = (line.charCodeAt(0) << 16) | (line.charCodeAt(1) << 8) | line.charCodeAt(2);
    // day, h, mi, s are each 0..99: one number names the time within the month.
    const time = ((day * 100 + h) * 100 + mi) * 100 + s;
    if (month !== this.lastMonth || time !== this.lastTime) {
      const mo = MONTH_CODES.get(month);
      if (mo === undefined) return undefined;
      this.lastMs = this.clock.toMs(null, mo, day, h, mi, s, 0, null);
      this.lastMonth = month;
      this.lastTime = time;
    }
    return this.lastMs ?? undefined;
  }
}

export function createRfc3164Parser(clock: SourceClock): LineParser {
  const fast = new FastBsdTime(clock);
  const tag: Tag = { app: undefined, pid: undefined };
  return (line) => {
    let ts: number | null;
    let pri: string | undefined;
    let restStart: number;
    let m: RegExpExecArray | null;
    const fastTs = fast.read(line);
    if (fastTs !== undefined) {
      ts = fastTs;
      restStart = 16;
    } else if ((m = BSD_RE.exec(line))) {
      pri = m[1];
      const mo = MONTHS[m[2]];
      if (!mo) return null;
      const year = m[4] ?? m[9];
      ts = clock.toMs(
        year ? Number(year) : null,
        mo,
        Number(m[3]),
        Number(m[5]),
        Number(m[6]),
        Number(m[7]),
        fractionMs(m[8]),
        null,
      );
      restStart = line.length - m[10].length;
    } else {
      m = ISO_RE.exec(line);
      if (!m) return null;
      pri = m[1];
      ts = clock.toMs(
        Number(m[2]),
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
        Number(m[7]),
        fractionMs(m[8]),
        zoneMinutes(m[9]),
      );
      restStart = line.length - m[10].length;
    }
    const len = line.length;
    let i = restStart;
    let host: string | null = null;
    // The host is the first word unless that word is already the tag (`app[1]:`), as local senders omit it.
    let sp = i;
    let bracket = false;
    for (; sp < len; sp++) {
      const c = line.charCodeAt(sp);
      if (c === 32) break;
      if (c === 91) bracket = true;
    }
    if (sp > i && line.charCodeAt(sp - 1) !== 58 && !bracket) {
      host = line.slice(i, sp);
      i = sp + 1;
    }
    tag.app = undefined;
    tag.pid = undefined;
    i = readTag(line, i, tag);
    // Built in one go, keys in the order the fields always had (app, pid, facility).
    let fields: Record<string, FieldValue>;
    if (tag.app === undefined) fields = {};
    else if (tag.pid === undefined) fields = { app: tag.app };
    else fields = { app: tag.app, pid: tag.pid };
    if (pri !== undefined) fields.facility = Number(pri) >> 3;
    return {
      ts,
      host,
      severity: pri !== undefined ? severityFromSyslog(Number(pri)) : null,
      message: i >= len ? '' : i === 0 ? line : line.slice(i),
      fields,
    };
  };
}

export const syslogRfc3164: FormatDef = {
  name: 'syslog-rfc3164',
  description: 'BSD syslog: [<PRI>]Mmm dd hh:mm:ss [year] host app[pid]: message (or an ISO 8601 time)',
  multiline: true,
  test: (line) => {
    const head = line.length > 4096 ? line.slice(0, 4096) : line;
    if (BSD_RE.test(head)) return true;
    // An ISO 8601 time starts many formats: only a `host app[pid]:` after it says syslog.
    const m = ISO_RE.exec(head);
    return m != null && ISO_TAIL_RE.test(m[10]);
  },
  create: (_sample, clock) => createRfc3164Parser(clock),
};
