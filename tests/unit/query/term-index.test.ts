// The query stage on the segments' word indexes: words answered from the sidecars alone, everything else exact
// with the index narrowing the rows, and segments without a sidecar still searched (by scanning).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/event.ts';
import { countEvents, queryEvents } from '../../../electron/engine/query/index.ts';
import { requiredLiteral } from '../../../electron/engine/query/regex-literal.ts';
import { MAX_WORD_LENGTH } from '../../../electron/engine/store/term-index.ts';
import { BASE, corpusEvents, corpusReader, SOURCES } from './corpus.ts';
import { buildSegment, makeEvent, MemoryReader, refWordMatch, sourceInfo } from './segment-fixture.ts';

let events: LogEvent[];
let indexed: MemoryReader;
let scanned: MemoryReader;
const NOW = BASE + 3 * 3_600_000;

/** The corpus again, cut the same way, without any sidecar. */
async function unindexedReader(evs: LogEvent[]): Promise<MemoryReader> {
  const built = [];
  let id = 1;
  const mixed: LogEvent[] = [];
  for (const src of SOURCES) {
    const mine = evs.filter((e) => e.sourceId === src.id);
    const tailFrom = src.id <= 2 ? mine.length - 150 : mine.length;
    for (let i = 0; i < tailFrom; i += 600) {
      built.push(
        await buildSegment(id++, mine.slice(i, Math.min(i + 600, tailFrom)), SOURCES, { terms: false }),
      );
    }
    mixed.push(...mine.slice(tailFrom));
  }
  built.push(await buildSegment(id, mixed, SOURCES, { terms: false }));
  return new MemoryReader(built);
}

beforeAll(async () => {
  events = corpusEvents();
  indexed = await corpusReader(events);
  scanned = await unindexedReader(events);
  expect(scanned.segments().map((m) => m.events)).toEqual(indexed.segments().map((m) => m.events));
});
afterAll(() => {
  indexed.close();
  scanned.close();
});

const ref = (pred: (e: LogEvent) => boolean) => events.filter(pred).length;
const w = (x: string) => (e: LogEvent) => refWordMatch(e.raw, x);

describe('word queries answered from the terms sidecars', () => {
  it.each([
    ['error', w('error')],
    ['FAILED', w('failed')],
    ['failure root', (e: LogEvent) => w('failure')(e) && w('root')(e)],
    ['failure OR block', (e: LogEvent) => w('failure')(e) || w('block')(e)],
    ['NOT block', (e: LogEvent) => !w('block')(e)],
    ['(block OR sshd) -root', (e: LogEvent) => (w('block')(e) || w('sshd')(e)) && !w('root')(e)],
    ['authentic*', (e: LogEvent) => /(?<![\p{L}\p{N}_])authentic/iu.test(e.raw)],
  ])('counts %s without loading a segment file', async (q, pred) => {
    indexed.loads = [];
    indexed.termLoads = [];
    const n = await countEvents(indexed, SOURCES, q, { now: NOW });
    expect(n).toBe(ref(pred));
    expect(n).toBeGreaterThan(0);
    expect(indexed.loads).toEqual([]);
    expect(indexed.termLoads.length).toBe(indexed.segments().length);
  });

  it('answers a time bound covering whole segments from the sidecars too', async () => {
    indexed.loads = [];
    const n = await countEvents(indexed, SOURCES, 'from:2024-04-01 to:2024-06-01 error', { now: NOW });
    expect(n).toBe(ref((e) => e.ts != null && w('error')(e)));
    expect(indexed.loads).toEqual([]);
  });

  it('loads only the segments whose candidates need a check on the line', async () => {
    indexed.loads = [];
    const n = await countEvents(indexed, SOURCES, '10.251.73.220', { now: NOW });
    expect(n).toBe(ref(w('10.251.73.220')));
    expect(n).toBeGreaterThan(0);
    expect(indexed.loads.length).toBeGreaterThan(0);
    expect(indexed.loads.length).toBeLessThan(indexed.segments().length);
  });
});

