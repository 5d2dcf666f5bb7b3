// `anomaly>=…` in the query language: parsed as its own term, checked on the candidate rows with read-time scores,
// so counts, pages at any offset and buckets agree with a filter over every event's score.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import { describeQuery, parseQuery, QuerySyntaxError } from '../../../shared/query/index.ts';
import { severityRank } from '../../../shared/severity.ts';
import type { AnomalyScorer } from '../../../electron/engine/query/anomaly-filter.ts';
import { bucketCounts, countEvents, queryEvents } from '../../../electron/engine/query/index.ts';
import { BASE, corpusEvents, corpusReader, SOURCES } from './corpus.ts';
import { refWordMatch, type MemoryReader } from './segment-fixture.ts';

let events: LogEvent[];
let reader: MemoryReader;
const NOW = BASE + 3 * 3_600_000;

beforeAll(async () => {
  events = corpusEvents();
  reader = await corpusReader(events);
});
afterAll(() => reader.close());

/** A made-up score of what a row stores (template, stored time, host, severity), spread over 0..1. */
let calls = 0;
const scorer: AnomalyScorer = (template, ts, host, sev) => {
  calls++;
  const minute = ts == null ? 7 : Math.floor(ts / 60_000);
  return (((template ?? 3) * 37 + (sev ?? 4) * 11 + (host?.length ?? 2) * 5 + minute * 3) % 100) / 100;
};
const scoreOf = (e: LogEvent) =>
  scorer(e.template, e.ts, e.host, e.severity == null ? null : severityRank(e.severity));

const opts = { now: NOW, anomalyScorer: scorer };
const brief = (e: LogEvent) => `${e.ts}|${e.sourceId}|${e.line}|${e.raw}`;

describe('anomaly terms in the query language', () => {
  it('parses comparisons with a score between 0 and 1', () => {
    expect(describeQuery(parseQuery('anomaly>=0.5'))).toBe('anomaly>=0.5');
    expect(describeQuery(parseQuery('error anomaly>0.8'))).toBe('(error AND anomaly>0.8)');
    expect(describeQuery(parseQuery('-anomaly<0.1'))).toBe('NOT anomaly<0.1');
    expect(describeQuery(parseQuery('ANOMALY:1'))).toBe('anomaly:1');
    for (const bad of ['anomaly>=1.5', 'anomaly>=-0.1', 'anomaly:high', 'anomaly>="0.5"', 'anomaly:/x/']) {
      expect(() => parseQuery(bad), bad).toThrow(QuerySyntaxError);
    }
    expect(() => parseQuery('anomaly>=2')).toThrow(/between 0 and 1/);
  });
});

describe('anomaly filters over the corpus', () => {
  it.each([
    ['anomaly>=0.5', (e: LogEvent) => scoreOf(e) >= 0.5],
    ['anomaly>0.8', (e: LogEvent) => scoreOf(e) > 0.8],
    ['anomaly<0.1', (e: LogEvent) => scoreOf(e) < 0.1],
    ['-anomaly>=0.3', (e: LogEvent) => !(scoreOf(e) >= 0.3)],
    ['error anomaly>=0.5', (e: LogEvent) => refWordMatch(e.raw, 'error') && scoreOf(e) >= 0.5],
    [
      'anomaly>=0.9 OR sev>=error',
      (e: LogEvent) => scoreOf(e) >= 0.9 || severityRank(e.severity ?? 'info') >= 5,
    ],
    ['source:hdfs anomaly>=0.4', (e: LogEvent) => e.sourceId === 1 && scoreOf(e) >= 0.4],
  ])('%s: counts, pages and buckets agree with the scores', async (q, pred) => {
    const want = events.filter(pred);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(events.length);
    expect(await countEvents(reader, SOURCES, q, opts)).toBe(want.length);
    const all = await queryEvents(reader, SOURCES, q, { ...opts, limit: 100_000 });
    expect(all.length).toBe(want.length);
    expect(all.every(pred)).toBe(true);
    // Pages at offsets cut the same listing.
    for (const offset of [0, 17, Math.floor(want.length / 2), want.length - 3]) {
      const page = await queryEvents(reader, SOURCES, q, { ...opts, limit: 25, offset });
      expect(page.map(brief), `offset ${offset}`).toEqual(all.slice(offset, offset + 25).map(brief));
    }
    const buckets = await bucketCounts(reader, SOURCES, q, {
      ...opts,
      bucketMs: 60_000,
      groupBy: 'severity',
    });
    const bucketed = buckets.buckets.reduce(
      (n, b) => n + Object.values(b.counts).reduce((x, y) => x + y, 0),
      0,
    );
    expect(bucketed).toBe(want.filter((e) => e.ts != null).length);
  });

  it('scores by the stored time, so a clock offset moves events but not their scores', async () => {
    const moved: SourceInfo[] = SOURCES.map((s) => (s.id === 2 ? { ...s, clockOffsetMs: 90_000 } : s));
    const q = 'anomaly>=0.5';
    expect(await countEvents(reader, moved, q, opts)).toBe(await countEvents(reader, SOURCES, q, opts));
  });

  it('scores only the rows the index leaves as candidates when words narrow the query', async () => {
    calls = 0;
    await countEvents(reader, SOURCES, 'blk_38865049064139660 anomaly>=0.5', opts);
    const holding = events.filter((e) => refWordMatch(e.raw, 'blk_38865049064139660')).length;
    expect(holding).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(holding);
  });

  it('fails clearly when the reader has no scores to test', async () => {
    await expect(countEvents(reader, SOURCES, 'anomaly>=0.5', { now: NOW })).rejects.toThrow(
      /anomaly filters need the workspace anomaly model/,
    );
  });
});
