// Compaction of the small segments that frequent live commits seal: fewer, bigger segments with the same events,
// swapped in atomically, the old files removed only after the grace period.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { exactlyOnce, storedEvents } from '../../integration/live/stored-lines.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { compactSmallSegments } from '../../../electron/engine/store/compact.ts';
import { LivePipeline } from '../../../electron/engine/pipeline/live.ts';
import { TailCollector } from '../../../electron/engine/sources/live/tail.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

async function collectInChunks(dir: string, chunks: number, per: number): Promise<Workspace> {
  const file = path.join(dir, 'app.log');
  fs.writeFileSync(file, '');
  const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
  const pipeline = new LivePipeline(ws, { commitEveryMs: 10, compact: false });
  await pipeline.start([new TailCollector([file])]);
  const stored = () => ws.manifest().sources.reduce((n, s) => n + s.events, 0);
  for (let c = 0; c < chunks; c++) {
    let text = '';
    for (let i = c * per + 1; i <= (c + 1) * per; i++)
      text += `2026-11-23T10:00:00Z WARN cache seq=${i} evicted key=${i % 7}\n`;
    fs.appendFileSync(file, text);
    // One commit per chunk: each seals its own small segment.
    for (let t = 0; t < 200 && stored() < (c + 1) * per; t++) await new Promise((r) => setTimeout(r, 25));
  }
  await pipeline.stop();
  return ws;
}

describe('segment compaction', () => {
  it('merges small segments into one holding exactly the same events, and deletes the old files after the grace period', async () => {
    const { dir, cleanup } = tempDir('flumen-compact-');
    cleanups.push(cleanup);
    const ws = await collectInChunks(dir, 10, 300);
    const before = ws.manifest().segments;
    expect(before.length).toBeGreaterThanOrEqual(10);
    const eventsBefore = await storedEvents(ws.dir);

    const writer = ws.writer(); // compaction runs under the writer lock
    const result = await compactSmallSegments(ws, { smallEvents: 1000, minSegments: 4, graceMs: 200 });
    expect(result).not.toBeNull();
    const after = ws.manifest().segments;
    expect(after.length).toBe(before.length - result!.replaced.length + 1);
    expect(after.reduce((n, s) => n + s.events, 0)).toBe(3000);
    // Until the grace period ends, a reader holding the old manifest still finds the old files.
    for (const s of before) expect(fs.existsSync(ws.segmentFilePath(s.file))).toBe(true);
    const eventsAfter = await storedEvents(ws.dir);
    expect(
      exactlyOnce(
        eventsAfter.map((e) => String(e.message)),
        3000,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    const key = (e: Record<string, unknown>) =>
      JSON.stringify([e.ts, e.message, e.severity, e.fields, e.line, e.template]);
    expect(eventsAfter.map(key).sort()).toEqual(eventsBefore.map(key).sort());
    await new Promise((r) => setTimeout(r, 400));
    for (const id of result!.replaced) {
      const file = before.find((s) => s.id === id)!.file;
      expect(fs.existsSync(ws.segmentFilePath(file))).toBe(false);
    }
    // The source totals did not change: compaction moves events, it does not add them.
    expect(ws.manifest().sources.reduce((n, s) => n + s.events, 0)).toBe(3000);
    await writer.close();
    await ws.close();
  }, 120_000);

  it('leaves a workspace with few small segments alone', async () => {
    const { dir, cleanup } = tempDir('flumen-compact-few-');
    cleanups.push(cleanup);
    const ws = await collectInChunks(dir, 2, 100);
    const writer = ws.writer();
    expect(await compactSmallSegments(ws, { minSegments: 4 })).toBeNull();
    await writer.close();
    await ws.close();
  }, 60_000);
});
