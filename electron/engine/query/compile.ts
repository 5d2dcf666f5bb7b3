// Compiles a query tree into one SQL condition over the segment table `ev`.
//
// With the segment's word index evaluated (segment-index.ts) the condition is made for that segment: parts the
// index knows exactly become id-set membership (or nothing, where the driving set already implies them), the
// root's candidate set drives the statement, and only what the index cannot decide (words with other characters,
// phrases, regexes, fields) is checked on the row. Without an index (a segment lacking its sidecar) words are
// checked on `raw` by a JavaScript regex registered as `fq_re(index, text)`, behind a cheap `instr` prefilter.
import type { CompareOp, FieldValue, QueryNode, TextMatch } from '../../../shared/query/index.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { anomalyCondition, missingScorer, registerScorer, type AnomalyScorer } from './anomaly-filter.ts';
import { STORED_TS } from './clock-offsets.ts';
import type { SqlDatabase } from './db.ts';
import { isAll, type IdSet } from './id-sets.ts';
import { globToRegex, phraseRegex, resolveSources, wordRegex } from './match.ts';
import { requiredLiteral } from './regex-literal.ts';
import type { SegmentIndex } from './segment-index.ts';

export interface CompiledQuery {
  /** SQL condition over `ev`. */
  where: string;
  params: unknown[];
  /** Regexes `fq_re(i, text)` tests; register them with `registerFunctions` before running. */
  regexes: RegExp[];
  /** Id sets `fq_in(i, ev.id)` tests (as bitmaps over the segment's ids), registered with the regexes. */
  sets: IdSet[];
  /** SQL of the event's time as this condition reads it (clock-offsets.ts: `ev.ts` unless an offset applies). */
  ts: string;
  /** Scores `anomaly` terms test (`fq_score`, registered with the regexes); null when the query has none. */
  scorer: AnomalyScorer | null;
}

