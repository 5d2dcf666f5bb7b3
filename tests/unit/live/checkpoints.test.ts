// Checkpoints ride in the manifest write of the commit that holds their events: never before, never without.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newSource, type LogEvent } from '../../../shared/event.ts';
import { tempDir } from '../../helpers/cli.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

function event(sourceId: number, n: number): LogEvent {
  const raw = `INFO line ${n}`;
  return {
    ts: null,
    host: null,
    sourceId,
    line: n,
    offset: n * 20,
    severity: 'info',
    message: raw,
    raw,
    fields: {},
    template: null,
    anomaly: 0,
  };
}

describe('workspace checkpoints', () => {
  it('are written with the commit that seals their events, kept by later commits, and read back on reopen', async () => {
    const { dir, cleanup } = tempDir('flumen-cp-');
    cleanups.push(cleanup);
    const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
    const src = ws.addSource(newSource({ uri: '/var/log/x', kind: 'tail', format: 'text' }));
    const writer = ws.writer();
    await writer.append([event(src.id, 1), event(src.id, 2)]);
    ws.stageCheckpoints({ 'tail:/var/log/x': { offset: 40 } });
    expect(ws.checkpoint('tail:/var/log/x')).toBeUndefined(); // staged is not committed
    await writer.commit();
    expect(ws.checkpoint('tail:/var/log/x')).toEqual({ offset: 40 });

    ws.stageCheckpoints({ 'tail:/var/log/x': { offset: 99 } });
    ws.discardStagedCheckpoints(); // the commit they belonged to failed
    ws.stageCheckpoints({ 'syslog:udp://127.0.0.1:514': { messages: 5 } });
    await writer.append([event(src.id, 3)]);
    await writer.commit();
    await writer.close();
    await ws.close();

    const again = await Workspace.open(path.join(dir, 'ws'));
    expect(again.checkpoint('tail:/var/log/x')).toEqual({ offset: 40 });
    expect(again.checkpoint('syslog:udp://127.0.0.1:514')).toEqual({ messages: 5 });
    expect(again.manifest().segments.reduce((n, s) => n + s.events, 0)).toBe(3);
    await again.close();
  }, 60_000);
});
