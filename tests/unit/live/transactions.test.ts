// Flume's promise with a store that fails: every third commit throws (as a full disk would), the pipeline reopens
// the store and appends the same transaction again. Nothing is lost and nothing is stored twice.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { exactlyOnce, storedEvents } from '../../integration/live/stored-lines.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import type { EventWriter } from '../../../electron/engine/store/types.ts';
import { LivePipeline } from '../../../electron/engine/pipeline/live.ts';
import { TailCollector } from '../../../electron/engine/sources/live/tail.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

/** The real writer, except that every nth commit fails before anything is sealed. */
function failingEveryNth(
  ws: Workspace,
  n: number,
  counter: { commits: number; failed: number },
): () => EventWriter {
  return () => {
    const inner = ws.writer();
    return {
      append: (events) => inner.append(events),
      async commit() {
        if (++counter.commits % n === 0) {
          counter.failed++;
          throw new Error('injected failure: no space left on device');
        }
        return inner.commit();
      },
      close: () => inner.close(),
    };
  };
}

describe('live pipeline transactions', () => {
  it('stores every line exactly once when every second commit fails', async () => {
    const { dir, cleanup } = tempDir('flumen-tx-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, '');
    const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
    const counter = { commits: 0, failed: 0 };
    const pipeline = new LivePipeline(ws, {
      commitEveryMs: 300,
      openWriter: failingEveryNth(ws, 2, counter),
    });
    await pipeline.start([new TailCollector([file])]);
    const total = 12_000;
    for (let i = 1; i <= total; i += 400) {
      let chunk = '';
      for (let j = i; j < i + 400; j++) chunk += `INFO tx seq=${j} done\n`;
      fs.appendFileSync(file, chunk);
      await new Promise((r) => setTimeout(r, 150));
    }
    const stored = () => ws.manifest().sources.reduce((n, s) => n + s.events, 0);
    for (let i = 0; i < 300 && stored() < total; i++) await new Promise((r) => setTimeout(r, 100));
    await pipeline.stop();
    await ws.close();
    expect(counter.failed).toBeGreaterThanOrEqual(2);
    expect(pipeline.pipelineStats().failedCommits).toBe(counter.failed);
    const events = await storedEvents(path.join(dir, 'ws'));
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        total,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    expect(events.length).toBe(total);
  }, 120_000);

  it('gives up with the store error after repeated failures, committing nothing of the failed transaction', async () => {
    const { dir, cleanup } = tempDir('flumen-tx-fail-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'INFO one\nINFO two\n');
    const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
    const counter = { commits: 0, failed: 0 };
    const pipeline = new LivePipeline(ws, {
      commitEveryMs: 10,
      maxAttempts: 3,
      openWriter: failingEveryNth(ws, 1, counter),
    });
    await pipeline.start([new TailCollector([file])]);
    for (let i = 0; i < 100 && !pipeline.failed(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(String(pipeline.failed())).toContain('no space left on device');
    await expect(pipeline.stop()).rejects.toThrow('no space left on device');
    expect(ws.manifest().segments).toEqual([]);
    await ws.close();
  }, 30_000);
});
