// "Follow this id" across sources: every event carrying one HDFS block id, in time order, with its duration.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { ingest } from '../../../electron/engine/pipeline/ingest.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { carries } from '../../../electron/engine/analysis/trace.ts';
import { LOGHUB, tempDir } from '../../helpers/cli.ts';

const BLOCK = 'blk_-8775602795571523802';

describe('trace of an HDFS block across sources', () => {
  const tmp = tempDir();
  const wsDir = path.join(tmp.dir, 'ws');
  const hdfs = path.join(LOGHUB, 'HDFS', 'HDFS_2k.log');
  // A second source holding the same block: the first 1000 HDFS lines as their own file.
  const part = path.join(tmp.dir, 'datanode-part.log');
  let service: EngineService;
  beforeAll(async () => {
    fs.writeFileSync(part, fs.readFileSync(hdfs, 'utf8').split('\r\n').slice(0, 1000).join('\n') + '\n');
    const ws = await Workspace.open(wsDir, { create: true });
    await ingest(ws, { inputs: [hdfs, part] });
    await ws.close();
    service = await EngineService.open(wsDir);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    tmp.cleanup();
  });

  it('returns every event carrying the block, in time order, with first, last, duration and per-source counts', async () => {
    const lines = fs.readFileSync(hdfs, 'utf8').split('\r\n');
    const inFull = lines.filter((l) => carries(l, BLOCK)).length;
    const inPart = lines.slice(0, 1000).filter((l) => carries(l, BLOCK)).length;
    expect(inFull).toBe(2);
    const t = await service.trace({ id: BLOCK });
    expect(t.events).toHaveLength(inFull + inPart);
    for (const e of t.events) expect(e.raw).toContain(BLOCK);
    for (let i = 1; i < t.events.length; i++)
      expect(t.events[i].tsMs as number).toBeGreaterThanOrEqual(t.events[i - 1].tsMs as number);
    expect(t.first).toBe(t.events[0].tsMs);
    expect(t.last).toBe(t.events.at(-1)?.tsMs);
    expect(t.durationMs).toBe((t.last as number) - (t.first as number));
    expect(t.durationMs).toBeGreaterThan(0);
    expect(Object.fromEntries(t.sources.map((s) => [path.basename(s.source), s.count]))).toEqual(
      Object.fromEntries([['HDFS_2k.log', inFull], ...(inPart > 0 ? [['datanode-part.log', inPart]] : [])]),
    );
    expect(t.truncated).toBe(false);
    for (const e of t.events) expect(e.id).toMatch(/^\d+:\d+$/);
  });

  it('does not take a longer id that merely starts with the wanted one', () => {
    expect(carries('Deleting block blk_-87756027955715238021 file', BLOCK)).toBe(false);
    expect(carries(`Deleting block ${BLOCK} file`, BLOCK)).toBe(true);
    expect(carries(`/subdir29/${BLOCK}`, BLOCK)).toBe(true);
  });

  it('lists templates and ranks anomalies through the API', async () => {
    const templates = await service.templates();
    expect(templates.length).toBeGreaterThan(5);
    expect(templates[0].count).toBeGreaterThanOrEqual(templates[1].count);
    const anomalies = await service.anomalies({ limit: 5, minScore: 0.1 });
    expect(anomalies.length).toBeLessThanOrEqual(5);
    for (const a of anomalies) expect(a.explanation.length).toBeGreaterThan(10);
  });
});
