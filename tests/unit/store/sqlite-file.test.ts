// The JavaScript SQLite writer must produce files SQLite itself accepts as sound and reads back exactly: checked
// with the sqlite3 program (integrity_check) and sql.js, on trees deep enough to have interior levels and on
// payloads large enough to spill into overflow pages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseWriter } from '../../../electron/engine/store/sqlite-file/database-writer.ts';
import { RecordEncoder } from '../../../electron/engine/store/sqlite-file/record.ts';
import { partition } from '../../../electron/engine/store/sqlite-file/btree-writer.ts';
import { loadSqlJs } from '../../../electron/engine/store/sql-js-loader.ts';
import { requireProgram } from '../../helpers/require-program.ts';

const utf8 = new TextEncoder();
const hasSqlite3 = requireProgram('sqlite3');

interface Row {
  id: number;
  n: number | null;
  t: string | null;
  b: Uint8Array | null;
}

/** Deterministic rows with every value kind: ints of every width, floats, nulls, unicode, long text and blobs. */
function rows(count: number): Row[] {
  const out: Row[] = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nums = [
    0,
    1,
    -1,
    127,
    -128,
    300,
    -40000,
    8388607,
    -8388609,
    2 ** 31,
    1.7e12,
    -(2 ** 47),
    2 ** 53 - 1,
    0.5,
    -3.25,
  ];
  for (let i = 1; i <= count; i++) {
    const r = rnd();
    const len = r < 0.01 ? 5000 + Math.floor(rnd() * 20000) : Math.floor(rnd() * 120);
    const text = i % 11 === 0 ? null : `row ${i} é€😀 ` + 'x'.repeat(len);
    const blob =
      i % 5 === 0
        ? Uint8Array.from({ length: Math.floor(rnd() * (r < 0.02 ? 9000 : 40)) }, (_, j) => (i + j) & 0xff)
        : null;
    out.push({ id: i * 3, n: i % 13 === 0 ? null : nums[i % nums.length], t: text, b: blob });
  }
  return out;
}

/** `direct`: rows and index entries encoded straight into their pages (addRecord) instead of through finish(). */
function writeDatabase(data: Row[], direct = false): Uint8Array {
  const db = new DatabaseWriter();
  const enc = new RecordEncoder();
  const table = db.table();
  for (const r of data) {
    enc.begin().null().numOrNull(r.n);
    if (r.t === null) enc.null();
    else enc.text(r.t);
    if (r.b === null) enc.null();
    else enc.blob(r.b);
    if (direct) table.addRecord(r.id, enc);
    else table.add(r.id, enc.finish());
  }
  const tableRoot = table.finish();
  // An index on (n, id): NULLs first, then numbers in order, ties by rowid.
  const sorted = [...data].sort((x, y) => {
    if (x.n === null || y.n === null) return x.n === y.n ? x.id - y.id : x.n === null ? -1 : 1;
    return x.n - y.n || x.id - y.id;
  });
  const index = db.index();
  for (const r of sorted) {
    enc.begin().numOrNull(r.n).num(r.id);
    if (direct) index.addRecord(enc);
    else index.add(enc.finish());
  }
  const indexRoot = index.finish();
  // A WITHOUT ROWID table keyed by text, in UTF-8 byte order, with large blobs (overflow in index pages).
  const keys = data.filter((r) => r.t !== null).map((r) => ({ key: utf8.encode(`k${r.id}`), r }));
  keys.sort((x, y) => Buffer.compare(x.key, y.key));
  const terms = db.index();
  for (const { key, r } of keys)
    terms.add(
      enc
        .begin()
        .textBytes(key, 0, key.length)
        .num(r.id)
        .blob(r.b ?? new Uint8Array(0))
        .finish(),
    );
  const termsRoot = terms.finish();
  db.schema('table', 't', 't', tableRoot, 'CREATE TABLE t(id INTEGER PRIMARY KEY, n REAL, t TEXT, b BLOB)');
  db.schema('index', 't_n', 't', indexRoot, 'CREATE INDEX t_n ON t(n)');
  db.schema(
    'table',
    'w',
    'w',
    termsRoot,
    'CREATE TABLE w(k TEXT PRIMARY KEY, id INTEGER, b BLOB) WITHOUT ROWID',
  );
  db.schema('view', 'v', 'v', 0, 'CREATE VIEW v AS SELECT id, t FROM t');
  return db.finish();
}

describe('the JavaScript SQLite writer', () => {
  it('splits children into pages that all hold a cell', () => {
    expect(partition([10, 10, 10], 100)).toEqual([[0, 3]]);
    // Three cells of 12 bytes fit a 40-byte page; the fourth is the boundary, and the lone last child borrows one.
    expect(partition([10, 10, 10, 10, 10], 40)).toEqual([
      [0, 3],
      [4, 5],
    ]);
    expect(partition([10, 10, 10, 10], 40)).toEqual([
      [0, 2],
      [3, 4],
    ]);
  });

  it.each([1, 150, 20_000])(
    'encodes %i rows straight into their pages with the same bytes as through a finished record',
    (count) => {
      const data = rows(count);
      expect(Buffer.from(writeDatabase(data, true)).equals(Buffer.from(writeDatabase(data)))).toBe(true);
    },
  );

  it.each([0, 1, 150, 20_000])(
    'writes %i rows that sqlite3 finds sound and sql.js reads back exactly',
    async (count) => {
      const data = rows(count);
      const bytes = writeDatabase(data);
      if (hasSqlite3) {
        const file = join(mkdtempSync(join(tmpdir(), 'flumen-sqlite-file-')), 'db.sqlite');
        writeFileSync(file, bytes);
        expect(execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim()).toBe(
          'ok',
        );
      }
      const SQL = await loadSqlJs();
      const db = new SQL.Database(bytes);
      try {
        const got = db.exec('SELECT id, n, t, b FROM t ORDER BY id')[0]?.values ?? [];
        expect(got.length).toBe(count);
        got.forEach((row, i) => {
          const want = data[i];
          expect(row[0]).toBe(want.id);
          expect(row[1]).toBe(want.n);
          expect(row[2]).toBe(want.t);
          if (want.b === null) expect(row[3]).toBeNull();
          else expect(Buffer.from(row[3] as Uint8Array).equals(Buffer.from(want.b))).toBe(true);
        });
        // The index answers range queries (the planner uses it for n < 0).
        const neg = db.exec('SELECT count(*) FROM t INDEXED BY t_n WHERE n < 0')[0].values[0][0];
        expect(neg).toBe(data.filter((r) => r.n !== null && r.n < 0).length);
        const w = db.exec('SELECT count(*), sum(length(b)) FROM w')[0].values[0];
        const withText = data.filter((r) => r.t !== null);
        expect(w[0]).toBe(withText.length);
        if (withText.length > 0) expect(w[1]).toBe(withText.reduce((s, r) => s + (r.b?.length ?? 0), 0));
        if (withText.length > 0) {
          const probe = withText[Math.floor(withText.length / 2)];
          expect(db.exec(`SELECT id FROM w WHERE k = 'k${probe.id}'`)[0].values[0][0]).toBe(probe.id);
        }
      } finally {
        db.close();
      }
    },
  );
});
