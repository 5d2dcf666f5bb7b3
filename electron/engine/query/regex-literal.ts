// A text every match of a regex must contain: the longest run of literal characters (≥ 3) outside groups,
// alternation and optional parts. It becomes a cheap prefilter (`instr`, or the word index) before the JS regex.

const MIN_LITERAL = 3;
/** Escapes that stand for the character itself. */
const PUNCT_ESCAPE = /[\\^$.*+?()[\]{}|/\-,:=!<>#&~@%'"`;]/;

/** The longest required literal of a JavaScript regex source, or null when none of MIN_LITERAL characters is. */
export function requiredLiteral(source: string): string | null {
  let best: string | null = null;
  for (const l of requiredLiterals(source)) if (!best || l.length > best.length) best = l;
  return best;
}

/** Every run of MIN_LITERAL+ literal characters each match of the regex must contain. */
export function requiredLiterals(source: string): string[] {
  if (hasTopLevelAlternation(source)) return [];
  const runs: string[] = [];
  let run = '';
  const end = (): void => {
    if (run.length >= MIN_LITERAL) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length;) {
    const c = source[i];
    let lit: string | null = null;
    let next = i + 1;
    if (c === '\\') {
      const e = source[i + 1];
      if (e !== undefined && PUNCT_ESCAPE.test(e)) lit = e;
      next = escapeEnd(source, i);
    } else if (c === '(') {
      next = skipGroup(source, i);
    } else if (c === '[') {
      next = skipClass(source, i);
    } else if (
      c === '*' ||
      c === '?' ||
      c === '+' ||
      c === '{' ||
      c === '.' ||
      c === '^' ||
      c === '$' ||
      c === '|' ||
      c === ')'
    ) {
      lit = null;
    } else {
      lit = c;
    }
    // A quantifier after this atom: optional (?, *, {0…}) removes it; + or {n≥1…} keeps it but ends the run.
    const q = source[next];
    let optional = false;
    let repeated = false;
    if (q === '?' || q === '*') {
      optional = true;
      next++;
    } else if (q === '+') {
      repeated = true;
      next++;
    } else if (q === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(source.slice(next, next + 24));
      if (m) {
        if (Number(m[1]) === 0) optional = true;
        else repeated = true;
        next += m[0].length;
      }
    }
    if ((optional || repeated) && source[next] === '?') next++; // lazy
    if (lit !== null && !optional) {
      run += lit;
      if (repeated) end();
    } else end();
    i = next;
  }
  end();
  return runs;
}

function hasTopLevelAlternation(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '(') i = skipGroup(source, i) - 1;
    else if (c === '[') i = skipClass(source, i) - 1;
    else if (c === '|') return true;
  }
  return false;
}

/** Index after the group opening at i (nested groups, classes and escapes skipped). */
function skipGroup(source: string, i: number): number {
  let depth = 0;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = skipClass(source, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}

/** Index after the character class opening at i. */
function skipClass(source: string, i: number): number {
  for (i++; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === ']') return i + 1;
  }
  return source.length;
}

/** Index after the escape at i (`\\p{…}`, `\\u{…}`, `\\uXXXX`, `\\xXX`, `\\k<…>`, `\\cX`, `\\12` included). */
function escapeEnd(source: string, i: number): number {
  const e = source[i + 1];
  const close = (ch: string): number => {
    const j = source.indexOf(ch, i + 2);
    return j < 0 ? source.length : j + 1;
  };
  if ((e === 'p' || e === 'P' || e === 'u') && source[i + 2] === '{') return close('}');
  if (e === 'k' && source[i + 2] === '<') return close('>');
  if (e === 'u') return i + 6;
  if (e === 'x') return i + 4;
  if (e === 'c') return i + 3;
  if (e !== undefined && e >= '0' && e <= '9') {
    let j = i + 2;
    while (j < source.length && source[j] >= '0' && source[j] <= '9') j++;
    return j;
  }
  return i + 2;
}
