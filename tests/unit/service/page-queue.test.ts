// Ticketed page requests through dispatch into a real EngineService: they take turns, a cancelled one is skipped
// (answered "cancelled", never computed), queryStats counts both, and tickets are validated like every request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryPage, QueryStats } from '../../../shared/api.ts';
import { dispatch, type DispatchReply } from '../../../electron/engine/service/dispatch.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { MAX_WAITING_PAGES, PageQueue } from '../../../electron/engine/service/page-queue.ts';

let tmp: string;
let service: EngineService;

function page(offset: number, ticket?: string): Record<string, unknown> {
  return { query: '', offset, limit: 10, ...(ticket ? { ticket } : {}) };
}

async function stats(): Promise<QueryStats> {
  const reply = await dispatch(service, 'queryStats', undefined);
  if (!('result' in reply)) throw new Error(reply.error.message);
  return reply.result as QueryStats;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-page-queue-'));
  const log = path.join(tmp, 'app.log');
  const base = Date.UTC(2024, 0, 1);
  const lines = Array.from(
    { length: 500 },
    (_, i) => `${new Date(base + i * 1000).toISOString()} web01 app[1]: INFO seq=${i + 1} ok`,
  );
  fs.writeFileSync(log, lines.join('\n') + '\n');
  service = await EngineService.open(path.join(tmp, 'ws'), { create: true, restoreLive: false });
  const { jobId } = await service.ingest({ paths: [log] });
  await new Promise<void>((resolve) => {
    const stop = service.subscribe((n) => {
      if (n.type === 'progress' && n.progress.jobId === jobId && n.progress.done) {
        stop();
        resolve();
      }
    });
  });
});

afterAll(async () => {
  await service?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ticketed page requests', () => {
  it('skip the ones cancelled before their turn and count what ran', async () => {
    const before = await stats();
    // Sent together, as a fast-scrolling grid would; the cancel arrives before any of them started.
    const replies = Array.from({ length: 6 }, (_, i) => dispatch(service, 'query', page(i * 50, `t-${i}`)));
    const cancel = await dispatch(service, 'cancelQueries', {
      tickets: ['t-1', 't-2', 't-3', 't-4', 'unknown'],
    });
    expect(cancel).toEqual({ result: { cancelled: 4 } });
    const done: DispatchReply[] = await Promise.all(replies);
    const kept = done.map((r) => ('result' in r ? (r.result as QueryPage).rows[0].line : r.error.code));
    expect(kept).toEqual([1, 'cancelled', 'cancelled', 'cancelled', 'cancelled', 251]);
    const after = await stats();
    expect(after.pagesExecuted - before.pagesExecuted).toBe(2);
    expect(after.pagesCancelled - before.pagesCancelled).toBe(4);
    expect(after.pagesWaiting).toBe(0);
  });

  it('without a ticket run as before and are counted', async () => {
    const before = await stats();
    const reply = await dispatch(service, 'query', page(490));
    expect('result' in reply && (reply.result as QueryPage).rows.map((r) => r.line)).toEqual([
      491, 492, 493, 494, 495, 496, 497, 498, 499, 500,
    ]);
    expect((await stats()).pagesExecuted).toBe(before.pagesExecuted + 1);
  });

  it('reject bad tickets and bad cancel requests with a one-line reason', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['query', page(0, 'has space'), /^query: ticket: must be 1 to 64 letters/],
      ['query', { ...page(0), ticket: 'x'.repeat(65) }, /ticket/],
      ['query', { ...page(0), ticket: 7 }, /ticket/],
      ['cancelQueries', { tickets: 'a' }, /^cancelQueries: tickets:/],
      ['cancelQueries', { tickets: ['a'], extra: 1 }, /cancelQueries/],
      ['cancelQueries', { tickets: Array.from({ length: 1001 }, (_, i) => `t${i}`) }, /tickets/],
      ['queryStats', { x: 1 }, /queryStats/],
    ];
    for (const [method, params, message] of cases) {
      const reply = await dispatch(service, method, params);
      expect(reply, JSON.stringify(params).slice(0, 80)).toMatchObject({
        error: { code: 'invalid-request', message: expect.stringMatching(message) },
      });
    }
  });
});

describe('PageQueue', () => {
  it('runs one request at a time, in order', async () => {
    const q = new PageQueue();
    const order: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      order.push(name);
      await new Promise((r) => setImmediate(r));
      running--;
      return name;
    };
    expect(await Promise.all(['a', 'b', 'c'].map((n) => q.enqueue(n, job(n))))).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('refuses more waiting requests than its bound instead of growing', async () => {
    const q = new PageQueue();
    const all = Array.from({ length: MAX_WAITING_PAGES }, (_, i) => q.enqueue(`w${i}`, async () => i));
    await expect(q.enqueue('one-too-many', async () => -1)).rejects.toThrow(/too many page requests waiting/);
    expect((await Promise.all(all)).length).toBe(MAX_WAITING_PAGES);
  });
});
