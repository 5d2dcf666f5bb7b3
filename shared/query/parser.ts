// Recursive descent over the tokens. Precedence, loosest first: OR, then AND (explicit or implied by adjacency),
// then NOT / `-`; parentheses group.
import type { QueryNode } from './ast.ts';
import { QuerySyntaxError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { checkRegex, fieldNode, wordNode } from './terms.ts';

export interface ParseOptions {
  /** The instant `since:` and bare times are relative to (ms); defaults to Date.now(). */
  now?: number;
}

export function parseQuery(text: string, opts: ParseOptions = {}): QueryNode {
  const now = opts.now ?? Date.now();
  const tokens = tokenize(text);
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];
  const endOf = (t: Token | undefined): number => (t ? t.start : text.length);

  function parseOr(): QueryNode {
    const children = [parseAnd()];
    while (peek()?.kind === 'or') {
      const op = tokens[pos++];
      if (!startsTerm(peek())) throw expectedTerm('OR', op);
      children.push(parseAnd());
    }
    return children.length === 1 ? children[0] : group('or', children);
  }

  function parseAnd(): QueryNode {
    const children = [parseUnary()];
    for (;;) {
      const t = peek();
      if (t?.kind === 'and') {
        pos++;
        if (!startsTerm(peek())) throw expectedTerm('AND', t);
        children.push(parseUnary());
      } else if (startsTerm(t)) {
        children.push(parseUnary());
      } else {
        break;
      }
    }
    return children.length === 1 ? children[0] : group('and', children);
  }

  function parseUnary(): QueryNode {
    const t = peek();
    if (t?.kind === 'not' || t?.kind === 'minus') {
      pos++;
      if (!startsTerm(peek())) throw expectedTerm(t.kind === 'not' ? 'NOT' : '-', t);
      const child = parseUnary();
      return { type: 'not', child, start: t.start, end: child.end };
    }
    return parsePrimary();
  }

  function parsePrimary(): QueryNode {
    const t = peek();
    if (!t) throw new QuerySyntaxError('expected a term', text.length);
    pos++;
    switch (t.kind) {
      case 'lparen': {
        if (peek()?.kind === 'rparen')
          throw new QuerySyntaxError('expected a term inside the parentheses', endOf(peek()));
        const inner = parseOr();
        const close = peek();
        if (close?.kind !== 'rparen') {
          throw new QuerySyntaxError(`expected ) to close the ( at character ${t.start + 1}`, endOf(close));
        }
        pos++;
        return { ...inner, start: t.start, end: close.end };
      }
      case 'phrase':
        return { type: 'phrase', text: t.text, start: t.start, end: t.end };
      case 'regex':
        checkRegex(t.source, t.flags, t.start);
        return { type: 'regex', source: t.source, flags: t.flags, start: t.start, end: t.end };
      case 'bare':
        return wordNode(t.text, t.start, t.end);
      case 'field':
        return fieldNode(t.name, t.op, t.value, t.start, t.end, now);
      case 'rparen':
        throw new QuerySyntaxError('unexpected ) without a matching (', t.start);
      default:
        throw new QuerySyntaxError(`expected a term before ${tokenText(t)}`, t.start);
    }
  }

  function expectedTerm(after: string, op: Token): QuerySyntaxError {
    const next = peek();
    return new QuerySyntaxError(
      next ? `expected a term after ${after}, not ${tokenText(next)}` : `expected a term after ${after}`,
      next ? next.start : Math.max(op.end, text.length),
    );
  }

  function tokenText(t: Token): string {
    return text.slice(t.start, t.end);
  }

  if (tokens.length === 0) return { type: 'all', start: 0, end: text.length };
  const root = parseOr();
  const rest = peek();
  if (rest) {
    throw new QuerySyntaxError(
      rest.kind === 'rparen' ? 'unexpected ) without a matching (' : `unexpected ${tokenText(rest)}`,
      rest.start,
    );
  }
  return root;
}

function startsTerm(t: Token | undefined): boolean {
  return t !== undefined && t.kind !== 'rparen' && t.kind !== 'or' && t.kind !== 'and';
}

/** Builds an AND/OR node, flattening children of the same kind: `a (b c)` is one AND of three. */
function group(type: 'and' | 'or', children: QueryNode[]): QueryNode {
  const flat: QueryNode[] = [];
  for (const c of children) {
    if (c.type === type) flat.push(...c.children);
    else flat.push(c);
  }
  return { type, children: flat, start: children[0].start, end: children[children.length - 1].end };
}
