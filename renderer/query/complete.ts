// Completion for the query bar: field names while typing a bare word, values after `field:`. Pure: the caller
// passes what it knows (severities, hosts, sources, extracted fields seen so far).
import { tokenAt, tokenize } from './tokens.ts';

export interface CompletionContext {
  fields: Map<string, Iterable<string>>;
}

export interface Suggestion {
  /** What the list shows. */
  label: string;
  /** A short note beside it (kind of field, "value of host"). */
  detail: string;
  /** The replacement for text[from, to). */
  insert: string;
  from: number;
  to: number;
}

export const BUILTIN_FIELDS: Record<string, string> = {
  host: 'host name',
  source: 'source path or URI',
  sev: 'severity (sev>=warn)',
  level: 'severity, like sev',
  template: 'template id',
  anomaly: 'anomaly score 0..1 (anomaly>=0.5)',
  since: 'relative time (since:15m)',
  from: 'start time',
  to: 'end time',
};

const MAX = 12;

export function complete(text: string, cursor: number, ctx: CompletionContext): Suggestion[] {
  const tokens = tokenize(text);
  const t = tokenAt(tokens, cursor);
  if (!t) return [];
  if (t.kind === 'term') {
    const prefix = text.slice(t.start, cursor).toLowerCase();
    if (prefix.length === 0) return [];
    const names = [
      ...Object.keys(BUILTIN_FIELDS),
      ...[...ctx.fields.keys()].filter((k) => !(k in BUILTIN_FIELDS)),
    ];
    return names
      .filter((n) => n.toLowerCase().startsWith(prefix) && n.toLowerCase() !== prefix)
      .slice(0, MAX)
      .map((n) => ({
        label: `${n}:`,
        detail: BUILTIN_FIELDS[n] ?? 'extracted field',
        insert: `${n}:`,
        from: t.start,
        to: t.end,
      }));
  }
  if (t.kind === 'value' || t.kind === 'compare') {
    const field = t.field!;
    const valueStart = t.kind === 'compare' ? t.end : t.start;
    const valueEnd = t.kind === 'compare' ? t.end : t.end;
    const typed = text.slice(valueStart, cursor).replace(/^"/, '').toLowerCase();
    const values = [...(ctx.fields.get(field) ?? [])];
    return values
      .filter((v) => v.toLowerCase().startsWith(typed) && v.toLowerCase() !== typed)
      .slice(0, MAX)
      .map((v) => ({
        label: v,
        detail: `value of ${field}`,
        insert: /[\s()"]/.test(v) || v === '' ? JSON.stringify(v) : v,
        from: valueStart,
        to: valueEnd,
      }));
  }
  return [];
}