describe('every query gives the same answer with and without the word index', () => {
  const QUERIES = [
    'error',
    'ERROR',
    'fail',
    'failed password',
    'authentic*',
    'blk_*',
    'x*',
    '173.234.31.186',
    '[173.234.31.186]',
    'dfs.DataNode$PacketResponder',
    'mod_jk',
    'blk_-6952295868487656571',
    '"authentication failure"',
    '"RROR] mod_jk"',
    '"check pass; user unknown"',
    '"sshd(pam_unix)"',
    '"rhost=" OR "user="',
    '/user [a-z]+ from/',
    '/PACKETRESPONDER \\d/i',
    '/Received block blk_-?\\d+ of size/',
    '-(block OR sshd) /\\d+\\.\\d+/',
    'error host:web1*',
    'failed sev>=warn',
    'root status:404',
    'block -template:3',
    'source:auth.log session',
    'from:00:10 to:00:40 block',
    'NOT (error OR "session opened")',
    'user:"jane doe" session',
    'sev:info OR error',
  ];

  it.each(QUERIES)('counts %s the same', async (q) => {
    scanned.loads = [];
    const a = await countEvents(indexed, SOURCES, q, { now: NOW });
    const b = await countEvents(scanned, SOURCES, q, { now: NOW });
    expect(a).toBe(b);
  });

  it.each(['error', 'block', 'session', '"user="', 'failed sev>=warn', 'x*', '/size \\d+/'])(
    'lists %s in the same time order, both directions',
    async (q) => {
      for (const order of ['asc', 'desc'] as const) {
        const a = await queryEvents(indexed, SOURCES, q, {
          limit: 500,
          offset: 20,
          order,
          chunk: 37,
          now: NOW,
        });
        const b = await queryEvents(scanned, SOURCES, q, {
          limit: 500,
          offset: 20,
          order,
          chunk: 37,
          now: NOW,
        });
        expect(a).toEqual(b);
      }
    },
  );

  it('searches a segment that has no sidecar by scanning it', async () => {
    scanned.loads = [];
    expect(await countEvents(scanned, SOURCES, 'error', { now: NOW })).toBe(ref(w('error')));
    expect(scanned.loads.length).toBe(scanned.segments().length);
  });
});

describe('over-long words', () => {
  it('finds words longer than the index keeps, exactly, as words and as prefixes', async () => {
    const long = 'abc' + 'x'.repeat(MAX_WORD_LENGTH);
    const lines = [
      `start ${long} end`,
      'start abcdef',
      `${long}y`,
      'nothing here',
      `ABC${'X'.repeat(MAX_WORD_LENGTH)}`,
    ];
    const srcs = [sourceInfo(1, 'long.log')];
    const r = new MemoryReader([
      await buildSegment(
        1,
        lines.map((raw) => makeEvent({ raw, sourceId: 1, ts: 1 })),
        srcs,
      ),
    ]);
    expect(await countEvents(r, srcs, long)).toBe(2);
    expect(await countEvents(r, srcs, 'abc*')).toBe(4);
    expect(await countEvents(r, srcs, 'abcdef')).toBe(1);
    expect(await countEvents(r, srcs, 'start')).toBe(2);
    r.close();
  });
});

describe('required literals of regexes', () => {
  it.each([
    ['user [a-z]+ from', 'user '],
    ['^Failed password for', 'Failed password for'],
    ['foo|bar', null],
    ['(foo|bar)baz', 'baz'],
    ['abc?d', null],
    ['x{0,3}yyy', 'yyy'],
    ['\\p{Lu}xyz', 'xyz'],
    ['a\\.b\\.c', 'a.b.c'],
    ['\\d+\\.\\d+', null],
  ])('takes from /%s/ the literal %s', (source, lit) => {
    expect(requiredLiteral(source)).toBe(lit);
  });
});
