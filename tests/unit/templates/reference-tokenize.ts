// The string-building masker the miner used before the masked-line buffer (tokenize.ts), kept verbatim as the
// oracle its faster replacement is checked against: maskTokens must give exactly these tokens for every message.
const WILDCARD = '<*>';

const WS = 1;
const DELIM = 2;
const DIGIT = 4;
const HEXLETTER = 8;
const JOIN = 16; // . - _ join the pieces of numbers, ids and names

// One entry per UTF-16 code unit, so the scan needs no range check; non-ASCII counts as a letter.
const CLASS = new Uint8Array(65536);
for (const c of [9, 10, 11, 12, 13, 32]) CLASS[c] = WS;
for (const ch of '=:,()[]{}"\';|<>@#/&?') CLASS[ch.charCodeAt(0)] = DELIM;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (const ch of 'abcdefABCDEF') CLASS[ch.charCodeAt(0)] = HEXLETTER;
for (const ch of '.-_') CLASS[ch.charCodeAt(0)] = JOIN;

const SLASH = 47;
const MIN_HEX_RUN = 8;

// Month and weekday names are dates' variable parts; only the usual three-letter capitalised forms.
const DATE_WORDS = new Set(
  'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun'.split(' '),
);

/**
 * Tokenises `message` into `out` (reused between calls to avoid allocating per line) and returns the
 * number of tokens. Entries past the returned count are stale.
 */
export function referenceMaskTokens(message: string, out: string[]): number {
  const len = message.length;
  let n = 0;
  let i = 0;
  while (i < len) {
    let c = message.charCodeAt(i);
    if (CLASS[c] === WS) {
      i++;
      continue;
    }
    const start = i;
    let hasDigit = false;
    let hasDelim = false;
    let slashes = 0;
    let hexRun = 0;
    let hexWord = false;
    let hasLetter = false;
    for (; i < len; i++) {
      c = message.charCodeAt(i);
      const k = CLASS[c];
      if (k === 0) {
        hexRun = -1; // a non-hex character poisons the segment
        hasLetter = true;
        continue;
      }
      if (k === WS) break;
      if (k === DIGIT) {
        hasDigit = true;
      } else if (k === HEXLETTER) {
        hasLetter = true;
        if (hexRun >= 0 && ++hexRun >= MIN_HEX_RUN) hexWord = true;
      } else if (k === JOIN) {
        hexRun = -1;
      } else {
        hasDelim = true;
        if (c === SLASH) slashes++;
        hexRun = 0;
      }
    }
    const end = i;
    if (slashes >= 2) {
      out[n++] = WILDCARD;
    } else if (!hasDigit && !hexWord) {
      const tok = message.slice(start, end);
      out[n++] = end - start === 3 && DATE_WORDS.has(tok) ? WILDCARD : tok;
    } else if (!hasLetter && !hasDelim) {
      out[n++] = WILDCARD; // a number, version, IP without port, date: one variable, no rebuilding
    } else {
      out[n++] = maskSegments(message, start, end);
    }
  }
  return n;
}

/**
 * Rebuilds a token with delimiters kept and each variable piece replaced by the wildcard. Pieces are cut
 * further at `.`, `-` and `_`; a run of variable pieces joined by those becomes one wildcard, so an IP, a
 * UUID or a date is one `<*>`, while `blk_-123` keeps its `blk_-` and `node-7` its `node-`.
 */
function maskSegments(message: string, start: number, end: number): string {
  let result = '';
  let pieceStart = start;
  let inVar = false; // the result ends with a wildcard that a following variable piece may extend
  let pendingJoin = ''; // joiners seen after a wildcard, emitted only if the run ends
  for (let i = start; i <= end; i++) {
    const c = i < end ? message.charCodeAt(i) : 32;
    const delim = i === end || CLASS[c] === DELIM;
    const joiner = !delim && CLASS[c] === JOIN;
    if (!delim && !joiner) continue;
    if (i > pieceStart) {
      if (isVariable(message, pieceStart, i)) {
        if (!inVar) result += WILDCARD;
        inVar = true;
      } else {
        result += pendingJoin + message.slice(pieceStart, i);
        inVar = false;
      }
      pendingJoin = '';
    }
    if (i === end) break;
    if (joiner && inVar) pendingJoin += message[i];
    else {
      result += pendingJoin + message[i];
      pendingJoin = '';
      inVar = false;
    }
    pieceStart = i + 1;
  }
  return result + pendingJoin;
}

/**
 * A piece is a variable when it starts with a digit, is hex holding a digit, is at least half digits, or
 * is a long run of hex letters. Words with a digit inside (`A2dp`, `ssh2`, `eth0`) stay constant.
 */
function isVariable(message: string, start: number, end: number): boolean {
  let digits = 0;
  let hex = true;
  for (let i = start; i < end; i++) {
    const c = message.charCodeAt(i);
    const k = CLASS[c];
    if (k === DIGIT) digits++;
    else if (k !== HEXLETTER) hex = false;
  }
  const len = end - start;
  if (digits === 0) return hex && len >= MIN_HEX_RUN;
  const first = message.charCodeAt(start);
  return hex || (first >= 48 && first <= 57) || digits * 2 >= len;
}
