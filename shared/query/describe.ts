// A canonical, fully parenthesized rendering of a parsed query: for showing how a query was understood
// ("a OR b c" reads as "(a OR (b AND c))") and for tests of precedence.
import { SEVERITIES } from '../severity.ts';
import type { FieldValue, QueryNode, TextMatch } from './ast.ts';

export function describeQuery(node: QueryNode): string {
  switch (node.type) {
    case 'all':
      return '*';
    case 'and':
    case 'or':
      return `(${node.children.map(describeQuery).join(node.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT ${describeQuery(node.child)}`;
    case 'word':
      return node.word + (node.prefix ? '*' : '');
    case 'phrase':
      return JSON.stringify(node.text);
    case 'regex':
      return `/${node.source}/${node.flags}`;
    case 'host':
    case 'source':
      return `${node.type}:${describeMatch(node.match)}`;
    case 'severity':
      return `sev${op(node.op)}${SEVERITIES[node.rank]}`;
    case 'template':
      return `template${op(node.op)}${node.id}`;
    case 'field':
      return `${node.name}${op(node.op)}${describeValue(node.value)}`;
    case 'anomaly':
      return `anomaly${op(node.op)}${node.score}`;
    case 'time':
      return `time[${iso(node.from)}, ${iso(node.to)})`;
  }
}

function op(o: string): string {
  return o === '=' ? ':' : o;
}

function iso(ms: number | null): string {
  return ms == null ? '…' : new Date(ms).toISOString();
}

function describeMatch(m: TextMatch): string {
  if (m.kind === 'regex') return `/${m.source}/${m.flags}`;
  return m.kind === 'glob' ? m.pattern : JSON.stringify(m.value);
}

function describeValue(v: FieldValue): string {
  switch (v.kind) {
    case 'number':
    case 'bool':
      return String(v.value);
    case 'text':
      return JSON.stringify(v.value);
    case 'glob':
      return v.pattern;
    case 'regex':
      return `/${v.source}/${v.flags}`;
  }
}
