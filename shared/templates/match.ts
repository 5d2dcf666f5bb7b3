// Token comparison for templates. Tokens are masked (tokenize.ts), so a token may hold `<*>` inside it,
// as in `rhost=<*>` or `(<*>)`. Such a token also matches the same token with an empty or a different
// unmasked value there (`rhost=`, `()`, `(host.example.net)`): a variable may be empty or digit-free.

import { WILDCARD as WILDCARD_EXPORT } from './tokenize.ts';

// A module-local copy: some loaders turn imported bindings into getters, too slow for the inner loops.
const WILDCARD = WILDCARD_EXPORT;

/** True when template token `t` and message token `m` may stand for the same slot. */
export function tokensMatch(t: string, m: string): boolean {
  if (t === m || t === WILDCARD || m === WILDCARD) return true;
  return (t.includes(WILDCARD) && globMatch(t, m)) || (m.includes(WILDCARD) && globMatch(m, t));
}

/** The more general of two matching tokens (the one whose glob covers the other). */
export function generalToken(t: string, m: string): string {
  if (t === m) return t;
  if (t === WILDCARD || m === WILDCARD) return WILDCARD;
  if (t.includes(WILDCARD) && globMatch(t, m)) return t;
  if (m.includes(WILDCARD) && globMatch(m, t)) return m;
  return WILDCARD;
}

/** Matches `text` against `pattern` where each `<*>` stands for any run of characters, even none. */
export function globMatch(pattern: string, text: string): boolean {
  let at = pattern.indexOf(WILDCARD);
  if (at < 0) return pattern === text;
  if (!text.startsWith(pattern.slice(0, at))) return false;
  let pos = at;
  for (;;) {
    const from = at + WILDCARD.length;
    const next = pattern.indexOf(WILDCARD, from);
    if (next < 0) {
      const tail = pattern.slice(from);
      return text.length - pos >= tail.length && text.endsWith(tail);
    }
    const found = text.indexOf(pattern.slice(from, next), pos);
    if (found < 0) return false;
    pos = found + next - from;
    at = next;
  }
}

/** Number of constant (non-wildcard) tokens of a template. */
export function countConstants(tokens: string[]): number {
  let k = 0;
  for (const t of tokens) if (t !== WILDCARD) k++;
  return k;
}

/** True when `a` and `b` may name the same slot at every position outside `skip`. */
export function agreesOutside(a: string[], b: string[], skip: number[]): boolean {
  for (let i = 0, k = 0; i < a.length; i++) {
    if (skip[k] === i) {
      k++;
      continue;
    }
    if (!tokensMatch(a[i], b[i])) return false;
  }
  return true;
}

/** True when template `t` covers every message the template `c` covers. */
export function covers(t: string[], c: string[]): boolean {
  for (let i = 0; i < t.length; i++) {
    if (t[i] === c[i] || t[i] === WILDCARD) continue;
    if (c[i] === WILDCARD || generalToken(t[i], c[i]) !== t[i]) return false;
  }
  return true;
}
