// How words, phrases and globs become FTS4 MATCH expressions and JavaScript regexes.
//
// A word means what `rg -w -i` means: the text, not preceded or followed by a word character. The FTS
// tokenizer (unicode61, tokenchars=_) cuts the line into maximal runs of word characters, so a word made only
// of ASCII word characters is exactly one token and the index answers alone. Other words are matched as a
// phrase of their tokens (a superset) and then checked with a regex.
import type { SourceInfo } from '../../../shared/event.ts';
import type { QueryNode, TextMatch } from '../../../shared/query/index.ts';

const ASCII_WORD = /^[A-Za-z0-9_]+$/;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const TOKENS = /[\p{L}\p{N}_]+/gu;
const NOT_BEFORE = '(?<![\\p{L}\\p{N}_])';
const NOT_AFTER = '(?![\\p{L}\\p{N}_])';

/** Escapes text for a regex with the `u` flag (where only syntax characters may be escaped). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** The FTS MATCH for a word; `exact` when the index answers alone. `match` is null when no token can help. */
export function wordFts(word: string, prefix: boolean): { exact: boolean; match: string | null } {
  if (ASCII_WORD.test(word)) return { exact: true, match: `"${word.toLowerCase()}${prefix ? '*' : ''}"` };
  const tokens = word.match(TOKENS);
  if (!tokens) return { exact: false, match: null };
  const last = prefix && WORD_CHAR.test(word[word.length - 1]) ? '*' : '';
  return { exact: false, match: `"${tokens.join(' ')}${last}"` };
}

export function wordRegex(word: string, prefix: boolean): RegExp {
  return new RegExp(NOT_BEFORE + escapeRegex(word) + (prefix ? '' : NOT_AFTER), 'iu');
}

/**
 * An FTS phrase that every line containing `text` as a substring matches, or null: the first token may be the
 * tail of a longer word (dropped) and the last its head (a prefix).
 */
export function phraseFts(text: string): string | null {
  const tokens = text.match(TOKENS);
  if (!tokens) return null;
  if (WORD_CHAR.test(text[0])) tokens.shift();
  if (tokens.length === 0) return null;
  const last = WORD_CHAR.test(text[text.length - 1]) ? '*' : '';
  return `"${tokens.join(' ')}${last}"`;
}

export function phraseRegex(text: string): RegExp {
  return new RegExp(escapeRegex(text), 'iu');
}

/** `*` any run, `?` one character; the whole value, case-insensitive. */
export function globToRegex(pattern: string): RegExp {
  let src = '';
  for (const c of pattern) src += c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c);
  return new RegExp(`^${src}$`, 'isu');
}

/** Source ids a `source:` term names: a substring of the URI, or a glob over the whole URI or its file name. */
export function resolveSources(m: TextMatch, sources: SourceInfo[]): number[] {
  let test: (uri: string) => boolean;
  if (m.kind === 'exact') {
    const needle = m.value.toLowerCase();
    test = (uri) => uri.toLowerCase().includes(needle);
  } else {
    const r = m.kind === 'glob' ? globToRegex(m.pattern) : new RegExp(m.source, m.flags);
    test = (uri) => r.test(uri) || (m.kind === 'glob' && r.test(uri.slice(uri.lastIndexOf('/') + 1)));
  }
  return sources.filter((s) => test(s.uri)).map((s) => s.id);
}

/** Hosts a `host:` term accepts, as a predicate (for pruning segments by their host list). */
export function hostPredicate(m: TextMatch): (host: string) => boolean {
  if (m.kind === 'exact') {
    const v = m.value.toLowerCase();
    return (h) => h.toLowerCase() === v;
  }
  const r = m.kind === 'glob' ? globToRegex(m.pattern) : new RegExp(m.source, m.flags);
  return (h) => r.test(h);
}

/** One MATCH expression for a query that is a plain word or an AND of them, which FTS counts exactly. */
export function ftsMatchExpr(root: QueryNode): string | null {
  const words = root.type === 'and' ? root.children : [root];
  const parts: string[] = [];
  for (const w of words) {
    if (w.type !== 'word') return null;
    const f = wordFts(w.word, w.prefix);
    if (!f.exact || !f.match) return null;
    parts.push(f.match);
  }
  return parts.join(' ');
}
