// A hand-written scanner for Apache/nginx access lines, about twice as fast as the regular expressions it replaced
// (no match array, no capture strings beyond the fields the event keeps). It accepts exactly the lines they did:
//
//   HEAD     = ^(\S{1,255}) (\S{1,128}) (\S{1,255}) \[(\d{2})/([A-Z][a-z]{2})/(\d{4}):(\d{2}):(\d{2}):(\d{2})
//              (?:\.(\d{1,6}))? ?([+-]\d{4})?\] "((?:[^"\\]|\\.){0,65536})" (\d{3}) (\d{1,15}|-)
//   common   = HEAD(?: (\d{1,9}(?:\.\d{1,6})?))?$
//   combined = HEAD "(quoted)" "(quoted)"(?: (\d{1,9}(?:\.\d{1,6})?))?     (no end anchor: trailing text is ignored)
//   request  = ^([A-Z]{1,16}) (\S+)(?: (\S+))?$                             (applied to the raw request text)
//
// Every piece of that grammar is deterministic (a token ends at the first character it cannot contain), so a
// single left-to-right pass with the same length limits gives the same answer as the backtracking regex. `\S` and
// `.` keep their JavaScript meaning: Unicode white space, and any UTF-16 unit except a line terminator.
import { isJsSpace } from '../../../../shared/words.ts';
import { MONTHS } from '../time-zone.ts';

/**
 * Lines are copied into a UTF-16 unit array before scanning: indexing it costs a fraction of charCodeAt on the
 * sliced strings that line splitting produces. Lines up to this many units reuse one buffer.
 */
const BUFFER_UNITS = 4096;
/**
 * Zero units kept after the line. The scanner reads at most three units past the last one it accepted (a year's
 * four digits after its `/`, a zone's four digits after its sign, a status's closing space after the space before
 * it), and a zero unit is none of the characters the grammar expects, so those reads need no bounds test.
 */
const PAD = 4;

/** Most units (a plain character or a backslash escape) a quoted part may hold. */
const MAX_QUOTED_UNITS = 65536;

/** What the first, second and third fraction digit are worth in milliseconds. */
const DIGIT_WEIGHT_MS = [100, 10, 1];

