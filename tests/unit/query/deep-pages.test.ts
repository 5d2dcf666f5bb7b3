import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/event.ts';
import { countEvents, queryEvents } from '../../../electron/engine/query/index.ts';
import { BASE } from './corpus.ts';
import {
  buildSegment,
  loghubLines,
  makeEvent,
  MemoryReader,
  refWordMatch,
  sourceInfo,
} from './segment-fixture.ts';

// Segments whose time ranges are partly disjoint (skippable), partly overlapping or touching at one instant
// (merged), with untimed events, duplicate sort keys, a segment holding only untimed events and one without a
// word index; listed to the reader out of time order so that the plan's order (the tie-break) is not time order.
const SOURCES = [sourceInfo(1, '/var/log/auth.log'), sourceInfo(2, '/var/log/messages')];

interface Spec {
  name: string;
  sourceId: number;
  /** Seconds after BASE, null for an untimed event. */
  times: (number | null)[];
  terms?: boolean;
  /** Every third event has no line (so keys repeat where times do). */
  nullLines?: boolean;
}

const range = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => from + i * step);
const SPECS: Spec[] = [
  { name: 'E overlaps D', sourceId: 1, times: range(700, 150) },
  { name: 'A', sourceId: 1, times: [...range(0, 70), null, null, ...range(70, 80), null] },
  { name: 'H no index', sourceId: 2, times: [...range(1200, 150), null, null, null], terms: false },
  { name: 'C touches B', sourceId: 2, times: range(349, 150) },
  { name: 'G untimed only', sourceId: 1, times: Array(30).fill(null) },
  { name: 'B', sourceId: 1, times: range(200, 150) },
  {
    name: 'F ties',
    sourceId: 2,
    times: [...range(1000, 150).map((t) => 1000 + Math.floor((t - 1000) / 3)), ...Array(20).fill(null)],
    nullLines: true,
  },
  { name: 'D', sourceId: 2, times: range(600, 150).map((t) => 600 + 2 * Math.floor((t - 600) / 2)) },
];

interface Placed {
  event: LogEvent;
  /** Position of its segment in the reader (the plan's order), and its row id there. */
  seg: number;
  id: number;
}

/** Builds the segments (ids 1.. in spec order) with Loghub lines, lines numbered per source in spec order. */
async function build(specs: Spec[]): Promise<{ reader: MemoryReader; placed: Placed[] }> {
  const pools = { 1: loghubLines('OpenSSH'), 2: loghubLines('Linux') } as Record<number, string[]>;
  const nextLine = { 1: 1, 2: 1 } as Record<number, number>;
  let offset = 0;
  const placed: Placed[] = [];
  const segs = [];
  for (const [seg, spec] of specs.entries()) {
    const events = spec.times.map((t, i) => {
      const line = nextLine[spec.sourceId]++;
      return makeEvent({
        raw: pools[spec.sourceId][line % pools[spec.sourceId].length],
        sourceId: spec.sourceId,
        ts: t == null ? null : BASE + t * 1000,
        line: spec.nullLines && i % 3 !== 0 ? null : line,
        offset: offset++,
        fields: i % 4 === 1 ? { status: 404 } : { status: 200 },
      });
    });
    events.forEach((event, i) => placed.push({ event, seg, id: i + 1 }));
    segs.push(await buildSegment(seg + 1, events, SOURCES, { terms: spec.terms }));
  }
  return { reader: new MemoryReader(segs), placed };
}

let reader: MemoryReader;
let placed: Placed[];
// One source cut like an ingest cuts it: each segment starts at the second the previous one ends in.
const CHAIN: Spec[] = range(0, 5).map((i) => ({
  name: `chain ${i}`,
  sourceId: 1,
  times: range(0, 120).map((j) => Math.floor((i * 120 + j) / 7)),
}));
let chain: { reader: MemoryReader; placed: Placed[] };

beforeAll(async () => {
  ({ reader, placed } = await build(SPECS));
  chain = await build(CHAIN);
});
afterAll(() => chain.reader.close());
afterAll(() => reader.close());

/** The documented order: time, source id, line (no line first), segment, row; untimed events last in both orders. */
function reference(pred: (e: LogEvent) => boolean, dir: 1 | -1, from = placed): LogEvent[] {
  const key = (p: Placed) => [p.event.ts ?? 0, p.event.sourceId, p.event.line ?? -Infinity, p.seg, p.id];
  return from
    .filter((p) => pred(p.event))
    .sort((a, b) => {
      if ((a.event.ts == null) !== (b.event.ts == null)) return a.event.ts == null ? 1 : -1;
      const ka = key(a);
      const kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] < kb[i] ? -1 : 1) * dir;
      return 0;
    })
    .map((p) => p.event);
}

const FROM = 330;
const QUERIES: [string, (e: LogEvent) => boolean][] = [
  ['', () => true],
  ['sshd', (e) => refWordMatch(e.raw, 'sshd')],
  ['status:404', (e) => e.fields.status === 404],
  ['"authentication failure"', (e) => e.raw.toLowerCase().includes('authentication failure')],
  [`from:${new Date(BASE + FROM * 1000).toISOString()}`, (e) => e.ts != null && e.ts >= BASE + FROM * 1000],
];

/** Offsets worth checking: both ends, the middle, and around every change of segment in the full list. */
function offsetsFor(full: LogEvent[], limit: number, from = placed): number[] {
  const seg = new Map(from.map((p) => [p.event, p.seg]));
  const out = new Set([
    0,
    1,
    Math.floor(full.length / 2),
    full.length - limit,
    full.length - 1,
    full.length,
    full.length + 5,
  ]);
  for (let i = 1; i < full.length; i++) {
    if (seg.get(full[i]) !== seg.get(full[i - 1]) || (full[i].ts == null) !== (full[i - 1].ts == null)) {
      for (const d of [-limit, -1, 0, 1]) out.add(i + d);
    }
  }
  return [...out].filter((o) => o >= 0).sort((a, b) => a - b);
}

