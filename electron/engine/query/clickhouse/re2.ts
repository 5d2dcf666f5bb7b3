// The query language's text matches as RE2 patterns for ClickHouse's match(): words, phrases, globs, and
// JavaScript regexes translated construct by construct.
//
// Words, phrases and globs mean exactly what they mean locally (query/match.ts): every class, letter and `.` is
// written out as the code points JavaScript matches (char-sets.ts). A /regex/ is translated the same way; what
// RE2 cannot do (lookaround, backreferences) is refused with a clear message rather than approximated. Remaining
// differences, by construction of RE2: `\b`/`\B` are ASCII word boundaries (with the iu flags JavaScript also
// counts ſ and K as word characters), the m flag's ^ and $ next to a spelled-out \r, U+2028 or U+2029 (see
// term()), and without the u flag a character beyond the BMP is one character (JavaScript: two halves).
import { WORD_CHAR_CLASS } from '../../../../shared/words.ts';
import { ANY, charSet, complement, re2Class, setOf } from './char-sets.ts';

export class UnsupportedRegex extends Error {
  constructor(source: string, what: string) {
    super(`/${source}/ uses ${what}, which ClickHouse's regular expressions (RE2) do not have`);
    this.name = 'UnsupportedRegex';
  }
}

/** RE2's cap on {n,m}. */
const MAX_REPEAT = 1000;

let notWordClass: string | null = null;

/** Not a word character (shared/words.ts, with the iu flags the local word regex uses). */
function notWord(): string {
  notWordClass ??= re2Class(complement(setOf(WORD_CHAR_CLASS, 'iu')));
  return notWordClass;
}

function literal(text: string, flags: string): string {
  let out = '';
  for (const ch of text) out += re2Class(charSet(ch.codePointAt(0)!, flags));
  return out;
}

/** `word` (`word*` with prefix): the text, case-insensitive, not preceded (or followed) by a word character. */
export function wordPattern(word: string, prefix: boolean): string {
  const nw = notWord();
  return `(?:^|${nw})${literal(word, 'iu')}${prefix ? '' : `(?:${nw}|$)`}`;
}

/** A case-insensitive substring (the local phraseRegex: flags iu). */
export function phrasePattern(text: string): string {
  return literal(text, 'iu');
}

/** `*` any run, `?` one character, the whole value, case-insensitive (the local globToRegex: flags isu). */
export function globPattern(pattern: string): string {
  const any = re2Class(ANY);
  let body = '';
  for (const ch of pattern) body += ch === '*' ? `${any}*` : ch === '?' ? any : literal(ch, 'isu');
  return `^(?:${body})$`;
}

/**
 * The longest run of the text that `positionCaseInsensitive` may look for in place of a case-insensitive match:
 * ASCII only, and without k or s, which the u flag also matches as K (Kelvin) and ſ. Null when under 3 long.
 */
export function foldSafeRun(text: string): string | null {
  let best = '';
  for (const run of text.split(/[^\x20-\x7e]|[ksKS]/)) if (run.length > best.length) best = run;
  return best.length >= 3 ? best : null;
}

/** Translates a JavaScript regex (flags among i m s u) to RE2 with the same matches; throws UnsupportedRegex. */
export function regexPattern(source: string, flags: string): string {
  return new Translator(source, flags).run();
}

class Translator {
  private i = 0;
  private readonly unicode: boolean;
  private readonly multiline: boolean;
  private readonly dotAll: boolean;

  constructor(
    private readonly src: string,
    private readonly flags: string,
  ) {
    this.unicode = flags.includes('u');
    this.multiline = flags.includes('m');
    this.dotAll = flags.includes('s');
  }

  run(): string {
    const out = this.disjunction();
    if (this.i < this.src.length) throw new UnsupportedRegex(this.src, `an unmatched ")"`);
    return out;
  }

  private disjunction(): string {
    const alts = [this.alternative()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts.join('|');
  }

  private alternative(): string {
    let out = '';
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')')
      out += this.term();
    return out;
  }

