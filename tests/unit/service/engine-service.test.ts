// EngineService and dispatch against a real workspace holding two Loghub datasets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiNotice, JobProgress } from '../../../shared/api.ts';
import { ROUND_WIDTHS_MS } from '../../../electron/engine/service/bucket-width.ts';
import { dispatch } from '../../../electron/engine/service/dispatch.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { countEvents } from '../../../electron/engine/query/index.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { LOGHUB } from '../../helpers/cli.ts';

const HDFS = path.join(LOGHUB, 'HDFS', 'HDFS_2k.log');
const LINUX = path.join(LOGHUB, 'Linux', 'Linux_2k.log');

let dir: string;
let service: EngineService;
const notices: ApiNotice[] = [];

function jobDone(jobId: string): Promise<JobProgress> {
  return new Promise((resolve) => {
    const stop = service.subscribe((n) => {
      if (n.type === 'progress' && n.progress.jobId === jobId && n.progress.done) {
        stop();
        resolve(n.progress);
      }
    });
  });
}

async function engineCount(query: string): Promise<number> {
  const ws = await Workspace.open(dir);
  try {
    return await countEvents(ws.reader(), ws.manifest().sources, query);
  } finally {
    await ws.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-service-'));
  service = await EngineService.open(path.join(dir, 'ws'), { create: true });
  dir = path.join(dir, 'ws');
  service.subscribe((n) => notices.push(n));
  const { jobId } = await service.ingest({ paths: [HDFS, LINUX] });
  const last = await jobDone(jobId);
  expect(last.failure).toBeUndefined();
});

