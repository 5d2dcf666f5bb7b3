// Literals and names in ClickHouse SQL. ClickHouse 18.16 has no query parameters over HTTP ({name:Type} came in
// 19.x), so every value the query language carries is written into the statement here, escaped.

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A string literal: backslash and quote escaped, and the control characters that could confuse a log reader. */
export function quoteString(s: string): string {
  return "'" + s.replace(/[\\'\0\n\r\t]/g, (c) => ESCAPES[c]) + "'";
}

/** A name in backquotes (database names are checked by url.ts; this keeps any other name safe too). */
export function quoteIdent(name: string): string {
  return '`' + name.replace(/[\\`]/g, (c) => '\\' + c) + '`';
}

/** A number literal; integers stay exact, others keep every digit JavaScript prints. */
export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  return Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? String(n) : n.toExponential(16);
}
