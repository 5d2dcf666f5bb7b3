// Words as `rg -w -i` sees them: maximal runs of word characters, compared case-insensitively.
//
// ripgrep's Unicode \w is UTS#18's: Alphabetic, marks, decimal digits, connector punctuation and the joiners
// (so `²` is not a word character while `Ⓐ`, `Ⅻ` and combining accents are). The store indexes these words and
// the renderer highlights them, so both sides cut text the same way. Pure: no Node, no DOM.

/** The regex class of a word character (use with the `u` flag). */
export const WORD_CHAR_CLASS = '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]';

const WORD_RE = new RegExp(WORD_CHAR_CLASS, 'u');
/** 1 for the ASCII word characters [0-9A-Za-z_], by code (for hot loops that inline the ASCII case). */
export const ASCII_WORD_CHARS = new Uint8Array(128);
const ASCII = ASCII_WORD_CHARS;
for (let c = 0; c < 128; c++) {
  ASCII[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;
}
/** Basic-plane answers, filled on first use: 0 unknown, 1 word, 2 not. */
const BMP = new Uint8Array(0x10000);

/** True when the code point (not a lone surrogate half) is a word character. */
export function isWordChar(code: number): boolean {
  if (code < 128) return ASCII[code] === 1;
  if (code < 0x10000) {
    let v = BMP[code];
    if (v === 0) BMP[code] = v = WORD_RE.test(String.fromCharCode(code)) ? 1 : 2;
    return v === 1;
  }
  return WORD_RE.test(String.fromCodePoint(code));
}

/** Calls fn(start, end) for every word of text, in order (UTF-16 indexes, end exclusive). */
export function forEachWord(text: string, fn: (start: number, end: number) => void): void {
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let word: boolean;
    if (c < 128) word = ASCII[c] === 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        word = isWordChar(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        if (word) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          fn(start, i);
          start = -1;
        }
        i++;
        continue;
      }
      word = false;
    } else word = c < 0xd800 || c > 0xdfff ? isWordChar(c) : false;
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      fn(start, i);
      start = -1;
    }
  }
  if (start >= 0) fn(start, n);
}

// Characters whose lowercase is not their simple case fold (what rg -i compares): mapped after toLowerCase.
const FOLD: Record<string, string> = {
  ſ: 's',
  ς: 'σ',
  ϐ: 'β',
  ϑ: 'θ',
  ϕ: 'φ',
  ϖ: 'π',
  ϰ: 'κ',
  ϱ: 'ρ',
  ϵ: 'ε',
  ẛ: 'ṡ',
  '\u1fbe': 'ι',
  '\u0345': 'ι',
};
// U+0345 is a combining mark: it is matched on its own here, as a single code point, on purpose.
// eslint-disable-next-line no-misleading-character-class
const FOLD_RE = /[ſςϐϑϕϖϰϱϵẛ\u1fbe\u0345]/g;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, NUL included
const NON_ASCII = /[^\x00-\x7f]/;

/** The case-insensitive key of a word: lowercase, with the few simple case folds lowercase misses. */
export function foldWord(word: string): string {
  const w = word.toLowerCase();
  return NON_ASCII.test(w) ? w.replace(FOLD_RE, (c) => FOLD[c]) : w;
}

/** The words of text, folded (lowercase), in order, repeats kept. */
export function wordsOf(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (s, e) => out.push(foldWord(text.slice(s, e))));
  return out;
}

/** Whether the UTF-16 unit is JavaScript's regex `\s` (ECMAScript white space or a line terminator). */
export function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return (
    c >= 0xa0 &&
    (c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff)
  );
}
