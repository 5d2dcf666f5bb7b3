// The word index of a segment: the tokenizer (ripgrep's -w words), posting lists, and the sidecar built from
// real Loghub lines.
import { describe, expect, it } from 'vitest';
import { foldWord, forEachWord, isWordChar, wordsOf } from '../../../shared/words.ts';
import { decodePostings, encodePostings } from '../../../electron/engine/store/postings.ts';
import { loadSqlJs } from '../../../electron/engine/store/sql-js-loader.ts';
import { TermsFile } from '../../../electron/engine/store/terms-file.ts';
import { buildTermIndex } from '../../../electron/engine/store/term-index-builder.ts';
import {
  LONG_WORDS_TERM,
  MAX_WORD_LENGTH,
  termsFileFor,
  UNTIMED_TERM,
} from '../../../electron/engine/store/term-index.ts';
import { loghubLines } from '../query/segment-fixture.ts';

const DATASETS = [
  'HDFS',
  'Linux',
  'OpenSSH',
  'Apache',
  'Android',
  'Windows',
  'Spark',
  'BGL',
  'HPC',
  'Hadoop',
  'Zookeeper',
];
/** The reference: UTS#18 \w, which is ripgrep's Unicode \w. */
const REF_WORD = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+/gu;

function refSpans(text: string): [number, number][] {
  return [...text.matchAll(REF_WORD)].map((m) => [m.index!, m.index! + m[0].length]);
}

describe('words as rg -w -i sees them', () => {
  it.each(DATASETS)('cuts every %s line exactly where the reference regex does', (d) => {
    const lines = loghubLines(d);
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) {
      const spans: [number, number][] = [];
      forEachWord(line, (s, e) => spans.push([s, e]));
      expect(spans).toEqual(refSpans(line));
      expect(wordsOf(line)).toEqual(refSpans(line).map(([s, e]) => line.slice(s, e).toLowerCase()));
    }
  });

  it('follows ripgrep on the characters where \\p{L}\\p{N} would not (checked with rg 13)', () => {
    expect(wordsOf('a²b xⒶy zⅫw q\u200dr k\u0301m foo‿bar')).toEqual([
      'a',
      'b',
      'xⓐy',
      'zⅻw',
      'q\u200dr',
      'k\u0301m',
      'foo‿bar',
    ]);
    expect(isWordChar('²'.codePointAt(0)!)).toBe(false);
    expect(isWordChar('_'.codePointAt(0)!)).toBe(true);
    expect(isWordChar('-'.codePointAt(0)!)).toBe(false);
  });

  it('reads surrogate pairs as one character and never joins a lone surrogate', () => {
    const text = 'x𝐀y 😀 a\ud800b';
    expect(wordsOf(text)).toEqual(['x𝐀y', 'a', 'b']);
    const spans: [number, number][] = [];
    forEachWord(text, (s, e) => spans.push([s, e]));
    expect(spans).toEqual(refSpans(text));
  });

  it('folds case as ripgrep -i does where lowercase alone would not', () => {
    expect(foldWord('ΟΔΟΣ')).toBe(foldWord('οδοσ'));
    expect(foldWord('ſtraße')).toBe('straße');
    expect(foldWord('KELVIN')).toBe('kelvin');
    expect(foldWord('Error_42')).toBe('error_42');
  });
});

describe('posting lists', () => {
  it('round-trips ascending ids through delta + LEB128 varints', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (const gap of [1, 3, 200, 70_000, 1_000_000]) {
      const ids: number[] = [];
      let id = 0;
      for (let i = 0; i < 2000; i++) ids.push((id += 1 + rand(gap)));
      const bytes = encodePostings(ids);
      expect([...decodePostings(bytes, ids.length)]).toEqual(ids);
      if (gap === 1) expect(bytes.length).toBeLessThan(ids.length * 1.1); // dense lists: ~one byte per id
    }
    expect([...decodePostings(encodePostings([2 ** 31 - 1]), 1)]).toEqual([2 ** 31 - 1]);
    expect(decodePostings(encodePostings([]), 0).length).toBe(0);
  });
});

describe('the terms sidecar', () => {
  it('names it beside the segment', () => {
    expect(termsFileFor('000012.sqlite')).toBe('000012.terms.sqlite');
    expect(termsFileFor('/ws/segments/000012.sqlite')).toBe('/ws/segments/000012.terms.sqlite');
  });

  it.each(['HDFS', 'Linux', 'Apache'])(
    'lists, for every word of %s, exactly the rows holding it',
    async (d) => {
      const SQL = await loadSqlJs();
      const lines = loghubLines(d);
      const rows = lines.map((raw, i) => ({ id: i + 1, raw, ts: i % 5 === 0 ? null : i }));
      const want = new Map<string, number[]>();
      for (const r of rows) {
        for (const w of new Set(wordsOf(r.raw))) {
          if (w.length > MAX_WORD_LENGTH) continue;
          let l = want.get(w);
          if (!l) want.set(w, (l = []));
          l.push(r.id);
        }
      }
      const bytes = buildTermIndex(rows, { segmentId: 1, events: rows.length });
      const db = new SQL.Database(bytes);
      const file = new TermsFile(bytes);
      const got = new Map<string, number[]>();
      const stmt = db.prepare('SELECT term, n, rows FROM terms ORDER BY term');
      while (stmt.step()) {
        const [term, n, blob] = stmt.get() as [string, number, Uint8Array];
        got.set(term, [...decodePostings(blob, n)]);
        // The byte-level reader finds every term sql.js lists, with the same row list.
        expect(file.get(term)).toEqual({ n, rows: blob });
      }
      stmt.free();
      const untimed = got.get(UNTIMED_TERM);
      got.delete(UNTIMED_TERM);
      expect(untimed).toEqual(rows.filter((r) => r.ts === null).map((r) => r.id));
      expect(got).toEqual(want);
      expect(db.exec("SELECT value FROM meta WHERE key = 'events'")[0].values[0][0]).toBe(
        String(rows.length),
      );
      db.close();
    },
  );

  it('leaves words over the length cap out, listing their rows under the long-words key', async () => {
    const SQL = await loadSqlJs();
    const long = 'x'.repeat(MAX_WORD_LENGTH + 1);
    const rows = [
      { id: 1, raw: `short ${long} tail`, ts: 1 },
      { id: 2, raw: `short ${'y'.repeat(MAX_WORD_LENGTH)}`, ts: 2 },
    ];
    const db = new SQL.Database(buildTermIndex(rows, { segmentId: 1, events: 2 }));
    const terms = db.exec('SELECT term, n FROM terms ORDER BY term')[0].values;
    expect(terms).toEqual([
      [LONG_WORDS_TERM, 1],
      ['short', 2],
      ['tail', 1],
      ['y'.repeat(MAX_WORD_LENGTH), 1],
    ]);
    db.close();
  });
});