const ids = (events: LogEvent[]) => events.map((e) => e.offset);

describe('queryEvents pages at any offset', () => {
  it('groups the workspace into disjoint and overlapping segments with untimed events', () => {
    expect(reader.segments().length).toBe(SPECS.length);
    expect(placed.filter((p) => p.event.ts == null).length).toBeGreaterThan(50);
  });

  for (const [query, pred] of QUERIES) {
    for (const order of ['asc', 'desc'] as const) {
      it(`returns the reference slice for ${JSON.stringify(query)} (${order}) at every boundary offset`, async () => {
        const full = reference(pred, order === 'asc' ? 1 : -1);
        expect(full.length).toBeGreaterThan(20);
        expect(await countEvents(reader, SOURCES, query)).toBe(full.length);
        const all = await queryEvents(reader, SOURCES, query, { limit: full.length + 10, order });
        expect(ids(all)).toEqual(ids(full));
        for (const limit of [7, 60]) {
          for (const offset of offsetsFor(full, limit)) {
            const page = await queryEvents(reader, SOURCES, query, { limit, offset, order });
            expect(ids(page), `offset ${offset} limit ${limit}`).toEqual(
              ids(full.slice(offset, offset + limit)),
            );
          }
        }
        // Small chunks make the merges inside overlapping groups read each segment in many steps.
        for (const offset of offsetsFor(full, 5).filter((_, i) => i % 3 === 0)) {
          const page = await queryEvents(reader, SOURCES, query, { limit: 5, offset, order, chunk: 2 });
          expect(ids(page), `offset ${offset} chunk 2`).toEqual(ids(full.slice(offset, offset + 5)));
        }
      });
    }
  }
});

describe('queryEvents skips segments before a deep offset', () => {
  const segOf = (e: LogEvent) => placed.find((p) => p.event === e || p.event.offset === e.offset)!.seg + 1;

  it.each(['', 'sshd'])(
    'loads only the segments of the page for %j when the index knows the counts',
    async (query) => {
      const pred = QUERIES.find(([q]) => q === query)![1];
      for (const order of ['asc', 'desc'] as const) {
        const full = reference(pred, order === 'asc' ? 1 : -1);
        // A page inside the last timed group: segment H (asc) or A (desc), each alone in its group.
        const lastTimed = full.findLastIndex((e) => e.ts != null);
        const offset = lastTimed - 3;
        reader.loads = [];
        const page = await queryEvents(reader, SOURCES, query, { limit: 3, offset, order });
        expect(ids(page)).toEqual(ids(full.slice(offset, offset + 3)));
        const pageSegs = new Set(page.map(segOf));
        expect(pageSegs.size).toBe(1);
        // Only H, which has no word index, must be loaded to count a word before it can be skipped.
        const unindexed = SPECS.findIndex((s) => s.terms === false) + 1;
        const counted = query === '' ? [] : [unindexed];
        expect(new Set(reader.loads)).toEqual(
          new Set([...pageSegs, ...counted.filter(() => order === 'desc')]),
        );
      }
    },
  );

  it('loads nothing for a page past the end when every count is known', async () => {
    reader.loads = [];
    expect(await queryEvents(reader, SOURCES, '', { limit: 10, offset: placed.length })).toEqual([]);
    expect(reader.loads).toEqual([]);
  });

  it('loads only the first group for the first page', async () => {
    reader.loads = [];
    const page = await queryEvents(reader, SOURCES, '', { limit: 10 });
    expect(ids(page)).toEqual(ids(reference(() => true, 1).slice(0, 10)));
    expect(reader.loads).toEqual([SPECS.findIndex((s) => s.name === 'A') + 1]);
  });
});

describe('queryEvents in segments that touch at one second', () => {
  it('groups nothing apart: every segment shares its first second with the previous one', () => {
    const metas = chain.reader.segments();
    for (let i = 1; i < metas.length; i++) expect(metas[i].tsMin).toBe(metas[i - 1].tsMax);
  });

  for (const [query, pred] of QUERIES.slice(0, 2)) {
    for (const order of ['asc', 'desc'] as const) {
      it(`returns the reference slice for ${JSON.stringify(query)} (${order}) at every offset`, async () => {
        const full = reference(pred, order === 'asc' ? 1 : -1, chain.placed);
        const offsets = new Set([
          ...offsetsFor(full, 7, chain.placed),
          ...range(0, Math.ceil(full.length / 13), 13),
        ]);
        for (const offset of offsets) {
          const page = await queryEvents(chain.reader, SOURCES, query, { limit: 7, offset, order });
          expect(ids(page), `offset ${offset}`).toEqual(ids(full.slice(offset, offset + 7)));
        }
      });
    }
  }

  it('loads only the segment of a page in the middle of the last segment', async () => {
    for (const order of ['asc', 'desc'] as const) {
      chain.reader.loads = [];
      const full = reference(() => true, order === 'asc' ? 1 : -1, chain.placed);
      const offset = full.length - 60;
      const page = await queryEvents(chain.reader, SOURCES, '', { limit: 5, offset, order });
      expect(ids(page)).toEqual(ids(full.slice(offset, offset + 5)));
      expect(new Set(chain.reader.loads)).toEqual(new Set([order === 'asc' ? CHAIN.length : 1]));
    }
  });
});
