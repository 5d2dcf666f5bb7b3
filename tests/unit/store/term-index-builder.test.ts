// The word index builder against an obviously correct reference: for real Loghub lines and for lines made to hit
// every path of the tokenizer (non-ASCII words and case folds, surrogates, repeats, long words, untimed rows),
// the sidecar lists exactly the rows each folded word of shared/words.ts is in, in the binary order of its terms.
import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldWord, forEachWord } from '../../../shared/words.ts';
import { decodePostings } from '../../../electron/engine/store/postings.ts';
import { loadSqlJs } from '../../../electron/engine/store/sql-js-loader.ts';
import { buildTermIndex } from '../../../electron/engine/store/term-index-builder.ts';
import { LONG_WORDS_TERM, MAX_WORD_LENGTH, UNTIMED_TERM } from '../../../electron/engine/store/term-index.ts';
import { loghubLines } from '../query/segment-fixture.ts';

type Row = { id: number; raw: string; ts: number | null };

const LOGHUB = '/work/shared/data/loghub';
const DATASETS = readdirSync(LOGHUB).filter((d) => existsSync(`${LOGHUB}/${d}/${d}_2k.log`));

/** term -> [row count, row ids], the reserved keys included, computed the plain way. */
function reference(rows: Row[]): Map<string, number[]> {
  const want = new Map<string, number[]>();
  const note = (term: string, id: number) => {
    let l = want.get(term);
    if (!l) want.set(term, (l = []));
    if (l[l.length - 1] !== id) l.push(id);
  };
  for (const r of rows) {
    forEachWord(r.raw, (s, e) => {
      if (e - s > MAX_WORD_LENGTH) note(LONG_WORDS_TERM, r.id);
      else note(foldWord(r.raw.slice(s, e)), r.id);
    });
    if (r.ts === null) note(UNTIMED_TERM, r.id);
  }
  return want;
}

/** The sidecar's terms in stored order, each with its decoded row ids (checked against its count). */
async function decode(bytes: Uint8Array): Promise<[string, number[]][]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(bytes);
  const out: [string, number[]][] = [];
  // No ORDER BY: a WITHOUT ROWID table is scanned in the order of its B-tree, as the builder wrote it.
  const stmt = db.prepare('SELECT term, n, rows FROM terms');
  while (stmt.step()) {
    const [term, n, blob] = stmt.get() as [string, number, Uint8Array];
    const ids = [...decodePostings(blob, n)];
    expect(blob.length, term).toBe(encodedLength(ids));
    out.push([term, ids]);
  }
  stmt.free();
  db.close();
  return out;
}

function encodedLength(ids: number[]): number {
  let len = 0;
  let last = 0;
  for (const id of ids) {
    let v = id - last;
    last = id;
    do {
      len++;
      v >>>= 7;
    } while (v > 0);
  }
  return len;
}

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

async function expectMatchesReference(rows: Row[]): Promise<number> {
  const got = await decode(buildTermIndex(rows, { segmentId: 3, events: rows.length }));
  const want = reference(rows);
  expect(got.map(([t]) => t)).toEqual([...want.keys()].sort(byUtf8));
  expect(new Map(got)).toEqual(want);
  return got.length;
}

/** Lines that take every path of the tokenizer, with the words of `seed` mixed in. */
function trickyLines(seed: string[]): string[] {
  const long = 'z'.repeat(MAX_WORD_LENGTH);
  return [
    'Error error ERROR eRrOr: error twice in one row counts once',
    'ΟΔΟΣ οδος Οδός ſtraße STRASSE straße KELVIN kelvin \u212aelvin', // final sigma, long s, Kelvin sign
    'x𝐀y 😀 a\ud800b lone \udc00 halves 𝐀𝐁𝐂',
    'a²b xⒶy zⅫw q\u200dr k\u0301m foo‿bar ÉCOLE école',
    `${long} ${long}x ${'é'.repeat(MAX_WORD_LENGTH)} ${'é'.repeat(MAX_WORD_LENGTH + 1)}`,
    `${'𝐀'.repeat(MAX_WORD_LENGTH / 2)} ${'𝐀'.repeat(MAX_WORD_LENGTH / 2 + 1)} tail`,
    '',
    '--- ... ///',
    '中文日志 消息 中文日志',
    `${seed.join(' ')} ${seed.join(' ').toUpperCase()}`,
    'x '.repeat(70_000) + 'end', // more words than one chunk of occurrences holds
  ];
}

describe('the word index builder', () => {
  it('finds the Loghub datasets', () => {
    expect(DATASETS.length).toBeGreaterThanOrEqual(11);
  });

  it.each(DATASETS)('lists, for every folded word of %s, exactly the rows holding it', async (d) => {
    const rows = loghubLines(d).map((raw, i) => ({ id: i + 1, raw, ts: i % 7 === 3 ? null : i }));
    expect(await expectMatchesReference(rows)).toBeGreaterThan(50);
  });

  it('indexes all datasets as one segment with tricky lines among them and gaps between row ids', async () => {
    const lines = DATASETS.flatMap((d) => loghubLines(d));
    const tricky = trickyLines(lines.slice(0, 5).flatMap((l) => l.split(' ')));
    const rows: Row[] = [];
    let id = 100;
    for (let i = 0; i < lines.length; i++) {
      if (i % 997 === 0) for (const raw of tricky) rows.push({ id: (id += 1), raw, ts: id });
      // Gaps: the builder must not take row ids for positions.
      id += i % 3 === 0 ? 5 : 1;
      rows.push({ id, raw: lines[i], ts: i % 11 === 0 ? null : i });
    }
    expect(rows.length).toBeGreaterThan(20_000);
    expect(await expectMatchesReference(rows)).toBeGreaterThan(10_000);
  });

  it('handles the tricky lines alone, and a segment of nothing but ASCII words', async () => {
    const tricky = trickyLines(['Alpha', 'beta']).map((raw, i) => ({
      id: i + 1,
      raw,
      ts: i === 2 ? null : i,
    }));
    await expectMatchesReference(tricky);
    await expectMatchesReference(tricky.slice(0, 1));
    await expectMatchesReference([{ id: 1, raw: 'only ascii here', ts: null }]);
  });

  it('writes an empty terms table for a segment without words', async () => {
    expect(await expectMatchesReference([])).toBe(0);
    expect(await expectMatchesReference([{ id: 1, raw: '!!! ---', ts: 5 }])).toBe(0);
  });

  it('folds a non-ASCII spelling into the ASCII word it folds to, whichever comes first', async () => {
    for (const raw of [
      ['\u212aelvin', 'KELVIN x'],
      ['Kelvin', 'x \u212aELVIN'],
    ]) {
      const got = await decode(
        buildTermIndex(
          raw.map((r, i) => ({ id: i + 1, raw: r, ts: 1 })),
          { segmentId: 1, events: 2 },
        ),
      );
      expect(got).toEqual([
        ['kelvin', [1, 2]],
        ['x', [2]],
      ]);
    }
  });
});
