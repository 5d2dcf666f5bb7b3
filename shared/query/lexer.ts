// Cuts a query into tokens: parentheses, the keywords OR / AND / NOT, a leading `-`, and terms. A term is a bare
// word (up to whitespace or a parenthesis), a "quoted phrase", a /regex/flags, or `name:value` whose value may
// itself be quoted or a regex, so `user:"jane doe"` and `host:/web\d+/` are one token each.
import { QuerySyntaxError } from './errors.ts';

export type Token =
  | { kind: 'lparen' | 'rparen' | 'or' | 'and' | 'not' | 'minus'; start: number; end: number }
  | { kind: 'phrase'; text: string; start: number; end: number }
  | { kind: 'regex'; source: string; flags: string; start: number; end: number }
  | { kind: 'bare'; text: string; start: number; end: number }
  | { kind: 'field'; name: string; op: string; value: FieldToken; start: number; end: number };

/** The value part of `name:value`, as written. */
export type FieldToken =
  | { kind: 'bare'; text: string; start: number }
  | { kind: 'quoted'; text: string; start: number }
  | { kind: 'regex'; source: string; flags: string; start: number };

const FIELD_HEAD = /^([A-Za-z_@][\w.@-]*?)(:|>=|<=|>|<|=)/;
const REGEX_FLAGS = /^[imsu]*$/;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

function isTerminator(c: string | undefined): boolean {
  return c === undefined || isSpace(c) || c === '(' || c === ')';
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', start: i, end: i + 1 });
      i++;
    } else if (c === '-' && i + 1 < text.length && !isSpace(text[i + 1]) && text[i + 1] !== ')') {
      tokens.push({ kind: 'minus', start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      const q = readQuoted(text, i);
      tokens.push({ kind: 'phrase', text: q.text, start: i, end: q.end });
      i = q.end;
    } else if (c === '/') {
      const r = readRegex(text, i);
      if (!r || !isTerminator(text[r.end])) {
        throw new QuerySyntaxError(
          'expected /pattern/ with optional flags i m s u (a term starting with / is a regular expression; quote it to search for the text)',
          i,
        );
      }
      if (!REGEX_FLAGS.test(r.flags)) {
        throw new QuerySyntaxError(
          `expected regular expression flags among i, m, s, u, not "${r.flags}"`,
          r.end - r.flags.length,
        );
      }
      tokens.push({ kind: 'regex', source: r.source, flags: r.flags, start: i, end: r.end });
      i = r.end;
    } else {
      const t = readBareOrField(text, i);
      tokens.push(t);
      i = t.end;
    }
  }
  return tokens;
}

function readBareOrField(text: string, start: number): Token {
  let end = start;
  while (!isTerminator(text[end])) end++;
  const word = text.slice(start, end);
  if (word === 'OR' || word === 'AND' || word === 'NOT') {
    return { kind: word === 'OR' ? 'or' : word === 'AND' ? 'and' : 'not', start, end };
  }
  const head = FIELD_HEAD.exec(word);
  if (!head) return { kind: 'bare', text: word, start, end };
  const name = head[1];
  let op = head[2];
  let at = start + head[0].length;
  // Kibana's `status:>=500` reads the same as `status>=500`.
  if (op === ':') {
    const cmp = /^(>=|<=|>|<)/.exec(text.slice(at, at + 2));
    if (cmp) {
      op = cmp[1];
      at += cmp[1].length;
    }
  }
  const c = text[at];
  if (c === '"') {
    const q = readQuoted(text, at);
    return { kind: 'field', name, op, value: { kind: 'quoted', text: q.text, start: at }, start, end: q.end };
  }
  if (c === '/') {
    const r = readRegex(text, at);
    if (r && isTerminator(text[r.end]) && REGEX_FLAGS.test(r.flags)) {
      const value: FieldToken = { kind: 'regex', source: r.source, flags: r.flags, start: at };
      return { kind: 'field', name, op, value, start, end: r.end };
    }
  }
  let valueEnd = at;
  while (!isTerminator(text[valueEnd])) valueEnd++;
  if (valueEnd === at) {
    throw new QuerySyntaxError(
      `expected a value after "${text.slice(start, at)}" (quote it to search for the text)`,
      at,
    );
  }
  const value: FieldToken = { kind: 'bare', text: text.slice(at, valueEnd), start: at };
  return { kind: 'field', name, op, value, start, end: valueEnd };
}

/** Reads `"…"` from the quote at `start`; `\"` and `\\` are escapes. */
function readQuoted(text: string, start: number): { text: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      out += text[i + 1];
      i += 2;
    } else if (c === '"') {
      return { text: out, end: i + 1 };
    } else {
      out += c;
      i++;
    }
  }
  throw new QuerySyntaxError('expected a closing " to end the phrase that starts here', start);
}

/** Reads `/…/flags` from the slash at `start` (a `/` inside `[…]` or after `\` does not end it); null if open. */
function readRegex(text: string, start: number): { source: string; flags: string; end: number } | null {
  let i = start + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let end = i + 1;
      while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
      return { source: text.slice(start + 1, i), flags: text.slice(i + 1, end), end };
    }
    i++;
  }
  return null;
}
