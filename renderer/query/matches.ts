// What to highlight in a message: the query's free-text terms, phrases and regexes (not field filters, not negated
// ones). Compiled once per query into one regex, so highlighting a visible row is a single scan.
import { tokenize } from './tokens.ts';

export interface Segment {
  text: string;
  hit: boolean;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileMatcher(query: string): RegExp | null {
  const parts: string[] = [];
  for (const t of tokenize(query)) {
    if (t.negated || t.unterminated) continue;
    if (t.kind === 'term' && t.text.length > 0) parts.push(escapeRe(t.text.replace(/\*/g, '')));
    else if (t.kind === 'phrase') parts.push(escapeRe(t.text.slice(1, -1).replace(/\\(.)/g, '$1')));
    else if (t.kind === 'regex') {
      const body = t.text.slice(1, t.text.lastIndexOf('/'));
      try {
        new RegExp(body);
        parts.push(`(?:${body})`);
      } catch {
        /* the engine reports a bad regex; nothing to highlight */
      }
    }
  }
  const usable = parts.filter((p) => p.length > 0);
  if (usable.length === 0) return null;
  try {
    return new RegExp(usable.join('|'), 'gi');
  } catch {
    return null;
  }
}

/** Splits text into plain and matching runs; at most `maxHits` matches so a pathological regex stays cheap. */
export function splitMatches(text: string, re: RegExp | null, maxHits = 200): Segment[] {
  if (!re) return [{ text, hit: false }];
  const out: Segment[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let n = 0; n < maxHits; n++) {
    const m = re.exec(text);
    if (!m) break;
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (m.index > last) out.push({ text: text.slice(last, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}

export function hasMatch(text: string, re: RegExp | null): boolean {
  if (!re) return false;
  re.lastIndex = 0;
  return re.test(text);
}
