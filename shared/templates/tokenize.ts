// Splits a log message into tokens and masks the parts that are variables, in one pass over char codes.
//
// A token is a run of non-whitespace. Inside a token, delimiters (= : , ( ) [ ] { } " ' ; | < > @ # / & ?)
// cut it into segments; a segment is a variable when it contains a digit (numbers, IPs, hex ids, UUIDs,
// times, versions, block ids like blk_-123, the value of key=value) or is a long run of hex letters. Tokens
// holding two or more slashes are paths or URLs and are masked whole, as are month and weekday names
// (dates). A masked token keeps its constant parts: `rhost=10.0.0.1` becomes `rhost=<*>`.
//
// The masked line is written as UTF-16 code units into a reused buffer (MaskedLine), tokens joined by one
// space, with a hash of it: the miner looks lines up by that key (line-cache.ts) and builds token strings
// only for lines it has not seen in that form. No regular expressions and no allocation per line on that
// path: a regex or a string per token costs more than the whole lookup.

export const WILDCARD = '<*>';

// Character classes as bits, so a token's scan only ORs them together and tests them once at its end.
const WS = 1;
const DELIM = 2;
const DIGIT = 4;
const HEXLETTER = 8;
const JOIN = 16; // . - _ join the pieces of numbers, ids and names
const LETTER = 32; // any other character, non-ASCII included
const SLASHBIT = 64; // with DELIM on `/`: paths are told by their slashes

// One entry per UTF-16 code unit, so the scan needs no range check.
const CLASS = new Uint8Array(65536).fill(LETTER);
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = WS;
for (const ch of '=:,()[]{}"\';|<>@#/&?') CLASS[ch.charCodeAt(0)] = DELIM;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (const ch of 'abcdefABCDEF') CLASS[ch.charCodeAt(0)] = HEXLETTER;
for (const ch of '.-_') CLASS[ch.charCodeAt(0)] = JOIN;
const SLASH = 47;
CLASS[SLASH] = DELIM | SLASHBIT;

const SPACE = 32;
const MIN_HEX_RUN = 8;
// The wildcard's code units: < * >
const W0 = 60;
const W1 = 42;
const W2 = 62;

// Month and weekday names are dates' variable parts; only the usual three-letter capitalised forms. Keyed by
// their three ASCII code units, 7 bits each, so the check needs no string.
const DATE_WORDS = new Set(
  'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun'
    .split(' ')
    .map((w) => (w.charCodeAt(0) << 14) | (w.charCodeAt(1) << 7) | w.charCodeAt(2)),
);

/** True when the three code units at `at` spell a month or weekday name. */
function isDateWord(codes: Uint16Array, at: number): boolean {
  const a = codes[at];
  const b = codes[at + 1];
  const c = codes[at + 2];
  if (a < 65 || a > 90 || (b | c) >= 128) return false;
  return DATE_WORDS.has((a << 14) | (b << 7) | c);
}

/** One masked line, reused from line to line (its buffer grows to the longest line seen). */
export class MaskedLine {
  /** The masked tokens joined by one space, as UTF-16 code units; `length` of them are valid. */
  codes = new Uint16Array(256);
  /** The same memory as 32-bit words, for hashing and comparing two code units at a time. */
  words = new Int32Array(this.codes.buffer);
  length = 0;
  /** A 32-bit hash of codes[0, length). */
  hash = 0;
  /** Number of tokens. */
  count = 0;
  /** Per token, where a token kept as it is starts in the message; -1 for a masked one. */
  starts: Int32Array = new Int32Array(64);
}

