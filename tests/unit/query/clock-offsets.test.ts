// Per-source clock offsets in the query stage: listed times, merge order, deep pages, time bounds and buckets all
// follow the corrected time; 0 (or no offset) leaves every SQL statement exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import { bucketCounts, countEvents, queryEvents } from '../../../electron/engine/query/index.ts';
import type { SqlDatabase } from '../../../electron/engine/query/db.ts';
import { BASE, corpusEvents, corpusReader, SOURCES } from './corpus.ts';
import { buildSegment, MemoryReader, refWordMatch } from './segment-fixture.ts';

let events: LogEvent[];
let reader: MemoryReader;
/** Every statement prepared on any segment, in order. */
const statements: string[] = [];
const NOW = BASE + 3 * 3_600_000;

beforeAll(async () => {
  events = corpusEvents();
  reader = await corpusReader(events);
  for (const meta of reader.segments()) {
    await reader.withSegment(meta, (db: SqlDatabase) => {
      const prepare = db.prepare.bind(db);
      db.prepare = (sql: string) => {
        statements.push(sql);
        return prepare(sql);
      };
    });
  }
});
afterAll(() => reader.close());

/** The corpus sources with clock offsets (ms: positive, the clock ran fast) by source id. */
function withOffsets(offsets: Record<number, number>): SourceInfo[] {
  return SOURCES.map((s) => (s.id in offsets ? { ...s, clockOffsetMs: offsets[s.id] } : s));
}

/** The events as an offset shows them: stored time minus the source's offset. */
function corrected(offsets: Record<number, number>): LogEvent[] {
  return events.map((e) => (e.ts == null ? e : { ...e, ts: e.ts - (offsets[e.sourceId] ?? 0) }));
}