/** Whether `c` is a line terminator, the units a regex `.` does not match. */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** Value of the two digits at p, or -1. */
function twoDigits(codes: Uint16Array, p: number): number {
  const a = codes[p] - 48;
  const b = codes[p + 1] - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** End of the `\S` run starting at p, looking no further than `limit`. */
function tokenEnd(codes: Uint16Array, p: number, limit: number): number {
  while (p < limit && !isJsSpace(codes[p])) p++;
  return p;
}

/**
 * Month number by `[A-Z][a-z]{2}` name (index (A-Z)*676 + (a-z)*26 + (a-z)), 0 for a name that is not a month:
 * the same answers as a `MONTHS[name]` lookup, from the same table.
 */
const MONTH_BY_NAME = new Uint8Array(26 * 26 * 26);
for (const [name, month] of Object.entries(MONTHS)) {
  const [a, b, c] = [name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(2)];
  if (name.length === 3 && isUpper(a) && isLower(b) && isLower(c))
    MONTH_BY_NAME[(a - 65) * 676 + (b - 97) * 26 + (c - 97)] = month;
}

/**
 * Positions and values of one scanned line. One instance is reused for every line of a source: scan() overwrites
 * all of it, and the parser copies out what the event needs.
 */
export class AccessScan {
  clientEnd = 0;
  userStart = 0;
  userEnd = 0;
  year = 0;
  /** 1-12, or 0 when the month name (which has the `Mon` shape) is not a known month. */
  month = 0;
  day = 0;
  hour = 0;
  minute = 0;
  second = 0;
  ms = 0;
  /** Minutes east of UTC from the `+hhmm` zone, or null without one. */
  offset: number | null = null;
  reqStart = 0;
  reqEnd = 0;
  /** Request split as `METHOD path [protocol]`: methodEnd is -1 when the request does not split. */
  methodEnd = -1;
  pathEnd = 0;
  /** Start of the protocol, or -1 when the request has only method and path. */
  protocolStart = -1;
  status = 0;
  bytes = 0;
  refererStart = 0;
  refererEnd = 0;
  agentStart = 0;
  agentEnd = 0;
  /** The trailing request time, or -1 when absent (a request time is never negative). */
  requestTime = -1;
  /** Next backslash at or after the current quoted part (-1: none left): lines rarely have one. */
  private backslash = -1;
  private readonly buffer = Buffer.allocUnsafeSlow(2 * (BUFFER_UNITS + PAD));
  private readonly units = new Uint16Array(this.buffer.buffer, this.buffer.byteOffset, BUFFER_UNITS + PAD);

  /** The line's UTF-16 units followed by PAD zeros; a longer line gets an array of its own for this call. */
  private load(line: string): Uint16Array {
    const n = line.length;
    let buffer = this.buffer;
    let codes = this.units;
    if (n > BUFFER_UNITS) {
      buffer = Buffer.allocUnsafeSlow(2 * (n + PAD));
      codes = new Uint16Array(buffer.buffer, buffer.byteOffset, n + PAD);
    }
    buffer.write(line, 0, 2 * n, 'utf16le');
    codes[n] = 0;
    codes[n + 1] = 0;
    codes[n + 2] = 0;
    codes[n + 3] = 0;
    return codes;
  }

  /** Reads one line; false when it is not a common (or, with `combined`, combined) access line. */
  scan(line: string, combined: boolean): boolean {
    const n = line.length;
    const codes = this.load(line);
    // client ident user [
    const clientEnd = tokenEnd(codes, 0, Math.min(n, 255));
    if (clientEnd === 0 || codes[clientEnd] !== 32) return false;
    const identStart = clientEnd + 1;
    const identEnd = tokenEnd(codes, identStart, Math.min(n, identStart + 128));
    if (identEnd === identStart || codes[identEnd] !== 32) return false;
    const userStart = identEnd + 1;
    const userEnd = tokenEnd(codes, userStart, Math.min(n, userStart + 255));
    if (userEnd === userStart || codes[userEnd] !== 32 || codes[userEnd + 1] !== 91) return false;
    this.clientEnd = clientEnd;
    this.userStart = userStart;
    this.userEnd = userEnd;
    let p = this.scanTime(codes, userEnd + 2);
    if (p < 0) return false;
    // "request" status bytes
    if (codes[p] !== 32 || codes[p + 1] !== 34) return false;
    this.backslash = line.indexOf('\\', p + 2);
    const reqEnd = this.quotedEnd(line, codes, p + 2, n);
    if (reqEnd < 0) return false;
    this.reqStart = p + 2;
    this.reqEnd = reqEnd;
    p = reqEnd + 1;
    if (codes[p] !== 32 || codes[p + 4] !== 32) return false;
    const s0 = codes[p + 1];
    const s1 = twoDigits(codes, p + 2);
    if (!isDigit(s0) || s1 < 0) return false;
    this.status = (s0 - 48) * 100 + s1;
    p += 5;
    if (codes[p] === 45) {
      this.bytes = 0;
      p++;
    } else {
      const start = p;
      let v = 0;
      // 15 digits stay below 2^53, so the running value is exact, like Number() of the digits.
      for (let c = codes[p]; isDigit(c); c = codes[++p]) v = v * 10 + (c - 48);
      if (p === start || p - start > 15) return false;
      this.bytes = v;
    }
    if (combined) {
      if (codes[p] !== 32 || codes[p + 1] !== 34) return false;
      const refEnd = this.quotedEnd(line, codes, p + 2, n);
      if (refEnd < 0) return false;
      if (codes[refEnd + 1] !== 32 || codes[refEnd + 2] !== 34) return false;
      const agentEnd = this.quotedEnd(line, codes, refEnd + 3, n);
      if (agentEnd < 0) return false;
      this.refererStart = p + 2;
      this.refererEnd = refEnd;
      this.agentStart = refEnd + 3;
      this.agentEnd = agentEnd;
      p = agentEnd + 1;
      // Unanchored and greedy: the longest `\d{1,9}(\.\d{1,6})?` after a space, whatever follows it.
      this.requestTime = -1;
      if (codes[p] === 32) this.scanRequestTime(line, codes, p + 1);
    } else if (p === n) {
      this.requestTime = -1;
    } else {
      // Anchored: the request time must be the whole rest of the line.
      if (codes[p] !== 32) return false;
      if (this.scanRequestTime(line, codes, p + 1) !== n) return false;
    }
    this.splitRequest(codes);
    return true;
  }

  /** `dd/Mon/yyyy:hh:mm:ss[.f{1,6}][ ][+-hhmm]]` at p; the index after `]`, or -1. */
  private scanTime(codes: Uint16Array, p: number): number {
    const day = twoDigits(codes, p);
    if (day < 0 || codes[p + 2] !== 47) return -1;
    const m0 = codes[p + 3];
    const m1 = codes[p + 4];
    const m2 = codes[p + 5];
    if (!isUpper(m0) || !isLower(m1) || !isLower(m2)) return -1;
    if (codes[p + 6] !== 47) return -1;
    const y0 = twoDigits(codes, p + 7);
    const y1 = twoDigits(codes, p + 9);
    if (y0 < 0 || y1 < 0 || codes[p + 11] !== 58) return -1;
    const hour = twoDigits(codes, p + 12);
    if (hour < 0 || codes[p + 14] !== 58) return -1;
    const minute = twoDigits(codes, p + 15);
    if (minute < 0 || codes[p + 17] !== 58) return -1;
    const second = twoDigits(codes, p + 18);
    if (second < 0) return -1;
    p += 20;
    let ms = 0;
    if (codes[p] === 46) {
      // Milliseconds are the first three fraction digits, zero-padded (fractionMs).
      const fracStart = ++p;
      for (let c = codes[p]; isDigit(c); c = codes[++p]) {
        if (p - fracStart < 3) ms += (c - 48) * DIGIT_WEIGHT_MS[p - fracStart];
      }
      if (p === fracStart || p - fracStart > 6) return -1;
    }
    if (codes[p] === 32) p++;
    let offset: number | null = null;
    const sign = codes[p];
    if (sign === 43 || sign === 45) {
      const hh = twoDigits(codes, p + 1);
      const mm = twoDigits(codes, p + 3);
      if (hh < 0 || mm < 0) return -1;
      // Same expression as before, so `-0000` still gives -0.
      offset = (sign === 45 ? -1 : 1) * (hh * 60 + mm);
      p += 5;
    }
    if (codes[p] !== 93) return -1;
    this.day = day;
    this.month = MONTH_BY_NAME[(m0 - 65) * 676 + (m1 - 97) * 26 + (m2 - 97)];
    this.year = y0 * 100 + y1;
    this.hour = hour;
    this.minute = minute;
    this.second = second;
    this.ms = ms;
    this.offset = offset;
    return p + 1;
  }

  /** Index of the `"` closing the quoted part that starts at p, or -1 (unterminated, bad escape, too long). */
  private quotedEnd(line: string, codes: Uint16Array, p: number, n: number): number {
    const quote = line.indexOf('"', p);
    if (quote < 0) return -1;
    if (this.backslash < 0 || this.backslash > quote) return quote - p <= MAX_QUOTED_UNITS ? quote : -1;
    // Escapes before the quote: walk unit by unit; an escaped `"` does not close the part.
    let units = 0;
    while (p < n) {
      const c = codes[p];
      if (c === 34) {
        if (this.backslash >= 0 && this.backslash < p) this.backslash = line.indexOf('\\', p);
        return p;
      }
      if (units === MAX_QUOTED_UNITS) return -1;
      if (c === 92) {
        if (p + 1 >= n || isLineTerminator(codes[p + 1])) return -1;
        p += 2;
      } else {
        p++;
      }
      units++;
    }
    return -1;
  }

  /** `\d{1,9}(\.\d{1,6})?` at p, greedy, into requestTime; the index after it, or -1 without a digit at p. */
  private scanRequestTime(line: string, codes: Uint16Array, p: number): number {
    const start = p;
    let v = 0;
    for (let c = codes[p]; isDigit(c) && p - start < 9; c = codes[++p]) v = v * 10 + (c - 48);
    if (p === start) return -1;
    if (codes[p] === 46 && isDigit(codes[p + 1])) {
      const fracStart = ++p;
      while (isDigit(codes[p]) && p - fracStart < 6) p++;
      // A decimal fraction is parsed by Number() so it rounds exactly as before.
      this.requestTime = Number(line.slice(start, p));
    } else {
      this.requestTime = v;
    }
    return p;
  }

  /** `METHOD path[ protocol]` over the whole request text, else methodEnd = -1. */
  private splitRequest(codes: Uint16Array): void {
    const start = this.reqStart;
    const end = this.reqEnd;
    this.methodEnd = -1;
    let p = start;
    while (p < end && isUpper(codes[p])) p++;
    if (p === start || p - start > 16 || p >= end || codes[p] !== 32) return;
    const methodEnd = p;
    const pathEnd = tokenEnd(codes, p + 1, end);
    if (pathEnd === p + 1) return;
    if (pathEnd === end) {
      this.protocolStart = -1;
    } else {
      if (codes[pathEnd] !== 32) return;
      if (pathEnd + 1 === end || tokenEnd(codes, pathEnd + 1, end) !== end) return;
      this.protocolStart = pathEnd + 1;
    }
    this.methodEnd = methodEnd;
    this.pathEnd = pathEnd;
  }
}
