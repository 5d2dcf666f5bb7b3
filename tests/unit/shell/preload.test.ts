// The preload exposes exactly the FlumenApi (plus onNotice and a path helper) and forwards calls over the one
// IPC channel, turning `{error}` replies into rejections that carry the ApiError. `electron` is mocked.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../shared/api.ts';

const fake = vi.hoisted(() => {
  const exposed = new Map<string, Record<string, (...a: unknown[]) => unknown>>();
  const invoked: unknown[][] = [];
  const noticeHandlers = new Set<(...a: unknown[]) => void>();
  let reply: unknown = { result: 42 };
  return {
    exposed,
    invoked,
    noticeHandlers,
    setReply: (r: unknown) => (reply = r),
    electron: {
      contextBridge: { exposeInMainWorld: (key: string, api: never) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return reply;
        },
        on: (_channel: string, fn: (...a: unknown[]) => void) => noticeHandlers.add(fn),
        removeListener: (_channel: string, fn: (...a: unknown[]) => void) => noticeHandlers.delete(fn),
      },
      webUtils: { getPathForFile: (f: { path: string }) => f.path },
    },
  };
});

vi.mock('electron', () => fake.electron);

beforeAll(async () => {
  // The preload listens for drops on the window; vitest runs in Node, so give it an event target to listen on.
  (globalThis as { window?: unknown }).window = new EventTarget();
  await import('../../../electron/preload/index.ts');
});

describe('the preload', () => {
  it('exposes every API method, subscribe and onNotice as window.flumen, and nothing of Node', () => {
    const api = fake.exposed.get('flumen')!;
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'subscribe', 'onNotice'].sort());
    expect(Object.keys(fake.exposed.get('flumenShell')!)).toEqual(['pathForFile']);
    expect([...fake.exposed.keys()].sort()).toEqual(['flumen', 'flumenShell']);
  });

  it('sends a call as {method, params} on flumen:call and resolves with the result', async () => {
    fake.setReply({ result: 42 });
    const api = fake.exposed.get('flumen')!;
    const req = { query: 'error', from: null, to: null };
    await expect(api.count(req)).resolves.toBe(42);
    expect(fake.invoked.at(-1)).toEqual(['flumen:call', { method: 'count', params: req }]);
  });

  it('rejects with the ApiError of an error reply', async () => {
    fake.setReply({ error: { code: 'bad-query', message: 'unclosed (', position: 3 } });
    const api = fake.exposed.get('flumen')!;
    await expect(api.query({})).rejects.toEqual({ code: 'bad-query', message: 'unclosed (', position: 3 });
  });

  it('delivers notices to subscribers until they unsubscribe', () => {
    const api = fake.exposed.get('flumen')!;
    const seen: unknown[] = [];
    const stop = api.subscribe((n: unknown) => seen.push(n)) as () => void;
    for (const h of fake.noticeHandlers) h({}, { type: 'sources-changed' });
    stop();
    for (const h of fake.noticeHandlers) h({}, { type: 'events-added', count: 1 });
    expect(seen).toEqual([{ type: 'sources-changed' }]);
  });
});