  private term(): string {
    const s = this.src;
    const c = s[this.i];
    if (c === '^' || c === '$') {
      this.i++;
      // With m, JavaScript's line ends are \n, \r, U+2028 and U+2029; RE2's (?m) knows only \n. The others are
      // matched as the character itself (before ^, after $), which a yes/no match cannot tell apart unless the
      // pattern also spells that character out next to the anchor (/a\r^b/m).
      if (!this.multiline) return c;
      return c === '^' ? '(?:(?m:^)|[\\x{d}\\x{2028}\\x{2029}])' : '(?:(?m:$)|[\\x{d}\\x{2028}\\x{2029}])';
    }
    if (c === '\\' && (s[this.i + 1] === 'b' || s[this.i + 1] === 'B')) {
      this.i += 2;
      return '\\' + s[this.i - 1];
    }
    if (c === '(') {
      if (s.startsWith('(?=', this.i) || s.startsWith('(?!', this.i)) throw this.unsupported('lookahead');
      if (s.startsWith('(?<=', this.i) || s.startsWith('(?<!', this.i)) throw this.unsupported('lookbehind');
      if (s.startsWith('(?:', this.i)) this.i += 3;
      else if (s.startsWith('(?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
      else this.i++;
      const inner = this.disjunction();
      if (s[this.i] !== ')') throw this.unsupported('an unclosed group');
      this.i++;
      return `(?:${inner})` + this.quantifier();
    }
    return this.atom() + this.quantifier();
  }

  private atom(): string {
    const s = this.src;
    const c = s[this.i];
    if (c === '.') {
      this.i++;
      return re2Class(this.dotAll ? ANY : setOf('.', this.flags));
    }
    if (c === '[') return re2Class(setOf(this.classText(), this.flags));
    if (c === '\\') return this.escape();
    if (c === '{' && this.quantifierAt(this.i)) throw this.unsupported('a quantifier with nothing to repeat');
    const cp = s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return this.char(cp);
  }

  private char(cp: number): string {
    return re2Class(charSet(cp, this.flags));
  }

  /** `[…]` from the current position, as written (JavaScript then says which characters it holds). */
  private classText(): string {
    const s = this.src;
    let j = this.i + 1;
    if (s[j] === '^') j++;
    while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) throw this.unsupported('an unclosed [');
    const text = s.slice(this.i, j + 1);
    this.i = j + 1;
    return text;
  }

  private escape(): string {
    const s = this.src;
    const e = s[this.i + 1];
    if (e === undefined) throw this.unsupported('a trailing \\');
    if ('dDsSwW'.includes(e)) {
      this.i += 2;
      return re2Class(setOf('\\' + e, this.flags));
    }
    if ((e === 'p' || e === 'P') && this.unicode) {
      const close = s.indexOf('}', this.i);
      const text = s.slice(this.i, close + 1);
      this.i = close + 1;
      return re2Class(setOf(text, this.flags));
    }
    if (e >= '1' && e <= '9') throw this.unsupported('a backreference');
    if (e === 'k' && s[this.i + 2] === '<') throw this.unsupported('a named backreference');
    if (e === '0') {
      if (/[0-9]/.test(s[this.i + 2] ?? '')) throw this.unsupported('an octal escape');
      this.i += 2;
      return this.char(0);
    }
    const controls: Record<string, number> = { f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (e in controls) {
      this.i += 2;
      return this.char(controls[e]);
    }
    if (e === 'c') {
      const letter = s[this.i + 2];
      if (letter && /[A-Za-z]/.test(letter)) {
        this.i += 3;
        return this.char(letter.charCodeAt(0) % 32);
      }
      // Annex B: a \c with no letter after it is a backslash followed by c.
      this.i += 2;
      return this.char(0x5c) + this.char(0x63);
    }
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(this.i + 2, this.i + 4))) {
      this.i += 4;
      return this.char(parseInt(s.slice(this.i - 2, this.i), 16));
    }
    if (e === 'u') {
      const braced = this.unicode ? /^\{([0-9a-fA-F]+)\}/.exec(s.slice(this.i + 2)) : null;
      if (braced) {
        this.i += 2 + braced[0].length;
        return this.char(parseInt(braced[1], 16));
      }
      const four = /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6));
      if (four) {
        let cp = parseInt(s.slice(this.i + 2, this.i + 6), 16);
        this.i += 6;
        if (cp >= 0xd800 && cp <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(s.slice(this.i))) {
          const low = parseInt(s.slice(this.i + 2, this.i + 6), 16);
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          this.i += 6;
        } else if (cp >= 0xd800 && cp <= 0xdfff) throw this.unsupported('a lone UTF-16 surrogate');
        return this.char(cp);
      }
    }
    // Any other escaped character stands for itself.
    const cp = s.codePointAt(this.i + 1)!;
    this.i += cp > 0xffff ? 3 : 2;
    return this.char(cp);
  }

  /** True when a quantifier `{n}`, `{n,}` or `{n,m}` starts at j (without u, another `{` is a literal). */
  private quantifierAt(j: number): boolean {
    return /^\{\d+(?:,\d*)?\}/.test(this.src.slice(j));
  }

  private quantifier(): string {
    const s = this.src;
    const c = s[this.i];
    let q: string;
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.i++;
    } else if (c === '{' && this.quantifierAt(this.i)) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i))!;
      const min = Number(m[1]);
      const max = m[3] ? Number(m[3]) : min;
      if (min > MAX_REPEAT || max > MAX_REPEAT) throw this.unsupported(`a repeat count over ${MAX_REPEAT}`);
      q = m[0];
      this.i += m[0].length;
    } else return '';
    if (s[this.i] === '?') {
      q += '?';
      this.i++;
    }
    return q;
  }

  private unsupported(what: string): UnsupportedRegex {
    return new UnsupportedRegex(this.src, what);
  }
}
