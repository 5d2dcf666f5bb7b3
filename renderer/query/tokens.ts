// Tokenises a query for display: colours in the query bar, the word under the cursor for completion, and the
// terms to highlight in messages. Validation is the engine's (and shared/query's) job; this only has to agree with
// the language on where tokens start and end, and must never throw.

export type TokenKind =
  'space' | 'paren' | 'operator' | 'field' | 'compare' | 'value' | 'term' | 'phrase' | 'regex';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** For field/compare/value tokens: the field name the token belongs to. */
  field?: string;
  /** A quote or slash left open. */
  unterminated?: boolean;
  /** Preceded by `-` or NOT: excluded from highlighting. */
  negated?: boolean;
}

const FIELD_RE = /^([A-Za-z_@][\w.@-]*?)(:|>=|<=|>|<|=)/;
const OPERATORS = new Set(['OR', 'AND', 'NOT']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let negateNext = false;
  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}) =>
    tokens.push({ kind, start, end, text: text.slice(start, end), ...extra });

  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      push('space', i, j);
      i = j;
      continue;
    }
    if (c === '(' || c === ')') {
      push('paren', i, i + 1);
      i++;
      negateNext = false;
      continue;
    }
    if (c === '-' && i + 1 < text.length && !/[\s)]/.test(text[i + 1])) {
      push('operator', i, i + 1);
      negateNext = true;
      i++;
      continue;
    }
    const negated = negateNext;
    negateNext = false;
    if (c === '"') {
      const end = closing(text, i, '"');
      push('phrase', i, end.end, { unterminated: !end.closed, negated });
      i = end.end;
      continue;
    }
    if (c === '/') {
      const end = closing(text, i, '/');
      let j = end.end;
      while (end.closed && j < text.length && /[a-z]/.test(text[j])) j++; // flags
      push('regex', i, j, { unterminated: !end.closed, negated });
      i = j;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()]/.test(text[j])) j++;
    const word = text.slice(i, j);
    if (OPERATORS.has(word)) {
      push('operator', i, j);
      negateNext = word === 'NOT';
      i = j;
      continue;
    }
    const m = FIELD_RE.exec(word);
    if (m) {
      const field = m[1];
      const nameEnd = i + field.length;
      const opEnd = nameEnd + m[2].length;
      push('field', i, nameEnd, { field });
      push('compare', nameEnd, opEnd, { field });
      let valueEnd = j;
      if (text[opEnd] === '"') {
        const end = closing(text, opEnd, '"');
        valueEnd = end.end;
        push('value', opEnd, valueEnd, { field, unterminated: !end.closed, negated });
      } else if (opEnd < j) {
        push('value', opEnd, j, { field, negated });
      }
      i = Math.max(valueEnd, opEnd);
      continue;
    }
    push('term', i, j, { negated });
    i = j;
  }
  return tokens;
}

/** The index just past the closing quote (backslash escapes it), or the end of the text when left open. */
function closing(text: string, start: number, quote: string): { end: number; closed: boolean } {
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === quote) return { end: j + 1, closed: true };
  }
  return { end: text.length, closed: false };
}

/** The token the cursor is in or just after (for completion), or null between tokens. */
export function tokenAt(tokens: Token[], cursor: number): Token | null {
  for (const t of tokens) if (t.kind !== 'space' && t.start < cursor && cursor <= t.end) return t;
  return null;
}