afterAll(async () => {
  await service?.close();
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('EngineService', () => {
  it('ingests both files as a job whose notices end with done and sources-changed', async () => {
    const progress = notices.filter((n) => n.type === 'progress').map((n) => n.progress);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const last = progress[progress.length - 1];
    expect(last.done).toBe(true);
    expect(last.events).toBe(4000);
    expect(last.errors).toEqual([]);
    expect(notices.some((n) => n.type === 'sources-changed')).toBe(true);
    expect(notices).toContainEqual({ type: 'events-added', count: 4000 });
  });

  it('describes the workspace and its sources', async () => {
    const info = await service.workspace();
    expect(info).toMatchObject({ dir, name: 'ws', events: 4000, sources: 2 });
    expect(info.tsMin).toBeLessThan(info.tsMax!);
    const sources = await service.sources();
    expect(sources.map((s) => path.basename(s.uri)).sort()).toEqual(['HDFS_2k.log', 'Linux_2k.log']);
    expect(sources.every((s) => s.events === 2000)).toBe(true);
  });

  it('counts what the query stage counts', async () => {
    for (const q of ['', 'PacketResponder', 'authentication failure', 'sev>=warn']) {
      expect(await service.count({ query: q, from: null, to: null })).toBe(await engineCount(q));
    }
    expect(await service.count({ query: 'PacketResponder', from: null, to: null })).toBeGreaterThan(0);
  });

  it('pages through results without gaps or overlaps, with unique addressable ids', async () => {
    const q = { query: 'PacketResponder', from: null, to: null, order: 'asc' as const };
    const whole = await service.query({ ...q, offset: 0, limit: 100 });
    const first = await service.query({ ...q, offset: 0, limit: 50 });
    const second = await service.query({ ...q, offset: 50, limit: 50 });
    expect(whole.rows).toHaveLength(100);
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(whole.rows.map((r) => r.id));
    expect(new Set(whole.rows.map((r) => r.id)).size).toBe(100);
    for (const r of whole.rows) {
      expect(r.id).toMatch(/^\d+:\d+$/);
      expect(r.raw).toContain('PacketResponder');
      expect(r.source.endsWith('HDFS_2k.log')).toBe(true);
    }
    const times = whole.rows.map((r) => r.tsMs!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const desc = await service.query({ ...q, order: 'desc', offset: 0, limit: 5 });
    expect(desc.rows[0].tsMs).toBeGreaterThanOrEqual(desc.rows[4].tsMs!);
  });

  it('bounds queries and counts by the time range (from inclusive, to exclusive)', async () => {
    const page = await service.query({
      query: '',
      from: null,
      to: null,
      order: 'asc',
      offset: 0,
      limit: 200,
    });
    const from = page.rows[10].tsMs!;
    const to = page.rows[150].tsMs!;
    const inRange = await service.query({ query: '', from, to, order: 'asc', offset: 0, limit: 10_000 });
    expect(inRange.rows.length).toBeGreaterThan(0);
    expect(inRange.rows.every((r) => r.tsMs! >= from && r.tsMs! < to)).toBe(true);
    expect(await service.count({ query: '', from, to })).toBe(inRange.rows.length);
  });

  it('buckets sum to the count over the same range, at a round width', async () => {
    const info = await service.workspace();
    for (const groupBy of ['severity', 'host', 'source'] as const) {
      const b = await service.buckets({
        query: 'PacketResponder OR sshd',
        buckets: 60,
        groupBy,
        from: null,
        to: null,
      });
      expect(ROUND_WIDTHS_MS).toContain(b.bucketMs);
      const sum = b.buckets.reduce((acc, x) => acc + Object.values(x.counts).reduce((p, c) => p + c, 0), 0);
      const count = await service.count({
        query: 'PacketResponder OR sshd',
        from: info.tsMin,
        to: info.tsMax! + 1,
      });
      expect(sum).toBe(count);
      for (const x of b.buckets) expect(x.start % b.bucketMs).toBe(0);
    }
  });

  it('gives an event its neighbouring lines and what happened around it', async () => {
    const page = await service.query({
      query: 'PacketResponder',
      from: null,
      to: null,
      order: 'asc',
      offset: 20,
      limit: 1,
    });
    const event = page.rows[0];
    const ctx = await service.context({ id: event.id, lines: 3, seconds: 2 });
    expect(ctx.event).toEqual(event);
    expect(ctx.sameSource.map((r) => r.line)).toEqual(
      [-3, -2, -1, 1, 2, 3].map((d) => event.line! + d).filter((l) => l >= 1),
    );
    expect(ctx.sameSource.every((r) => r.sourceId === event.sourceId)).toBe(true);
    expect(ctx.around.every((r) => Math.abs(r.tsMs! - event.tsMs!) <= 2000 && r.id !== event.id)).toBe(true);
  });
});

describe('dispatch', () => {
  it('answers a valid request with its result', async () => {
    expect(await dispatch(service, 'count', { query: 'PacketResponder', from: null, to: null })).toEqual({
      result: await engineCount('PacketResponder'),
    });
  });

  it('reports a bad query with its position', async () => {
    const reply = await dispatch(service, 'count', { query: 'error AND (timeout', from: null, to: null });
    expect(reply).toMatchObject({ error: { code: 'bad-query' } });
    expect('error' in reply && typeof reply.error.position).toBe('number');
  });

  it('rejects unknown methods, unknown keys, out-of-range numbers and oversized strings', async () => {
    const cases: [unknown, unknown][] = [
      ['drop', {}],
      ['count', { query: 'x', from: null, to: null, extra: 1 }],
      ['query', { query: '', offset: 0, limit: 10_001, order: 'asc', from: null, to: null }],
      ['query', { query: '', offset: -1, limit: 10, order: 'asc', from: null, to: null }],
      ['query', { query: 'x'.repeat(10_001), offset: 0, limit: 10, order: 'asc', from: null, to: null }],
      ['buckets', { query: '', buckets: 0, groupBy: 'severity', from: null, to: null }],
      ['ingest', { paths: [] }],
      ['context', { id: '../etc', lines: 1, seconds: 1 }],
      ['workspace', { sneaky: true }],
      ['count', 'PacketResponder'],
      ['templates', { all: true }],
      ['anomalies', { limit: 0 }],
      ['anomalies', { limit: 10, minScore: 2 }],
      ['anomalies', {}],
      ['trace', { id: '   ' }],
      ['trace', { id: 'x'.repeat(201) }],
      ['trace', { id: 'blk_1', limit: 10_001 }],
      ['trace', { id: 'blk_1', extra: 1 }],
    ];
    for (const [method, params] of cases) {
      const reply = await dispatch(service, method, params);
      expect(reply, JSON.stringify([method, params]).slice(0, 80)).toMatchObject({
        error: { code: 'invalid-request' },
      });
    }
  });

  it('answers an unknown event id with not-found', async () => {
    expect(await dispatch(service, 'context', { id: '999:1', lines: 1, seconds: 1 })).toMatchObject({
      error: { code: 'not-found' },
    });
  });

  it('reports an ingest of a missing path as a failed input of the job, not a thrown error', async () => {
    const reply = await dispatch(service, 'ingest', { paths: [path.join(dir, 'no-such.log')] });
    expect(reply).toMatchObject({ result: { jobId: expect.any(String) } });
    const last = await jobDone((reply as { result: { jobId: string } }).result.jobId);
    expect(last.errors.length + (last.failure ? 1 : 0)).toBeGreaterThan(0);
  });
});

describe('the analysis methods through dispatch', () => {
  it('lists templates whose counts add up to every event, each with a sparkline of all its events', async () => {
    const reply = await dispatch(service, 'templates', undefined);
    if (!('result' in reply)) throw new Error(JSON.stringify(reply));
    const rows = reply.result as Awaited<ReturnType<EngineService['templates']>>;
    expect(rows.reduce((n, t) => n + t.count, 0)).toBe(4000);
    const lengths = new Set(rows.map((t) => t.series!.length));
    expect(lengths.size).toBe(1);
    for (const t of rows) expect(t.series!.reduce((a, b) => a + b, 0)).toBe(t.count);
  });

  it('ranks anomalies by score at the threshold asked for', async () => {
    const reply = await dispatch(service, 'anomalies', { limit: 50, minScore: 0 });
    if (!('result' in reply)) throw new Error(JSON.stringify(reply));
    const rows = reply.result as Awaited<ReturnType<EngineService['anomalies']>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].score).toBeLessThanOrEqual(rows[i - 1].score);
    const strict = await service.anomalies({ limit: 50, minScore: 0.5 });
    expect(strict.every((r) => r.score >= 0.5)).toBe(true);
  });

  it('follows a block id: every event carrying it, in time order, with its duration', async () => {
    const id = 'blk_-8775602795571523802';
    const reply = await dispatch(service, 'trace', { id });
    if (!('result' in reply)) throw new Error(JSON.stringify(reply));
    const trace = reply.result as Awaited<ReturnType<EngineService['trace']>>;
    expect(trace.events.length).toBe(await engineCount(`"${id}"`));
    expect(trace.events.length).toBe(2);
    expect(trace.events.every((e) => e.raw.includes(id) && e.fields['ids.blk'] === id)).toBe(true);
    expect(trace.durationMs).toBe(trace.last! - trace.first!);
    expect(trace.first).toBe(trace.events[0].tsMs);
    expect(trace.sources).toEqual([{ source: trace.events[0].source, count: 2 }]);
    expect(trace.truncated).toBe(false);
  });
});
