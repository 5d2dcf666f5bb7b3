// A segment's word index: the sidecar `NNNNNN.terms.sqlite` beside `NNNNNN.sqlite`, an ordinary SQLite file.
//
// `terms` maps every word of the raw lines (ripgrep's -w words, folded to lowercase: shared/words.ts) to the
// ascending ids of the `ev` rows holding it (delta + LEB128 varints, postings.ts) and their number. It is built
// row by row in the segment-builder worker while rows are inserted, written when the segment is sealed (before
// the segment itself), and read without loading the segment: a word count needs only this small file.
//
// Two reserved keys hold a space, which no word can: LONG_WORDS lists the rows with a word longer than
// MAX_WORD_LENGTH (such words are not indexed, so a prefix or a long query word must check those rows), and
// UNTIMED the rows without a timestamp (so a time bound covering the whole segment is answered here too).
// The builder is term-index-builder.ts.

export const TERMS_SCHEMA_VERSION = 1;
export const MAX_WORD_LENGTH = 128;
export const LONG_WORDS_TERM = ' long';
export const UNTIMED_TERM = ' untimed';

export const TERMS_OBJECTS = {
  meta: 'CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)',
  terms: 'CREATE TABLE terms(term TEXT PRIMARY KEY, n INTEGER NOT NULL, rows BLOB NOT NULL) WITHOUT ROWID',
} as const;

/** `000012.sqlite` → `000012.terms.sqlite` (works on full paths too). */
export function termsFileFor(segmentFile: string): string {
  return segmentFile.replace(/\.sqlite$/, '') + '.terms.sqlite';
}
