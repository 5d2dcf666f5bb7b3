// The first IPv4 address in a message, found without a regular expression (this runs on every stored line).
// It gives exactly what this loop over a regex gives:
//   re = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g
//   for (m = re.exec(s); m; m = re.exec(s)) if (every group <= 255) return m[0]
// Four dotted numbers not glued to letters, more dots or digits: 1.2.3.4 but not v1.2.3.4, 1.2.3.4.5 or 1.2.3.
// Each `\d{1,3}` is followed by a dot or by a lookahead that refuses a digit, so it can only take the whole run
// of digits where it starts: the regex never backtracks into a shorter run, and neither does this scan.

/** The first address whose four numbers are each at most 255, or null. */
export function firstIpv4(message: string): string | null {
  const len = message.length;
  // A match has a digit, a dot and a digit within its first four characters.
  let from = firstDigitDotDigit(message);
  if (from < 0) return null;
  from = Math.max(0, from - 2);
  while (from < len) {
    const start = nextStart(message, from);
    if (start < 0) return null;
    const end = matchAt(message, start);
    if (end < 0) {
      from = start + 1;
    } else if (!overflow) {
      return message.slice(start, end);
    } else {
      from = end; // a number above 255: the regex goes on after the whole match
    }
  }
  return null;
}

/** Set by matchAt: the match holds a number above 255. */
let overflow = false;

/** The index of the first digit followed by `.` and a digit, or -1. */
function firstDigitDotDigit(message: string): number {
  for (let p = message.indexOf('.', 1); p >= 0; p = message.indexOf('.', p + 1)) {
    if (isDigit(message.charCodeAt(p - 1)) && isDigit(message.charCodeAt(p + 1))) return p - 1;
  }
  return -1;
}

/** The first index at or after `from` holding a digit not preceded by a word character or a dot, or -1. */
function nextStart(message: string, from: number): number {
  for (let i = from; i < message.length; i++) {
    if (isDigit(message.charCodeAt(i)) && (i === 0 || !isWordOrDot(message.charCodeAt(i - 1)))) return i;
  }
  return -1;
}

/** Matches four dotted numbers at `start`: the end of the match, or -1. Sets `overflow`. */
function matchAt(message: string, start: number): number {
  let i = start;
  overflow = false;
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (message.charCodeAt(i) !== 46) return -1; // .
      i++;
    }
    let value = 0;
    const from = i;
    while (i < message.length && isDigit(message.charCodeAt(i)))
      value = value * 10 + message.charCodeAt(i++) - 48;
    const digits = i - from;
    if (digits === 0 || digits > 3) return -1;
    if (value > 255) overflow = true;
  }
  // (?!\w|\.\d)
  const next = message.charCodeAt(i);
  if (isWord(next) || (next === 46 && isDigit(message.charCodeAt(i + 1)))) return -1;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `\w` without the u flag: ASCII letters, digits and `_`. */
function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordOrDot(c: number): boolean {
  return c === 46 || isWord(c);
}
