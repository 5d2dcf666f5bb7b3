// Compiles a query tree into one SQL condition over the segment table `ev` (the same text for every segment).
// Words go through the FTS4 index; where the index alone cannot be exact (words with non-word or non-ASCII
// characters, phrases, regexes) a JavaScript regex registered as `fq_re(index, text)` checks the line.
import type { CompareOp, FieldValue, QueryNode, TextMatch } from '../../../shared/query/index.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import type { SqlDatabase } from './db.ts';
import { ftsMatchExpr, globToRegex, phraseFts, phraseRegex, resolveSources, wordFts, wordRegex } from './match.ts';

export interface CompiledQuery {
  /** SQL condition over `ev`. */
  where: string;
  params: unknown[];
  /** Regexes `fq_re(i, text)` tests; register them with `registerFunctions` before running. */
  regexes: RegExp[];
  /** When the whole query is a conjunction of plain words: one FTS MATCH expression that counts it exactly. */
  ftsOnly: string | null;
}

/** What the compiler needs to know about the workspace: its sources (for `source:`). */
export interface CompileContext {
  sources: SourceInfo[];
}

const ASCII = /^[\x00-\x7f]*$/;

export function compileQuery(root: QueryNode, ctx: CompileContext): CompiledQuery {
  const params: unknown[] = [];
  const regexes: RegExp[] = [];
  const re = (r: RegExp, expr: string): string => {
    regexes.push(r);
    return `fq_re(${regexes.length - 1}, ${expr})`;
  };
  const fts = (match: string): string => {
    params.push(match);
    return 'ev.id IN (SELECT docid FROM ev_fts WHERE ev_fts MATCH ?)';
  };

  // Under a NOT, a NULL (missing host, field or time) must read as false, or NOT NULL would drop the row too.
  function leaf(expr: string, negated: boolean): string {
    return negated ? `IFNULL(${expr}, 0)` : `(${expr})`;
  }

  function textMatch(m: TextMatch, column: string, negated: boolean): string {
    if (m.kind === 'regex') return leaf(re(new RegExp(m.source, m.flags), column), negated);
    if (m.kind === 'glob') return leaf(re(globToRegex(m.pattern), column), negated);
    params.push(m.value);
    return leaf(`${column} = ? COLLATE NOCASE`, negated);
  }

  function compile(node: QueryNode, negated: boolean): string {
    switch (node.type) {
      case 'all':
        return '1';
      case 'and': {
        // Plain words of one AND share a single MATCH: FTS intersects their posting lists itself.
        const words: string[] = [];
        const rest: QueryNode[] = [];
        for (const c of node.children) {
          const f = c.type === 'word' ? wordFts(c.word, c.prefix) : null;
          if (f?.exact && f.match) words.push(f.match);
          else rest.push(c);
        }
        const parts = words.length ? [fts(words.join(' '))] : [];
        for (const c of rest) parts.push(compile(c, negated));
        return `(${parts.join(' AND ')})`;
      }
      case 'or':
        return `(${node.children.map((c) => compile(c, negated)).join(' OR ')})`;
      case 'not':
        return `NOT ${compile(node.child, true)}`;
      case 'word': {
        const exact = wordFts(node.word, node.prefix);
        if (exact.exact && exact.match) return fts(exact.match);
        const check = re(wordRegex(node.word, node.prefix), 'ev.raw');
        return exact.match ? `(${fts(exact.match)} AND ${check})` : check;
      }
      case 'phrase': {
        if (node.text === '') return '1';
        // Params are pushed in the order their `?` appear: the index prefilter first.
        const pre = phraseFts(node.text);
        const prefilter = pre ? `${fts(pre)} AND ` : '';
        if (ASCII.test(node.text)) {
          params.push('%' + node.text.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
          return `(${prefilter}ev.raw LIKE ? ESCAPE '\\')`;
        }
        return `(${prefilter}${re(phraseRegex(node.text), 'ev.raw')})`;
      }
      case 'regex':
        return re(new RegExp(node.source, node.flags), 'ev.raw');
      case 'host':
        return textMatch(node.match, 'ev.host', negated);
      case 'source': {
        const ids = resolveSources(node.match, ctx.sources);
        return ids.length ? `ev.source_id IN (${ids.join(',')})` : '0';
      }
      case 'severity':
        params.push(node.rank);
        return leaf(`ev.sev ${node.op} ?`, negated);
      case 'template':
        params.push(node.id);
        return leaf(`ev.template ${node.op} ?`, negated);
      case 'field':
        return leaf(fieldCondition(node.name, node.op, node.value), negated);
      case 'time': {
        const parts: string[] = [];
        if (node.from != null) parts.push(`ev.ts >= ${Math.floor(node.from)}`);
        if (node.to != null) parts.push(`ev.ts < ${Math.ceil(node.to)}`);
        return parts.length ? leaf(parts.join(' AND '), negated) : 'ev.ts IS NOT NULL';
      }
    }
  }

  function fieldCondition(name: string, op: CompareOp, v: FieldValue): string {
    const path = `$."${name}"`;
    const x = 'json_extract(ev.fields, ?)';
    switch (v.kind) {
      case 'number':
        // Numbers compare numerically whether the parser stored 500 or "500".
        params.push(path, path, path, path, path, path, v.value);
        return (
          `(CASE json_type(ev.fields, ?) WHEN 'integer' THEN ${x} WHEN 'real' THEN ${x} ` +
          `WHEN 'text' THEN (CASE WHEN ${x} GLOB '*[0-9]*' AND NOT ${x} GLOB '*[^0-9.eE+-]*' ` +
          `THEN CAST(${x} AS REAL) END) END) ${op} ?`
        );
      case 'bool':
        params.push(path, v.value ? 'true' : 'false', path, v.value ? 'true' : 'false');
        return `json_type(ev.fields, ?) = ? OR lower(CAST(${x} AS TEXT)) = ?`;
      case 'text':
        params.push(path, v.value);
        return `CAST(${x} AS TEXT) ${op} ? COLLATE NOCASE`;
      case 'glob':
        params.push(path);
        return re(globToRegex(v.pattern), `CAST(${x} AS TEXT)`);
      case 'regex':
        params.push(path);
        return re(new RegExp(v.source, v.flags), `CAST(${x} AS TEXT)`);
    }
  }

  const ftsOnly = ftsMatchExpr(root);
  const where = compile(root, false);
  return { where, params, regexes, ftsOnly };
}

/** Registers `fq_re` on a segment's database for this query's regexes (sql.js calls back into JS per row). */
export function registerFunctions(db: SqlDatabase, regexes: RegExp[]): void {
  if (regexes.length === 0) return;
  db.create_function('fq_re', ((i: number, text: string | null) =>
    text != null && regexes[i].test(text) ? 1 : 0) as (...args: never[]) => unknown);
}
