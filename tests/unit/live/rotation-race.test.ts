// Two followers of one glob (`app.log*`): app.log and app.log.1. A rename rotation between app.log's poll and
// app.log.1's poll shows app.log.1 the file app.log's follower still thinks it reads at its own path. That is a
// rotation the holder has yet to notice, not a second name for one file: nothing is said, and app.log.1 goes on
// from where app.log's follower lets go, each line read once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { LiveClaims } from '../../../electron/engine/pipeline/live-claims.ts';
import type { LiveBatch } from '../../../electron/engine/pipeline/live.ts';
import { PathFollower, READ_BYTES } from '../../../electron/engine/sources/live/path-follower.ts';
import { ReadLedger } from '../../../electron/engine/sources/live/read-ledger.ts';
import { exactlyOnce, seqLines } from '../../integration/live/stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

describe('a rename rotation between two followers of one glob', () => {
  it('is not taken for a second name of the file, and every line is read once', async () => {
    const { dir, cleanup } = tempDir('flumen-rotation-race-');
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    const claims = new LiveClaims();
    const said: string[] = [];
    const texts: string[] = [];
    const env = {
      claims,
      ledger: new ReadLedger(claims),
      owner: 'tail-ledger:test',
      put: async (b: LiveBatch) => {
        for (const r of b.records) texts.push(r.text);
      },
      log: (message: string) => said.push(message),
      saveLedger: async () => {},
      compressed: () => {},
      buf: Buffer.allocUnsafe(READ_BYTES),
    };
    const live = new PathFollower(log, '--tail app.log*', () => 1, env);
    const rotated = new PathFollower(`${log}.1`, '--tail app.log*', () => 2, env);
    const round = async (first: PathFollower, second: PathFollower) => {
      await first.poll();
      await second.poll();
    };

    fs.writeFileSync(log, seqLines(1, 100));
    await round(live, rotated);
    // Renamed after app.log's poll: app.log.1 looks first, while its holder still reads it "at its own path".
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, seqLines(101, 150));
    await rotated.poll();
    await live.poll();
    fs.appendFileSync(`${log}.1`, seqLines(151, 160)); // late writes to the renamed file
    await round(live, rotated);
    // Drained and let go after a quiet while; app.log.1 takes it over from there.
    await new Promise((r) => setTimeout(r, 2300));
    await round(live, rotated);
    await round(live, rotated);
    fs.appendFileSync(`${log}.1`, seqLines(161, 170));
    await round(live, rotated);

    expect(said).toEqual([]);
    expect(rotated.records).toBe(10);
    expect(exactlyOnce(texts, 170)).toEqual({ lost: [], duplicated: [] });
    expect(texts.length).toBe(170);
    await live.close();
    await rotated.close();
  }, 30_000);
});
