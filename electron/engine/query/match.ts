// How words, phrases and globs become JavaScript regexes (the row-level checks behind the word index).
//
// A word means what `rg -w -i` means: the text, not preceded or followed by a word character (ripgrep's Unicode
// \w, shared/words.ts).
import type { SourceInfo } from '../../../shared/event.ts';
import type { TextMatch } from '../../../shared/query/index.ts';
import { WORD_CHAR_CLASS } from '../../../shared/words.ts';

const NOT_BEFORE = `(?<!${WORD_CHAR_CLASS})`;
const NOT_AFTER = `(?!${WORD_CHAR_CLASS})`;

/** Escapes text for a regex with the `u` flag (where only syntax characters may be escaped). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

export function wordRegex(word: string, prefix: boolean): RegExp {
  return new RegExp(NOT_BEFORE + escapeRegex(word) + (prefix ? '' : NOT_AFTER), 'iu');
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