/** What the compiler needs to know about the workspace: its sources (for `source:`). */
export interface CompileContext {
  sources: SourceInfo[];
  /** SQL of the event's corrected time (clock-offsets.ts timeSql); `ev.ts` by default. */
  ts?: string;
  /** Scores for `anomaly` terms (anomaly-filter.ts). */
  scorer?: AnomalyScorer;
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, NUL included, is the point
const ASCII = /^[\x00-\x7f]*$/;

/**
 * A cheap test every match of the regex passes (`instr` on a literal it requires), or null. Case-insensitive
 * only for ASCII literals, and not where the `u` flag folds K (Kelvin) or ſ onto k and s.
 */
function literalPrefilter(
  source: string,
  flags: string,
  literal: string | null,
  params: unknown[],
): string | null {
  const lit = literal ?? requiredLiteral(source);
  if (!lit || /[\ud800-\udfff]/.test(lit)) return null;
  if (!flags.includes('i')) {
    params.push(lit);
    return 'instr(ev.raw, ?) > 0';
  }
  if (!ASCII.test(lit) || (flags.includes('u') && /[ks]/i.test(lit))) return null;
  params.push(lit.toLowerCase());
  return 'instr(lower(ev.raw), ?) > 0';
}

export function compileQuery(
  root: QueryNode,
  ctx: CompileContext,
  index: SegmentIndex | null = null,
): CompiledQuery {
  const params: unknown[] = [];
  const regexes: RegExp[] = [];
  const sets: IdSet[] = [];
  const events = index?.events ?? 0;
  const ts = ctx.ts ?? STORED_TS;
  let scorer: AnomalyScorer | null = null;

  /**
   * SQL testing that `ev.id` is in the set. Measured on a 200k-row segment: a JSON array read by json_each
   * (parsed in C, then SQLite visits those rows by id) costs ~2.8 µs per id; a bitmap tested by a registered
   * function costs ~0.27 µs per row visited, and keeps the time-index order for listing. So: few ids, the
   * array; many, the bitmap.
   */
  function membership(set: IdSet): string {
    if (set.ids.length === 0) return set.neg ? '1' : '0';
    if (set.ids.length * 10 < events) {
      params.push('[' + set.ids.join(',') + ']');
      return `ev.id ${set.neg ? 'NOT IN' : 'IN'} (SELECT value FROM json_each(?))`;
    }
    sets.push(set);
    return `fq_in(${sets.length - 1}, ev.id)`;
  }
  const re = (r: RegExp, expr: string): string => {
    regexes.push(r);
    return `fq_re(${regexes.length - 1}, ${expr})`;
  };
  // Nodes the driving set already decides: the root and, under a top-level AND, its children.
  const covered = new Set<QueryNode>([root]);
  if (root.type === 'and') for (const c of root.children) covered.add(c);

  // Under a NOT, a NULL (missing host, field or time) must read as false, or NOT NULL would drop the row too.
  function leaf(expr: string, negated: boolean): string {
    return negated ? `IFNULL(${expr}, 0)` : `(${expr})`;
  }

  /** The row-level check of a text term, behind the membership of its candidates (when they narrow). */
  function checked(node: QueryNode, check: () => string): string {
    const hi = index?.nodes.get(node)?.hi;
    if (!hi || isAll(hi) || covered.has(node)) return `(${check()})`;
    const member = membership(hi); // its parameter precedes the check's
    return `(${member} AND ${check()})`;
  }

  function textMatch(m: TextMatch, column: string, negated: boolean): string {
    if (m.kind === 'regex') return leaf(re(new RegExp(m.source, m.flags), column), negated);
    if (m.kind === 'glob') return leaf(re(globToRegex(m.pattern), column), negated);
    params.push(m.value);
    return leaf(`${column} = ? COLLATE NOCASE`, negated);
  }

  function compile(node: QueryNode, negated: boolean): string {
    const known = index?.nodes.get(node);
    if (known?.exact) return covered.has(node) ? '1' : membership(known.hi);
    switch (node.type) {
      case 'all':
        return '1';
      case 'and':
        return `(${node.children.map((c) => compile(c, negated)).join(' AND ')})`;
      case 'or':
        return `(${node.children.map((c) => compile(c, negated)).join(' OR ')})`;
      case 'not':
        return `NOT ${compile(node.child, true)}`;
      case 'word': {
        const wr = wordRegex(node.word, node.prefix);
        if (index) return checked(node, () => re(wr, 'ev.raw'));
        const pre = literalPrefilter('', 'iu', node.word, params);
        return `(${pre ? pre + ' AND ' : ''}${re(wr, 'ev.raw')})`;
      }
      case 'phrase': {
        if (node.text === '') return '1';
        if (ASCII.test(node.text)) {
          return checked(node, () => {
            params.push('%' + node.text.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
            return `ev.raw LIKE ? ESCAPE '\\'`;
          });
        }
        return checked(node, () => re(phraseRegex(node.text), 'ev.raw'));
      }
      case 'regex': {
        const r = new RegExp(node.source, node.flags);
        return checked(node, () => {
          const pre = literalPrefilter(node.source, node.flags, null, params);
          return `${pre ? pre + ' AND ' : ''}${re(r, 'ev.raw')}`;
        });
      }
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
      case 'anomaly':
        scorer = ctx.scorer ?? null;
        if (!scorer) throw missingScorer();
        return leaf(anomalyCondition(node.op, node.score, params, scorer), negated);
      case 'time': {
        const parts: string[] = [];
        if (node.from != null) parts.push(`${ts} >= ${Math.floor(node.from)}`);
        if (node.to != null) parts.push(`${ts} < ${Math.ceil(node.to)}`);
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

  // The driving set: an id list comes first (SQLite then visits only its rows, and its parameter is the first
  // `?`); a bitmap test goes last, after the cheap SQL predicates.
  const drive = index && !isAll(index.root.hi) ? membership(index.root.hi) : null;
  const body = compile(root, false);
  if (!drive) return { where: body, params, regexes, sets, ts, scorer };
  // Scores cost a call into JavaScript per row: then the candidates' bitmap is tested first.
  const driveLast = drive.startsWith('fq_in') && !scorer;
  const where = driveLast ? `(${body}) AND ${drive}` : `${drive} AND (${body})`;
  return { where, params, regexes, sets, ts, scorer };
}

/** Registers `fq_re` and `fq_in` on a segment's database for this query (sql.js calls back into JS per row). */
export function registerFunctions(db: SqlDatabase, q: CompiledQuery): void {
  const { regexes, sets } = q;
  if (q.scorer) registerScorer(db, q.scorer);
  if (regexes.length) {
    db.create_function('fq_re', ((i: number, text: string | null) =>
      text != null && regexes[i].test(text) ? 1 : 0) as (...args: never[]) => unknown);
  }
  if (sets.length) {
    let max = 0;
    for (const s of sets) if (s.ids.length) max = Math.max(max, s.ids[s.ids.length - 1]);
    const bitmaps = sets.map((s) => {
      const b = new Uint8Array(max + 1);
      for (let i = 0; i < s.ids.length; i++) b[s.ids[i]] = 1;
      return { b, neg: s.neg ? 1 : 0 };
    });
    db.create_function('fq_in', ((i: number, id: number) => {
      const m = bitmaps[i];
      return (id < m.b.length ? m.b[id] : 0) ^ m.neg;
    }) as (...args: never[]) => unknown);
  }
}
