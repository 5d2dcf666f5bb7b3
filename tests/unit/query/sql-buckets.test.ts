import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/event.ts';
import { EVENTS_VIEW_COLUMNS } from '../../../electron/engine/store/schema.ts';
import { bucketCounts, runSql, SqlQueryError } from '../../../electron/engine/query/index.ts';
import { BASE, corpusEvents, corpusReader, SOURCES } from './corpus.ts';
import { MemoryReader, refWordMatch } from './segment-fixture.ts';

let events: LogEvent[];
let reader: MemoryReader;
beforeAll(async () => {
  events = corpusEvents();
  reader = await corpusReader(events);
});
afterAll(() => reader.close());

describe('runSql', () => {
  it('runs one SELECT over a single events view spanning every segment', async () => {
    const r = await runSql(reader, 'SELECT count(*) AS n, count(DISTINCT source) AS sources FROM events');
    expect(r.columns).toEqual(['n', 'sources']);
    expect(r.rows).toEqual([[events.length, SOURCES.length]]);
    const cols = await runSql(reader, 'SELECT * FROM events LIMIT 1;');
    expect(cols.columns).toEqual([...EVENTS_VIEW_COLUMNS]);
  });

  it('exposes the documented columns with the values of the events', async () => {
    const r = await runSql(
      reader,
      `WITH s AS (SELECT severity, count(*) AS n FROM events WHERE source LIKE '%auth.log' GROUP BY severity)
       SELECT severity, n FROM s ORDER BY severity`,
    );
    const want = new Map<string | null, number>();
    for (const e of events.filter((x) => x.sourceId === 3))
      want.set(e.severity, (want.get(e.severity) ?? 0) + 1);
    expect(new Map(r.rows.map(([s, n]) => [s as string | null, n as number]))).toEqual(want);
    const first = await runSql(
      reader,
      'SELECT ts, message, line FROM events WHERE ts_ms IS NOT NULL ORDER BY ts_ms, source, line LIMIT 1',
    );
    expect(first.rows[0]).toEqual([new Date(BASE).toISOString(), events[0].message, 1]);
  });

  it('offers REGEXP with JavaScript syntax', async () => {
    const r = await runSql(
      reader,
      "SELECT count(*) FROM events WHERE raw REGEXP '(?<![\\p{L}\\p{N}_])block(?![\\p{L}\\p{N}_])'",
    );
    expect(r.rows[0][0]).toBe(
      events.filter((e) => /(?<![\p{L}\p{N}_])block(?![\p{L}\p{N}_])/u.test(e.raw)).length,
    );
    expect(r.rows[0][0]).toBeGreaterThan(0);
  });

  it.each([
    ['INSERT INTO ev(source_id, off, raw) VALUES (1, 0, "x")', /read-only.*not INSERT/],
    ['DROP TABLE ev', /not DROP/],
    ["ATTACH DATABASE ':memory:' AS x", /not ATTACH/],
    ['PRAGMA query_only = 0', /not PRAGMA/],
    ['SELECT 1; DELETE FROM ev', /single statement/],
    ['WITH x AS (SELECT 1) DELETE FROM ev', /SQL error/],
    ['SELECT * FROM no_such_table', /SQL error: no such table/],
  ])('rejects %j', async (sql, message) => {
    await expect(runSql(reader, sql)).rejects.toThrow(SqlQueryError);
    await expect(runSql(reader, sql)).rejects.toThrow(message);
    expect((await runSql(reader, 'SELECT count(*) FROM events')).rows[0][0]).toBe(events.length);
  });

  it('refuses to load more events than the cap, with a clear message', async () => {
    await expect(runSql(reader, 'SELECT 1', { maxEvents: 100 })).rejects.toThrow(
      /more than the 100 that fit/,
    );
  });

  it('queries a single segment in place, leaving it writable for the store afterwards', async () => {
    const one = new MemoryReader([
      {
        db: (reader as unknown as { segs: { db: never; meta: never }[] }).segs[0].db,
        meta: reader.segments()[0],
      },
    ]);
    expect((await runSql(one, 'SELECT count(*) FROM events')).rows[0][0]).toBe(reader.segments()[0].events);
    await expect(runSql(one, 'WITH x AS (SELECT 1) DELETE FROM ev')).rejects.toThrow(/readonly|read-only/i);
    const count = await one.withSegment(reader.segments()[0], (db: never) => {
      const d = db as unknown as { exec(s: string): { values: unknown[][] }[] };
      return d.exec('PRAGMA query_only')[0].values[0][0];
    });
    expect(count).toBe(0);
  });
});

describe('bucketCounts', () => {
  it('counts matches per bucket by severity, summing to the total of timed matches', async () => {
    const r = await bucketCounts(reader, SOURCES, 'block OR failure', {
      bucketMs: 60_000,
      groupBy: 'severity',
    });
    expect(r.bucketMs).toBe(60_000);
    const want = new Map<number, Record<string, number>>();
    for (const e of events) {
      if (e.ts == null || !(refWordMatch(e.raw, 'block') || refWordMatch(e.raw, 'failure'))) continue;
      const start = e.ts - (e.ts % 60_000);
      const c = want.get(start) ?? {};
      const k = e.severity ?? 'unknown';
      c[k] = (c[k] ?? 0) + 1;
      want.set(start, c);
    }
    const nonEmpty = r.buckets.filter((b) => Object.keys(b.counts).length > 0);
    expect(new Map(nonEmpty.map((b) => [b.start, b.counts]))).toEqual(want);
    for (let i = 1; i < r.buckets.length; i++)
      expect(r.buckets[i].start - r.buckets[i - 1].start).toBe(60_000);
  });

  it('groups by source URI and by host, within from/to', async () => {
    const from = BASE + 300_000;
    const to = BASE + 900_000;
    const bySource = await bucketCounts(reader, SOURCES, '', {
      bucketMs: 300_000,
      groupBy: 'source',
      from,
      to,
    });
    expect(bySource.buckets.map((b) => b.start)).toEqual([from, from + 300_000]);
    const inRange = events.filter((e) => e.ts != null && e.ts >= from && e.ts < to);
    for (const s of SOURCES) {
      const total = bySource.buckets.reduce((n, b) => n + (b.counts[s.uri] ?? 0), 0);
      expect(total).toBe(inRange.filter((e) => e.sourceId === s.id).length);
    }
    const byHost = await bucketCounts(reader, SOURCES, 'source:apache OR host:web2*', {
      bucketMs: 3_600_000,
      groupBy: 'host',
    });
    const hosts = byHost.buckets.reduce<Record<string, number>>((acc, b) => {
      for (const [k, v] of Object.entries(b.counts)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    const m = events.filter((e) => e.ts != null && (e.sourceId === 4 || e.host === 'web2.example'));
    expect(hosts).toEqual({
      unknown: m.filter((e) => e.host == null).length,
      'web2.example': m.filter((e) => e.host).length,
    });
  });

  it('rejects a bucket size that is not positive', async () => {
    await expect(bucketCounts(reader, SOURCES, '', { bucketMs: 0, groupBy: 'host' })).rejects.toThrow(
      /bucketMs/,
    );
  });
});
