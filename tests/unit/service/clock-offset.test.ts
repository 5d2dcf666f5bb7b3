// A source's clock offset through the API (EngineService and dispatch) on a real workspace of two interleaved
// sources: every place that shows or uses a time follows it (pages, counts with time bounds, buckets, context
// "around", traces, the workspace span), the manifest keeps it, and setting it back to 0 restores everything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiNotice, EventRow, JobProgress } from '../../../shared/api.ts';
import { dispatch } from '../../../electron/engine/service/dispatch.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';

const BASE = Date.UTC(2024, 4, 1, 10, 0, 0);
const STEP = 10_000;
let tmp: string;
let service: EngineService;
let a: number;
let b: number;
const notices: ApiNotice[] = [];

/** a.log logs at :00, :10, :20…; b.log at :05, :15…; req-NNN appears in a's line N and b's line N-1. */
function writeLogs(dir: string): string[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const aLines = [];
  const bLines = [];
  for (let i = 0; i < 30; i++) {
    const id = String(i).padStart(3, '0');
    aLines.push(`${iso(BASE + i * STEP)} alpha app[1]: step ${i} done req-${id}`);
    bLines.push(`${iso(BASE + i * STEP + 5000)} beta app[2]: handled req-${String(i + 1).padStart(3, '0')}`);
  }
  const files = [path.join(dir, 'a.log'), path.join(dir, 'b.log')];
  fs.writeFileSync(files[0], aLines.join('\n') + '\n');
  fs.writeFileSync(files[1], bLines.join('\n') + '\n');
  return files;
}

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

const all = async (query = ''): Promise<EventRow[]> =>
  (await service.query({ query, offset: 0, limit: 1000, order: 'asc', from: null, to: null })).rows;
const order = (rows: EventRow[]) => rows.map((r) => `${r.tsMs}|${r.sourceId}|${r.line}`);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-clock-'));
  const files = writeLogs(tmp);
  service = await EngineService.open(path.join(tmp, 'ws'), { create: true });
  service.subscribe((n) => notices.push(n));
  const { jobId } = await service.ingest({ paths: files });
  expect((await jobDone(jobId)).failure).toBeUndefined();
  const sources = await service.sources();
  a = sources.find((s) => s.uri.endsWith('a.log'))!.id;
  b = sources.find((s) => s.uri.endsWith('b.log'))!.id;
});