/** Masks `message` into `line`: the masked tokens joined by one space, and their hash. */
export function maskLine(message: string, line: MaskedLine): void {
  const len = message.length;
  // A masked token is at most three times as long as its text (`1,2` becomes `<*>,<*>`), separators included,
  // and is built right after the copy of its text; one more unit pads the last word.
  if (line.codes.length < 4 * len + 4) {
    line.codes = new Uint16Array(2 * ((4 * len + 65) >> 1)); // an even length: whole words
    line.words = new Int32Array(line.codes.buffer);
  }
  const codes = line.codes;
  let starts = line.starts;
  let w = 0;
  let n = 0;
  let i = 0;
  tokens: while (i < len) {
    let c = message.charCodeAt(i);
    let k = CLASS[c];
    while (k === WS) {
      if (++i === len) break tokens;
      c = message.charCodeAt(i);
      k = CLASS[c];
    }
    if (w > 0) codes[w++] = SPACE;
    if (n === starts.length) starts = growStarts(line);
    const start = i;
    const wStart = w;
    codes[w++] = c;
    let flags = k;
    // The token's characters are copied as they are scanned: most tokens are plain words kept as they are.
    for (i++; i < len; i++) {
      c = message.charCodeAt(i);
      k = CLASS[c];
      if (k === WS) break;
      codes[w++] = c;
      flags |= k;
    }
    let whole = true; // the whole token is one variable
    if ((flags & SLASHBIT) !== 0 && twoSlashes(codes, wStart, w)) {
      // a path or URL
    } else if ((flags & DIGIT) === 0 && !hexWord(codes, wStart, w, flags)) {
      whole = i - start === 3 && isDateWord(codes, wStart);
      if (!whole) {
        starts[n++] = start; // a word, kept as it is
        continue;
      }
    } else if ((flags & (LETTER | HEXLETTER | DELIM)) !== 0) {
      whole = false; // a word with variable parts (otherwise a number, version, IP without port, date)
    }
    starts[n++] = -1;
    if (whole) {
      w = wStart;
      codes[w++] = W0;
      codes[w++] = W1;
      codes[w++] = W2;
    } else {
      // Built from the copy (typed-array reads are cheaper than charCodeAt), then moved into place; by a loop,
      // not copyWithin: tokens are short and the native call costs more than the copy.
      const built = maskSegments(codes, wStart, w);
      for (let j = w; j < built; j++) codes[wStart + j - w] = codes[j];
      w = wStart + built - w;
    }
  }
  line.length = w;
  line.count = n;
  codes[w] = 0; // pads the last word
  // MurmurHash3's 32-bit mixing over 32-bit words (two code units each).
  const words = line.words;
  const nw = (w + 1) >> 1;
  let h = nw;
  for (let j = 0; j < nw; j++) {
    let k = Math.imul(words[j], 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  line.hash = h ^ (h >>> 16);
}

function twoSlashes(codes: Uint16Array, start: number, end: number): boolean {
  let k = 0;
  for (let i = start; i < end; i++) if (codes[i] === SLASH && ++k === 2) return true;
  return false;
}

/**
 * True when a segment of the token (between delimiters) holds a run of at least MIN_HEX_RUN hex letters
 * with nothing but hex letters and digits before it in the segment: `deadbeefcafe`, `id=cafebabe00`.
 */
function hexWord(codes: Uint16Array, start: number, end: number, flags: number): boolean {
  if ((flags & HEXLETTER) === 0 || end - start < MIN_HEX_RUN) return false;
  let run = 0;
  for (let i = start; i < end; i++) {
    const k = CLASS[codes[i]];
    if (k === HEXLETTER) {
      if (run >= 0 && ++run >= MIN_HEX_RUN) return true;
    } else if ((k & DELIM) !== 0) {
      run = 0;
    } else if (k !== DIGIT) {
      // A letter or joiner poisons the segment; with no delimiter to start another, the token is done.
      if ((flags & DELIM) === 0) return false;
      run = -1;
    }
  }
  return false;
}

function growStarts(line: MaskedLine): Int32Array {
  const starts = new Int32Array(line.starts.length * 2);
  starts.set(line.starts);
  line.starts = starts;
  return starts;
}

/**
 * The tokens of `message`, masked into `line` by maskLine, as strings. Only lines the miner has not seen in this
 * masked form come here. A token kept as it is (most are) is a slice of the message: decoding the buffer costs more.
 */
export function lineTokens(message: string, line: MaskedLine, out: string[]): number {
  const codes = line.codes;
  // The masked tokens are separated by one space in the buffer.
  for (let t = 0, a = 0; t < line.count; t++) {
    let b = a;
    while (b < line.length && codes[b] !== SPACE) b++;
    const start = line.starts[t];
    out[t] = start >= 0 ? message.slice(start, start + b - a) : codesText(codes, a, b);
    a = b + 1;
  }
  return line.count;
}

function codesText(codes: Uint16Array, a: number, b: number): string {
  if (b - a === 3 && codes[a] === W0 && codes[a + 1] === W1 && codes[a + 2] === W2) return WILDCARD;
  let text = '';
  for (let j = a; j < b; j++) text += String.fromCharCode(codes[j]);
  return text;
}

const scratch = new MaskedLine();

/**
 * Tokenises `message` into `out` (reused between calls to avoid allocating per line) and returns the
 * number of tokens. Entries past the returned count are stale.
 */
export function maskTokens(message: string, out: string[]): number {
  maskLine(message, scratch);
  return lineTokens(message, scratch, out);
}

/**
 * Masks the token held in codes[start, end): writes it with delimiters kept and each variable piece replaced by
 * the wildcard at codes[end…] and returns the end of what it wrote. Pieces are cut further at `.`, `-` and `_`;
 * a run of variable pieces joined by those becomes one wildcard, so an IP, a UUID or a date is one `<*>`, while
 * `blk_-123` keeps its `blk_-` and `node-7` its `node-`.
 */
function maskSegments(codes: Uint16Array, start: number, end: number): number {
  let w = end;
  let pieceStart = start;
  // The current piece so far: its digits, and whether it is all hex digits.
  let digits = 0;
  let hex = true;
  let inVar = false; // the output ends with a wildcard that a following variable piece may extend
  // Joiners seen right after a wildcard: codes[joinFrom, joinFrom + joinLen), written only if the run ends.
  let joinFrom = 0;
  let joinLen = 0;
  for (let i = start; i <= end; i++) {
    let c = SPACE;
    let k = DELIM;
    if (i < end) {
      c = codes[i];
      k = CLASS[c];
      if ((k & (DELIM | JOIN)) === 0) {
        if (k === DIGIT) digits++;
        else if (k !== HEXLETTER) hex = false;
        continue;
      }
    }
    if (i > pieceStart) {
      if (isVariable(codes[pieceStart], i - pieceStart, digits, hex)) {
        if (!inVar) {
          codes[w++] = W0;
          codes[w++] = W1;
          codes[w++] = W2;
        }
        inVar = true;
      } else {
        for (let j = joinFrom; j < joinFrom + joinLen; j++) codes[w++] = codes[j];
        for (let j = pieceStart; j < i; j++) codes[w++] = codes[j];
        inVar = false;
      }
      joinLen = 0;
    }
    digits = 0;
    hex = true;
    if (i === end) break;
    if (k === JOIN && inVar) {
      if (joinLen === 0) joinFrom = i;
      joinLen++;
    } else {
      for (let j = joinFrom; j < joinFrom + joinLen; j++) codes[w++] = codes[j];
      codes[w++] = c;
      joinLen = 0;
      inVar = false;
    }
    pieceStart = i + 1;
  }
  for (let j = joinFrom; j < joinFrom + joinLen; j++) codes[w++] = codes[j];
  return w;
}

/**
 * A piece (its first code unit, length, digit count, and whether it is all hex digits) is a variable when it
 * starts with a digit, is hex holding a digit, is at least half digits, or is a long run of hex letters.
 * Words with a digit inside (`A2dp`, `ssh2`, `eth0`) stay constant.
 */
function isVariable(first: number, len: number, digits: number, hex: boolean): boolean {
  if (digits === 0) return hex && len >= MIN_HEX_RUN;
  return hex || (first >= 48 && first <= 57) || digits * 2 >= len;
}

/** True when a masked token holds a variable part (the tree routes such tokens to the wildcard branch). */
export function hasWildcard(token: string): boolean {
  return token === WILDCARD || token.includes(WILDCARD);
}
