// A writer whose worker dies or whose segment cannot be written fails loudly and commits nothing; what was
// committed before stays whole and the workspace can be written again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { addTestSource, syntheticBatch } from './synthetic-events.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'flumen-fail-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('a failing writer', () => {
  it('rejects append and commit after a worker crash, keeping the last commit', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const s = addTestSource(ws, 'a.log');
    const w = ws.writer({ workers: 2, maxSegmentEvents: 1000 });
    await w.append(syntheticBatch(s.id, 0, 1500));
    await w.commit();
    await w.append(syntheticBatch(s.id, 1500, 500));
    await w.builders[1].worker.terminate(); // the thread dies as it would on a fatal error
    await expect(w.append(syntheticBatch(s.id, 2000, 500))).rejects.toThrow(/exited unexpectedly/);
    await expect(w.commit()).rejects.toThrow(/exited unexpectedly/);
    await w.close();

    const reopened = await Workspace.open(ws.dir);
    expect(reopened.manifest().segments.map((x) => x.events)).toEqual([1000, 500]);
    expect(reopened.sources()[0].events).toBe(1500);
    const again = reopened.writer({ maxSegmentEvents: 1000 });
    await again.append(syntheticBatch(s.id, 1500, 10));
    await again.commit();
    await again.close();
    expect(reopened.sources()[0].events).toBe(1510);
  });

  it('rejects commit with the reason when a segment cannot be written', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const s = addTestSource(ws, 'a.log');
    const w = ws.writer();
    await w.append(syntheticBatch(s.id, 0, 100));
    rmSync(path.join(ws.dir, 'segments'), { recursive: true });
    await expect(w.commit()).rejects.toThrow(/ENOENT.*segments/);
    await expect(w.append(syntheticBatch(s.id, 100, 1))).rejects.toThrow(/ENOENT/);
    await w.close();
    expect((await Workspace.open(ws.dir)).manifest().segments).toEqual([]);
  });
});
