// Character sets with JavaScript's meaning, written out for RE2.
//
// ClickHouse matches with RE2, whose classes and case folding differ from JavaScript's (RE2's \w, \s and \b are
// ASCII, its (?i) uses the server's Unicode tables, and ClickHouse 18.16 even prefilters a top-level (?i)
// literal case-sensitively). So nothing is left to RE2's interpretation: a class, `.`, \w or a letter under the i
// flag is turned into the exact set of code points JavaScript matches, found by asking a JavaScript RegExp, and
// written as explicit ranges. Every set is computed once per process.

/** Sorted, disjoint, inclusive code point ranges. */
export type Ranges = [number, number][];

const MAX_CP = 0x10ffff;
const SURROGATES: [number, number] = [0xd800, 0xdfff];
const cache = new Map<string, Ranges>();

/**
 * The code points `^(?:atom)$` matches with these flags, where atom matches exactly one character (a class, an
 * escape like \w or \p{L}, or a literal). Surrogate code points are never included (UTF-8 text has none).
 */
export function setOf(atom: string, flags: string): Ranges {
  const key = `${flags}\u0000${atom}`;
  let r = cache.get(key);
  if (!r) {
    r = compute(atom, flags);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, r);
  }
  return r;
}

function compute(atom: string, flags: string): Ranges {
  const unicode = flags.includes('u');
  const re = new RegExp(`^(?:${atom})$`, flags.replace(/[gmy]/g, ''));
  const ranges: Ranges = [];
  let start = -1;
  const add = (cp: number, inSet: boolean): void => {
    if (inSet && start < 0) start = cp;
    else if (!inSet && start >= 0) {
      ranges.push([start, cp - 1]);
      start = -1;
    }
  };
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (cp === SURROGATES[0]) add(cp, false);
    if (cp >= SURROGATES[0] && cp <= SURROGATES[1]) continue;
    add(cp, re.test(String.fromCharCode(cp)));
  }
  // Beyond the Basic Multilingual Plane: one test stands for all when the atom names nothing there (no property
  // escape, no \u{…}, no surrogate escape, no astral character); otherwise every code point is tried. Without
  // the u flag JavaScript sees such a character as two halves: the set then follows its first half.
  const uniform = !/\\[pP]\{|\\u\{|\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(atom);
  const testAstral = (cp: number): boolean =>
    re.test(unicode ? String.fromCodePoint(cp) : String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10)));
  if (uniform) {
    add(0x10000, testAstral(0x1f600));
  } else {
    for (let cp = 0x10000; cp <= MAX_CP; cp++) add(cp, testAstral(cp));
  }
  if (start >= 0) ranges.push([start, MAX_CP]);
  return ranges;
}

/** Every code point but the surrogates: what `.` matches with the s flag. */
export const ANY: Ranges = [
  [0, SURROGATES[0] - 1],
  [SURROGATES[1] + 1, MAX_CP],
];

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

/** One code point as RE2 text: letters and digits as themselves, everything else as \x{…}. */
export function re2Char(cp: number): string {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    ? String.fromCharCode(cp)
    : hex(cp);
}

/** A set as RE2 text: one character, a class, or a class that matches nothing. */
export function re2Class(ranges: Ranges): string {
  if (ranges.length === 0) return `[^\\x{0}-\\x{10ffff}]`;
  if (ranges.length === 1 && ranges[0][0] === ranges[0][1]) return re2Char(ranges[0][0]);
  let out = '[';
  for (const [a, b] of ranges) out += a === b ? re2Char(a) : `${re2Char(a)}-${re2Char(b)}`;
  return out + ']';
}

/** The complement of a set (surrogates stay out). */
export function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of [...ranges, [SURROGATES[0], SURROGATES[1]] as [number, number]].sort(
    (x, y) => x[0] - y[0],
  )) {
    if (a > next) out.push([next, a - 1]);
    next = Math.max(next, b + 1);
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

/** The code points JavaScript treats as this one character under the flags (itself, or its case variants with i). */
export function charSet(cp: number, flags: string): Ranges {
  // Without u, JavaScript folds case per UTF-16 unit: a character beyond the BMP has no other case.
  if (!flags.includes('i') || (cp > 0xffff && !flags.includes('u'))) return [[cp, cp]];
  // ASCII without special folds: the character and its other case, no need to ask (the common path).
  const c = String.fromCharCode(cp);
  if (cp < 0x80 && !/[ksKS]/.test(c)) {
    const lower = c.toLowerCase().charCodeAt(0);
    const upper = c.toUpperCase().charCodeAt(0);
    return lower === upper
      ? [[cp, cp]]
      : [
          [upper, upper],
          [lower, lower],
        ];
  }
  const text = String.fromCodePoint(cp);
  return setOf(text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), flags);
}
