// Compiles a query tree (shared/query) into one ClickHouse condition over `flumen_events` (store/clickhouse/
// schema.ts), with the local compiler's meaning (query/compile.ts) node for node:
//
// - words, phrases, globs and regexes: match() with patterns from re2.ts; prefilterOf() gives the substring
//   tests every match passes, for PREWHERE;
// - host, severity, template, time and fields: their columns, where an absent value (no host, no severity, no
//   time, no such field) is a false leaf, so that `-host:x` keeps the events without a host as it does locally;
// - time: the clock-corrected time (corrected-time.ts);
// - anomaly: a condition made for the term beforehand from the workspace model (anomaly.ts), since scores are
//   computed at read time in JavaScript;
// - fields: the values SQLite's json_extract/CAST would see, stored at write time (field-values.ts).
import {
  QuerySyntaxError,
  type AnomalyNode,
  type CompareOp,
  type FieldValue,
  type QueryNode,
  type TextMatch,
} from '../../../../shared/query/index.ts';
import type { SourceInfo } from '../../../../shared/event.ts';
import { KIND_FALSE, KIND_NUMBER, KIND_TEXT, KIND_TRUE } from '../../store/clickhouse/field-values.ts';
import { numberLiteral, quoteString } from '../../store/clickhouse/sql-text.ts';
import { resolveSources } from '../match.ts';
import { requiredLiteral } from '../regex-literal.ts';
import { PLAIN_TIME, timeRange, type CorrectedTime } from './corrected-time.ts';
import {
  foldSafeRun,
  globPattern,
  phrasePattern,
  regexPattern,
  UnsupportedRegex,
  wordPattern,
} from './re2.ts';

// eslint-disable-next-line no-control-regex -- the whole ASCII range, NUL included, is the point
const ASCII = /^[\x00-\x7f]*$/;

/** ASCII lowercase, as SQLite's NOCASE and ClickHouse's lower() fold. */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function match(column: string, pattern: string): string {
  return `match(${column}, ${quoteString(pattern)})`;
}

export interface CompileOptions {
  /** The rows' corrected time (clock offsets); stored time by default. */
  time?: CorrectedTime;
  /** The condition of each `anomaly` term (anomaly.ts anomalyConditions); a tree with one needs it. */
  anomaly?: (node: AnomalyNode) => string;
}

/**
 * The condition for the query over `flumen_events`; sources resolve `source:` terms to ids. A regex RE2 cannot
 * run is the query's fault: a QuerySyntaxError pointing at its term.
 */
export function compileClickHouse(root: QueryNode, sources: SourceInfo[], opts: CompileOptions = {}): string {
  const time = opts.time ?? PLAIN_TIME;
  return compile(root);

  function compile(node: QueryNode): string {
    try {
      return compileNode(node);
    } catch (err) {
      if (err instanceof UnsupportedRegex) throw new QuerySyntaxError(err.message, node.start);
      throw err;
    }
  }

  function compileNode(node: QueryNode): string {
    switch (node.type) {
      case 'all':
        return '1';
      case 'and':
        return `(${node.children.map(compile).join(' AND ')})`;
      case 'or':
        return `(${node.children.map(compile).join(' OR ')})`;
      case 'not':
        return `NOT (${compile(node.child)})`;
      case 'word':
        return match('raw', wordPattern(node.word, node.prefix));
      case 'phrase':
        if (node.text === '') return '1';
        // Locally an ASCII phrase is LIKE '%…%': ASCII-only case folding, exactly positionCaseInsensitive's.
        if (ASCII.test(node.text)) return `(positionCaseInsensitive(raw, ${quoteString(node.text)}) > 0)`;
        return match('raw', phrasePattern(node.text));
      case 'regex':
        return match('raw', regexPattern(node.source, node.flags));
      case 'host':
        return `(host_null = 0 AND ${textMatch(node.match, 'host')})`;
      case 'source': {
        const ids = resolveSources(node.match, sources);
        return ids.length ? `source_id IN (${ids.join(',')})` : '0';
      }
      case 'severity':
        return `(sev >= 0 AND sev ${node.op} ${node.rank})`;
      case 'template':
        return `(template >= 0 AND template ${node.op} ${node.id})`;
      case 'field':
        return fieldCondition(node.name, node.op, node.value);
      case 'anomaly':
        // Scores are computed at read time from the workspace model, so the caller works the condition out first.
        if (!opts.anomaly) throw new Error('an anomaly term reached the ClickHouse compiler unresolved');
        return opts.anomaly(node);
      case 'time':
        return timeRange(time, node.from, node.to);
    }
  }
}

