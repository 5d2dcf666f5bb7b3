// Turns one term token into its node: a word, or `name:value` resolved against the built-in fields
// (time bounds, host, source, severity, template) or taken as an extracted field.
import { normalizeSeverity, SEVERITIES, severityRank } from '../severity.ts';
import type { CompareOp, FieldValue, QueryNode, TextMatch } from './ast.ts';
import { QuerySyntaxError } from './errors.ts';
import type { FieldToken } from './lexer.ts';
import { parseDuration, parseTimeValue } from './time.ts';

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function wordNode(text: string, start: number, end: number): QueryNode {
  let word = text;
  let prefix = false;
  while (word.endsWith('*')) {
    word = word.slice(0, -1);
    prefix = true;
  }
  if (word === '') return { type: 'all', start, end };
  return { type: 'word', word, prefix, start, end };
}

export function fieldNode(
  rawName: string,
  rawOp: string,
  value: FieldToken,
  start: number,
  end: number,
  now: number,
): QueryNode {
  const name = rawName.toLowerCase();
  const op: CompareOp = rawOp === ':' ? '=' : (rawOp as CompareOp);
  const text = value.kind === 'regex' ? value.source : value.text;
  const onlyEquals = (what: string): void => {
    if (op !== '=')
      throw new QuerySyntaxError(`expected ${rawName}: (${what} cannot be compared with ${rawOp})`, start);
  };

  switch (name) {
    case 'since': {
      onlyEquals('a duration');
      const ms = value.kind === 'regex' ? null : parseDuration(text);
      if (ms == null)
        throw new QuerySyntaxError('expected a duration like 30s, 15m, 2h, 7d or 1w', value.start);
      return { type: 'time', from: now - ms, to: null, start, end };
    }
    case 'from':
    case 'to': {
      onlyEquals('a time');
      const t = value.kind === 'regex' ? null : parseTimeValue(text, now);
      if (!t) {
        throw new QuerySyntaxError(
          'expected a date or time like 2024-05-01, 2024-05-01T10:00:00Z, 10:00 or a duration ago like 2h',
          value.start,
        );
      }
      return name === 'from'
        ? { type: 'time', from: t.start, to: null, start, end }
        : { type: 'time', from: null, to: t.end, start, end };
    }
    case 'host':
      onlyEquals('a host');
      return { type: 'host', match: textMatch(value), start, end };
    case 'source':
      onlyEquals('a source');
      return { type: 'source', match: textMatch(value), start, end };
    case 'sev':
    case 'level':
    case 'severity': {
      const sev = value.kind === 'regex' ? null : normalizeSeverity(text);
      if (!sev) throw new QuerySyntaxError(`expected a severity: ${SEVERITIES.join(', ')}`, value.start);
      return { type: 'severity', op, rank: severityRank(sev), start, end };
    }
    case 'template': {
      if (value.kind === 'regex' || !/^\d+$/.test(text)) {
        throw new QuerySyntaxError('expected a template id (a whole number)', value.start);
      }
      return { type: 'template', op, id: Number(text), start, end };
    }
    case 'anomaly': {
      const score = value.kind === 'bare' && NUMBER.test(text) ? Number(text) : NaN;
      if (!(score >= 0 && score <= 1)) {
        throw new QuerySyntaxError(
          'expected an anomaly score between 0 and 1, like anomaly>=0.5',
          value.start,
        );
      }
      return { type: 'anomaly', op, score, start, end };
    }
  }
  const v = fieldValue(value);
  if (op !== '=' && (v.kind === 'glob' || v.kind === 'regex' || v.kind === 'bool')) {
    throw new QuerySyntaxError(`expected a number or text to compare with ${rawOp}`, value.start);
  }
  return { type: 'field', name: rawName, op, value: v, start, end };
}

function textMatch(value: FieldToken): TextMatch {
  if (value.kind === 'regex') {
    checkRegex(value.source, value.flags, value.start);
    return { kind: 'regex', source: value.source, flags: value.flags };
  }
  if (value.kind === 'bare' && /[*?]/.test(value.text)) return { kind: 'glob', pattern: value.text };
  return { kind: 'exact', value: value.text };
}

function fieldValue(value: FieldToken): FieldValue {
  if (value.kind === 'regex') {
    checkRegex(value.source, value.flags, value.start);
    return { kind: 'regex', source: value.source, flags: value.flags };
  }
  if (value.kind === 'quoted') return { kind: 'text', value: value.text };
  const t = value.text;
  if (NUMBER.test(t)) return { kind: 'number', value: Number(t) };
  if (t === 'true' || t === 'false') return { kind: 'bool', value: t === 'true' };
  if (/[*?]/.test(t)) return { kind: 'glob', pattern: t };
  return { kind: 'text', value: t };
}

/** Rejects a regex JavaScript cannot compile, pointing at it. */
export function checkRegex(source: string, flags: string, position: number): void {
  try {
    new RegExp(source, flags);
  } catch (err) {
    const reason =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err);
    throw new QuerySyntaxError(`expected a valid regular expression: ${reason}`, position);
  }
}
