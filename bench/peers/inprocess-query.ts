// Child process entry: `node bin/run-ts.mjs bench/peers/inprocess-query.ts WORKSPACE QUERY REPEATS`.
// Opens the workspace once and runs the same count repeatedly through the engine's own functions
// (store `Workspace` + query `countEvents`), as the desktop app does for a search box; prints one JSON line.
// Run as a child so its peak memory is measured like every other figure. The engine modules are imported by
// computed path: the bench must still run (reporting n/a) while they are missing or their shape changes.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './flumen-cli.ts';

export interface InProcessReport {
  ok: boolean;
  reason?: string;
  count?: number;
  /** Open + first count, ms. */
  firstMs?: number;
  /** Each repeated count after the first, ms. */
  repeatMs?: number[];
}

interface WorkspaceLike {
  reader(): unknown;
  sources(): unknown;
  close(): Promise<void>;
}
type CountEvents = (reader: unknown, sources: unknown, query: string) => Promise<number> | number;

async function load(): Promise<
  { open: (dir: string) => Promise<WorkspaceLike>; count: CountEvents } | string
> {
  const storeUrl = pathToFileURL(path.join(ROOT, 'electron/engine/store/index.ts')).href;
  const queryUrl = pathToFileURL(path.join(ROOT, 'electron/engine/query/index.ts')).href;
  let store: Record<string, unknown>;
  let query: Record<string, unknown>;
  try {
    store = (await import(storeUrl)) as Record<string, unknown>;
    query = (await import(queryUrl)) as Record<string, unknown>;
  } catch (err) {
    return `engine import failed: ${(err as Error).message.split('\n')[0]}`;
  }
  const ws = store.Workspace as { open?: (dir: string, opts?: object) => Promise<WorkspaceLike> } | undefined;
  if (typeof ws?.open !== 'function') return 'electron/engine/store has no Workspace.open';
  if (typeof query.countEvents !== 'function') return 'electron/engine/query has no countEvents';
  return { open: (dir) => ws.open!(dir, { create: false }), count: query.countEvents as CountEvents };
}

async function main(): Promise<InProcessReport> {
  const [dir, text, repeatsArg] = process.argv.slice(2);
  const engine = await load();
  if (typeof engine === 'string') return { ok: false, reason: engine };
  const t0 = performance.now();
  const ws = await engine.open(dir);
  try {
    const reader = ws.reader();
    const sources = ws.sources();
    const count = await engine.count(reader, sources, text);
    const firstMs = performance.now() - t0;
    const repeatMs: number[] = [];
    for (let i = 0; i < Number(repeatsArg || 3); i++) {
      const t = performance.now();
      const again = await engine.count(reader, sources, text);
      repeatMs.push(performance.now() - t);
      if (again !== count)
        return { ok: false, reason: `repeated count ${again} differs from first ${count}` };
    }
    return { ok: true, count, firstMs, repeatMs };
  } finally {
    await ws.close();
  }
}

main().then(
  (report) => process.stdout.write(JSON.stringify(report) + '\n'),
  (err: unknown) => {
    process.stdout.write(
      JSON.stringify({ ok: false, reason: String((err as Error)?.message ?? err).split('\n')[0] }) + '\n',
    );
  },
);