/**
 * A cheap condition every match of the whole query passes (the substring tests of the words, phrases and regexes
 * it requires), or null. It goes in PREWHERE: ClickHouse then runs the rest of the condition, the RE2 matches
 * above all, only on the rows that pass it (ClickHouse 18.16 evaluates every argument of AND on every row).
 */
export function prefilterOf(node: QueryNode): string | null {
  switch (node.type) {
    case 'and': {
      const parts = node.children.map(prefilterOf).filter((p): p is string => p != null);
      return parts.length ? parts.join(' AND ') : null;
    }
    case 'or': {
      const parts = node.children.map(prefilterOf);
      return parts.every((p) => p != null) ? `(${parts.join(' OR ')})` : null;
    }
    case 'word': {
      const pre = foldSafeRun(node.word);
      return pre ? `positionCaseInsensitive(raw, ${quoteString(pre)}) > 0` : null;
    }
    case 'phrase': {
      if (node.text === '') return null;
      const pre = ASCII.test(node.text) ? node.text : foldSafeRun(node.text);
      return pre ? `positionCaseInsensitive(raw, ${quoteString(pre)}) > 0` : null;
    }
    case 'regex':
      return regexPrefilter(node.source, node.flags);
    default:
      return null;
  }
}

function textMatch(m: TextMatch, column: string): string {
  if (m.kind === 'regex') return match(column, regexPattern(m.source, m.flags));
  if (m.kind === 'glob') return match(column, globPattern(m.pattern));
  return `lower(${column}) = ${quoteString(lowerAscii(m.value))}`;
}

/** The local literalPrefilter: `position` on a literal every match holds, case-insensitive only where exact. */
function regexPrefilter(source: string, flags: string): string | null {
  const lit = requiredLiteral(source);
  if (!lit || /[\ud800-\udfff]/.test(lit)) return null;
  if (!flags.includes('i')) return `position(raw, ${quoteString(lit)}) > 0`;
  if (!ASCII.test(lit) || (flags.includes('u') && /[ks]/i.test(lit))) return null;
  return `positionCaseInsensitive(raw, ${quoteString(lit)}) > 0`;
}

/**
 * A field condition as one arrayExists over the field arrays: the field named `name` exists and its derived
 * value passes. Absent fields, JSON nulls and values of the wrong kind are false, as the local NULLs are.
 */
function fieldCondition(name: string, op: CompareOp, v: FieldValue): string {
  let test: string;
  switch (v.kind) {
    case 'number':
      test = `bitAnd(fk, ${KIND_NUMBER}) != 0 AND fx ${op} ${numberLiteral(v.value)}`;
      break;
    case 'bool':
      test =
        `(bitAnd(fk, ${v.value ? KIND_TRUE : KIND_FALSE}) != 0 OR ` +
        `(bitAnd(fk, ${KIND_TEXT}) != 0 AND lower(ft) = '${v.value ? 'true' : 'false'}'))`;
      break;
    case 'text':
      test = `bitAnd(fk, ${KIND_TEXT}) != 0 AND lower(ft) ${op} ${quoteString(lowerAscii(v.value))}`;
      break;
    case 'glob':
      test = `bitAnd(fk, ${KIND_TEXT}) != 0 AND ${match('ft', globPattern(v.pattern))}`;
      break;
    case 'regex':
      test = `bitAnd(fk, ${KIND_TEXT}) != 0 AND ${match('ft', regexPattern(v.source, v.flags))}`;
      break;
  }
  return (
    // Lambda names unlike any column or alias: ClickHouse resolves aliases across the whole statement.
    `arrayExists((fn, fk, fx, ft) -> fn = ${quoteString(name)} AND ${test}, ` +
    `field_names, field_kinds, field_numbers, field_texts)`
  );
}