afterAll(async () => {
  await service?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('setClockOffset', () => {
  it('rejects bad requests with a clear error', async () => {
    const bad: [unknown, RegExp][] = [
      [{ sourceId: 999, offsetMs: 1000 }, /no source 999/],
      [{ sourceId: a, offsetMs: 1.5 }, /offsetMs/],
      [{ sourceId: a, offsetMs: 1e15 }, /offsetMs/],
      [{ sourceId: a }, /offsetMs/],
      [{ sourceId: a, offsetMs: 0, extra: 1 }, /extra/],
    ];
    for (const [params, message] of bad) {
      const reply = await dispatch(service, 'setClockOffset', params);
      expect(reply, JSON.stringify(params)).toMatchObject({
        error: { message: expect.stringMatching(message) },
      });
    }
  });

  it('moves the source everywhere a time is used, and 0 restores everything', async () => {
    const before = await all();
    const beforeInfo = await service.workspace();
    const beforeBuckets = await service.buckets({
      query: '',
      buckets: 30,
      groupBy: 'source',
      from: BASE,
      to: BASE + 300_000,
    });
    const middle = before.find((r) => r.sourceId === b && r.tsMs === BASE + 15_000)!;
    const beforeAround = await service.context({ id: middle.id, lines: 0, seconds: 3 });
    expect(beforeAround.around).toEqual([]);
    const beforeTrace = await service.trace({ id: 'req-002' });
    expect(beforeTrace.durationMs).toBe(5000);

    // a's clock ran 7.5 s fast: its events happened 7.5 s earlier than logged.
    notices.length = 0;
    const updated = await service.setClockOffset({ sourceId: a, offsetMs: 7500 });
    expect(updated.clockOffsetMs).toBe(7500);
    expect(notices).toContainEqual({ type: 'sources-changed' });
    expect((await service.sources()).find((s) => s.id === a)?.clockOffsetMs).toBe(7500);
    const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'ws', 'flumen.json'), 'utf8'));
    expect(manifest.sources.find((s: { id: number }) => s.id === a).clockOffsetMs).toBe(7500);

    // Pages: a's times moved back, and the merge follows the corrected times.
    const moved = await all();
    for (const r of moved) {
      const was = before.find((x) => x.id === r.id)!;
      const d = r.sourceId === a ? -7500 : 0;
      expect(r.tsMs).toBe(was.tsMs! + d);
      expect(r.ts).toBe(new Date(was.tsMs! + d).toISOString());
    }
    const want = before
      .map((r) => ({ ...r, tsMs: r.tsMs! - (r.sourceId === a ? 7500 : 0) }))
      .sort((x, y) => x.tsMs - y.tsMs || x.sourceId - y.sourceId);
    expect(order(moved)).toEqual(order(want));
    expect(order(moved)).not.toEqual(order(before));
    // Newest first, and a page in the middle.
    const desc = await service.query({ query: '', offset: 5, limit: 4, order: 'desc', from: null, to: null });
    expect(order(desc.rows)).toEqual(order([...want].reverse().slice(5, 9)));

    // Time bounds (the API's TimeRange and from:/to: in the query) select by corrected time.
    const from = BASE + 100_000;
    const to = BASE + 160_000;
    const inRange = want.filter((r) => r.tsMs >= from && r.tsMs < to).length;
    expect(await service.count({ query: '', from, to })).toBe(inRange);
    const q = `from:${new Date(from).toISOString()} to:${new Date(to - 1).toISOString()} source:a.log`;
    expect(await service.count({ query: q, from: null, to: null })).toBe(
      want.filter((r) => r.sourceId === a && r.tsMs >= from && r.tsMs < to).length,
    );

    // Buckets: a's events fall into earlier buckets.
    const buckets = await service.buckets({
      query: '',
      buckets: 30,
      groupBy: 'source',
      from: BASE - 10_000,
      to: BASE + 300_000,
    });
    const aUri = updated.uri;
    const firstA = buckets.buckets.find((x) => (x.counts[aUri] ?? 0) > 0)!;
    expect(firstA.start).toBeLessThan(BASE);
    expect(beforeBuckets.buckets.find((x) => (x.counts[aUri] ?? 0) > 0)!.start).toBe(BASE);

    // Context: "around" b's event at :15 now holds a's :20 line, logged 5 s later but 2.5 s later in truth.
    const ctx = await service.context({ id: middle.id, lines: 1, seconds: 3 });
    expect(ctx.event.tsMs).toBe(BASE + 15_000);
    expect(ctx.around.map((r) => [r.sourceId, r.tsMs])).toEqual([[a, BASE + 20_000 - 7500]]);
    const aEvent = moved.find((r) => r.sourceId === a && r.line === 3)!;
    const aCtx = await service.context({ id: aEvent.id, lines: 1, seconds: 0 });
    expect(aCtx.event.tsMs).toBe(BASE + 20_000 - 7500);
    expect(aCtx.sameSource.map((r) => r.tsMs)).toEqual([BASE + 10_000 - 7500, BASE + 30_000 - 7500]);

    // Traces: req-002 is a's line 3 (:20) and b's line 1 (:15): a now comes first.
    const trace = await service.trace({ id: 'req-002' });
    expect(trace.first).toBe(BASE + 20_000 - 7500);
    expect(trace.last).toBe(BASE + 15_000);
    expect(trace.durationMs).toBe(2500);
    expect(trace.events.map((r) => r.sourceId)).toEqual([a, b]);

    // The workspace span is the corrected one.
    const info = await service.workspace();
    expect(info.tsMin).toBe(BASE - 7500);
    expect(info.tsMax).toBe(beforeInfo.tsMax);

    // Undo: every answer is what it was, and the manifest holds no offset again.
    await service.setClockOffset({ sourceId: a, offsetMs: 0 });
    expect(order(await all())).toEqual(order(before));
    expect(await service.workspace()).toEqual(beforeInfo);
    expect(
      await service.buckets({ query: '', buckets: 30, groupBy: 'source', from: BASE, to: BASE + 300_000 }),
    ).toEqual(beforeBuckets);
    expect((await service.trace({ id: 'req-002' })).durationMs).toBe(5000);
    const after = JSON.parse(fs.readFileSync(path.join(tmp, 'ws', 'flumen.json'), 'utf8'));
    expect(after.sources.some((s: object) => 'clockOffsetMs' in s)).toBe(false);
  });

  it('keeps the offset through later commits of a writer holding the workspace', async () => {
    const ws = await Workspace.open(path.join(tmp, 'ws'));
    const writer = ws.writer();
    try {
      // The writer holds the lock: the offset queues behind its commits instead of taking the lock.
      await ws.setClockOffset(b, -2000);
      await writer.commit();
      const reread = await Workspace.open(path.join(tmp, 'ws'));
      expect(reread.manifest().sources.find((s) => s.id === b)?.clockOffsetMs).toBe(-2000);
      await reread.close();
      await ws.setClockOffset(b, 0);
    } finally {
      await writer.close();
      await ws.close();
    }
  });

  it('scores rows as the anomaly filter does: anomaly>=x counts the rows showing a score of at least x', async () => {
    await service.setClockOffset({ sourceId: b, offsetMs: 3000 });
    try {
      const rows = await all();
      const scores = [...new Set(rows.map((r) => r.anomaly))].sort((x, y) => x - y);
      for (const x of [0, scores[Math.floor(scores.length / 2)], scores[scores.length - 1]]) {
        const n = await service.count({ query: `anomaly>=${x}`, from: null, to: null });
        expect(n, `anomaly>=${x}`).toBe(rows.filter((r) => r.anomaly >= x).length);
        const page = await all(`anomaly>=${x}`);
        expect(page.every((r) => r.anomaly >= x)).toBe(true);
      }
    } finally {
      await service.setClockOffset({ sourceId: b, offsetMs: 0 });
    }
  });
});
