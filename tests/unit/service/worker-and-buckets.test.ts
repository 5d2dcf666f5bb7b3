// The engine in a worker thread (what the desktop app's main process talks to) and the timeline's bucket widths.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiNotice } from '../../../shared/api.ts';
import { ApiFailure } from '../../../electron/engine/service/api-failure.ts';
import { pickBucketMs } from '../../../electron/engine/service/bucket-width.ts';
import { EngineWorkerClient } from '../../../electron/engine/service/worker-client.ts';
import { LOGHUB } from '../../helpers/cli.ts';

describe('EngineWorkerClient', () => {
  it('runs the engine in a worker: ingest notices, queries, errors as ApiFailure, clean close', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-worker-'));
    const client = await EngineWorkerClient.start(path.join(dir, 'ws'), { create: true });
    try {
      const notices: ApiNotice[] = [];
      const done = new Promise<void>((resolve) =>
        client.subscribe((n) => {
          notices.push(n);
          if (n.type === 'progress' && n.progress.done) resolve();
        }),
      );
      await client.ingest({ paths: [path.join(LOGHUB, 'OpenSSH', 'OpenSSH_2k.log')] });
      await done;
      expect((await client.workspace()).events).toBe(2000);
      expect(await client.count({ query: '', from: null, to: null })).toBe(2000);
      const templates = await client.templates();
      expect(templates.reduce((n, t) => n + t.count, 0)).toBe(2000);
      const trace = await client.trace({ id: '173.234.31.186' });
      expect(trace.events.length).toBe(
        await client.count({ query: '"173.234.31.186"', from: null, to: null }),
      );
      expect(trace.events.length).toBeGreaterThan(1);
      expect(Array.isArray(await client.anomalies({ limit: 5 }))).toBe(true);
      const err = await client
        .count({ query: 'x', from: null, to: null, bogus: 1 } as never)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiFailure);
      expect((err as ApiFailure).apiError.code).toBe('invalid-request');
    } finally {
      await client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await expect(client.workspace()).rejects.toBeInstanceOf(ApiFailure);
  });

  it('rejects start-up with the reason when the workspace cannot be opened', async () => {
    await expect(
      EngineWorkerClient.start(path.join(os.tmpdir(), 'flumen-no-such-ws-xyz')),
    ).rejects.toMatchObject({
      apiError: { code: 'engine-error', message: expect.stringMatching(/does not exist/) },
    });
  });
});

describe('pickBucketMs', () => {
  it('picks the smallest round width giving at most the wanted number of buckets', () => {
    const h = 3_600_000;
    expect(pickBucketMs(h, 60)).toBe(60_000);
    expect(pickBucketMs(h, 100)).toBe(60_000);
    expect(pickBucketMs(h, 12)).toBe(5 * 60_000);
    expect(pickBucketMs(24 * h, 100)).toBe(15 * 60_000);
    expect(pickBucketMs(60_000, 60)).toBe(1000);
    expect(pickBucketMs(7 * 24 * h, 7)).toBe(24 * h);
    expect(pickBucketMs(50 * 365 * 24 * h, 10)).toBe(5 * 365 * 24 * h);
  });
});