const key = (e: LogEvent) => [e.ts == null ? 1 : 0, e.ts ?? 0, e.sourceId, e.line ?? -1];
function inOrder(list: LogEvent[]): LogEvent[] {
  return [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}
const brief = (e: LogEvent) => `${e.ts}|${e.sourceId}|${e.line}|${e.raw}`;

/** Runs a fixed battery of reads and returns the statements they prepared. */
async function statementsOf(sources: SourceInfo[]): Promise<string[]> {
  statements.length = 0;
  await countEvents(reader, sources, 'error', { now: NOW });
  await countEvents(reader, sources, '"sshd(pam_unix)" from:2024-05-01T00:10:00Z', { now: NOW });
  await queryEvents(reader, sources, '', { limit: 50, offset: 3000, now: NOW });
  await queryEvents(reader, sources, 'failure OR error', { limit: 20, offset: 100, order: 'desc', now: NOW });
  await queryEvents(reader, sources, 'from:2024-05-01T00:05:00Z to:2024-05-01T00:20', {
    limit: 30,
    now: NOW,
  });
  await bucketCounts(reader, sources, 'block', { bucketMs: 60_000, groupBy: 'source', now: NOW });
  return [...statements];
}

describe('clock offsets in the query stage', () => {
  it('keeps every SQL statement identical when no source has an offset, or an offset of 0', async () => {
    const none = await statementsOf(SOURCES);
    const zero = await statementsOf(withOffsets({ 1: 0, 2: 0, 3: 0, 4: 0 }));
    expect(none.length).toBeGreaterThan(10);
    expect(zero).toEqual(none);
    expect(none.some((s) => /CASE ev\.source_id|\(ev\.ts [+-]/.test(s))).toBe(false);
    // An offset does change the statements of the segments holding that source.
    const shifted = await statementsOf(withOffsets({ 2: 2500 }));
    expect(shifted.some((s) => s.includes('(ev.ts + -2500)'))).toBe(true);
    // The segment mixing sources 1 and 2 reads each row's time by its source.
    expect(shifted.some((s) => s.includes('(ev.ts + CASE ev.source_id WHEN 2 THEN -2500 ELSE 0 END)'))).toBe(
      true,
    );
  });

  it.each([
    ['a few seconds, reordering neighbours', { 1: 2500, 3: -7000 }],
    ['an hour, moving a source past the others', { 2: -3_600_000 }],
    ['a fast and a slow clock together', { 1: 90_000, 4: -45_000 }],
  ])('lists every event at its corrected time in merged order: %s', async (_, offsets) => {
    const sources = withOffsets(offsets);
    const want = inOrder(corrected(offsets)).map(brief);
    const all = await queryEvents(reader, sources, '', { limit: 100_000, now: NOW });
    expect(all.map(brief)).toEqual(want);
    // In small chunks, at deep offsets, and newest first: the same order.
    const chunked = await queryEvents(reader, sources, '', { limit: 100_000, chunk: 7, now: NOW });
    expect(chunked.map(brief)).toEqual(want);
    for (const offset of [0, 1, 999, 2500, 4321, 7900]) {
      const page = await queryEvents(reader, sources, '', { limit: 60, offset, now: NOW });
      expect(page.map(brief), `offset ${offset}`).toEqual(want.slice(offset, offset + 60));
    }
    const desc = await queryEvents(reader, sources, '', { limit: 100_000, order: 'desc', now: NOW });
    const timed = want.filter((b) => !b.startsWith('null|'));
    expect(desc.slice(0, timed.length).map(brief)).toEqual([...timed].reverse());
  });

  it('bounds from:/to: by corrected time, for counts and pages alike', async () => {
    const offsets = { 1: 2500, 2: -600_000 };
    const sources = withOffsets(offsets);
    const from = BASE + 300_000;
    const to = BASE + 900_000;
    const q = `from:${new Date(from).toISOString()} to:${new Date(to - 1).toISOString()}`;
    const want = inOrder(corrected(offsets).filter((e) => e.ts != null && e.ts >= from && e.ts < to));
    expect(want.some((e) => e.sourceId === 2)).toBe(true);
    expect(await countEvents(reader, sources, q, { now: NOW })).toBe(want.length);
    const listed = await queryEvents(reader, sources, q, { limit: 100_000, now: NOW });
    expect(listed.map(brief)).toEqual(want.map(brief));
    // With words too (the index decides them, the bound is checked in SQL).
    const words = `error ${q}`;
    const wantWords = want.filter((e) => refWordMatch(e.raw, 'error'));
    expect(await countEvents(reader, sources, words, { now: NOW })).toBe(wantWords.length);
    // The same bounds without the offsets select other events.
    expect(await countEvents(reader, SOURCES, q, { now: NOW })).not.toBe(want.length);
  });

  it('counts histogram buckets at corrected times', async () => {
    const offsets = { 3: 125_000, 4: -30_000 };
    const r = await bucketCounts(reader, withOffsets(offsets), '', {
      bucketMs: 60_000,
      groupBy: 'source',
      now: NOW,
    });
    const uri = new Map(SOURCES.map((s) => [s.id, s.uri]));
    const want = new Map<number, Record<string, number>>();
    for (const e of corrected(offsets)) {
      if (e.ts == null) continue;
      const start = e.ts - (((e.ts % 60_000) + 60_000) % 60_000);
      const c = want.get(start) ?? {};
      c[uri.get(e.sourceId)!] = (c[uri.get(e.sourceId)!] ?? 0) + 1;
      want.set(start, c);
    }
    const nonEmpty = r.buckets.filter((b) => Object.keys(b.counts).length > 0);
    expect(new Map(nonEmpty.map((b) => [b.start, b.counts]))).toEqual(want);
  });

  it('corrects segments without a word index (scanned) the same way', async () => {
    const half = (id: number) => events.filter((e) => e.sourceId === id && e.ts != null).slice(0, 400);
    const mixed = [...half(1).slice(200), ...half(2).slice(200)];
    const built = [
      await buildSegment(1, half(1).slice(0, 200), SOURCES, { terms: false }),
      await buildSegment(2, half(2).slice(0, 200), SOURCES),
      await buildSegment(3, mixed, SOURCES, { terms: false }),
    ];
    const small = new MemoryReader(built);
    try {
      const offsets = { 1: -1500, 2: 2500 };
      const mine = [...half(1), ...half(2)].map((e) => ({
        ...e,
        ts: e.ts! - (offsets[e.sourceId as 1 | 2] ?? 0),
      }));
      const listed = await queryEvents(small, withOffsets(offsets), '', { limit: 10_000, chunk: 5 });
      expect(listed.map(brief)).toEqual(inOrder(mine).map(brief));
      const from = BASE + 60_000;
      const q = `block from:${new Date(from).toISOString()}`;
      const want = mine.filter((e) => e.ts! >= from && refWordMatch(e.raw, 'block'));
      expect(await countEvents(small, withOffsets(offsets), q, { now: NOW })).toBe(want.length);
    } finally {
      small.close();
    }
  });

  it('restores every result once the offsets are undone', async () => {
    const before = await queryEvents(reader, SOURCES, '', { limit: 100_000, now: NOW });
    const moved = await queryEvents(reader, withOffsets({ 1: 5000, 2: -5000 }), '', {
      limit: 100_000,
      now: NOW,
    });
    expect(moved.map(brief)).not.toEqual(before.map(brief));
    const undone = await queryEvents(reader, withOffsets({ 1: 0, 2: 0 }), '', { limit: 100_000, now: NOW });
    expect(undone.map(brief)).toEqual(before.map(brief));
  });
});
