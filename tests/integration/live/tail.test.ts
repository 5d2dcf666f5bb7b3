// `flumen collect --tail`: rotation of both kinds, crashes (SIGKILL) and restarts, and live visibility to queries.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOf, tempDir } from '../../helpers/cli.ts';
import { startCollect, waitFor, type Collect } from './collect-process.ts';
import { exactlyOnce, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

function lines(from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++) {
    out += `2026-11-23T10:${String(Math.floor(i / 1000) % 60).padStart(2, '0')}:00.000Z INFO worker seq=${i} handled request\n`;
  }
  return out;
}

describe('flumen collect --tail', () => {
  it('stores every one of 60k lines exactly once through 6 rotations of both kinds and two SIGKILLs', async () => {
    const { dir, cleanup } = tempDir('flumen-tail-');
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    const ws = path.join(dir, 'ws');
    const args = ['--workspace', ws, '--tail', log, '--commit-ms', '200'];
    fs.writeFileSync(log, '');
    let collect: Collect = await startCollect(args);
    const logs: string[] = [];
    // Six rotations, three of each kind; two of them happen while the collector is dead. Before each kill the
    // collector has caught up with the earlier batches (so it knows of the earlier rotations: a file created and
    // rotated away again while nothing committed its existence cannot be known after a crash); the kill itself
    // comes right after a batch of writes, which are then partly read and uncommitted, partly unread.
    const plan: Record<number, { kind: 'rename' | 'copytruncate'; dead: boolean }> = {
      1: { kind: 'rename', dead: false },
      3: { kind: 'rename', dead: true },
      5: { kind: 'copytruncate', dead: false },
      6: { kind: 'rename', dead: false },
      8: { kind: 'copytruncate', dead: true },
      10: { kind: 'copytruncate', dead: false },
    };
    let rotations = 0;
    const rotate = (kind: 'rename' | 'copytruncate') => {
      rotations++;
      if (kind === 'rename') {
        fs.renameSync(log, `${log}.${rotations}`);
        fs.writeFileSync(log, '');
      } else {
        fs.copyFileSync(log, `${log}.${rotations}`);
        fs.truncateSync(log, 0);
      }
    };
    const total = 60_000;
    const per = 5000;
    for (let batch = 0; batch < total / per; batch++) {
      const first = batch * per + 1;
      // Several appends per batch, as a logging process would write.
      const step = plan[batch];
      if (step?.dead) {
        await waitFor(
          `all lines before batch ${batch}`,
          async () => (await countOf(ws, '')) >= first - 1,
          60_000,
        ).catch(async (err: Error) => {
          const { lost } = exactlyOnce(
            (await storedEvents(ws)).map((e) => String(e.message)),
            first - 1,
          );
          throw new Error(
            `${err.message}; ${lost.length} lines missing, first ${lost[0]}; collect said: ${collect.stderr()}`,
          );
        });
      }
      for (let i = first; i < first + per; i += 1000) fs.appendFileSync(log, lines(i, i + 999));
      if (batch === 0)
        await waitFor('a first commit', async () => (await countOf(ws, '').catch(() => 0)) > 0);
      if (!step) continue;
      if (step.dead) {
        logs.push(collect.stderr());
        await collect.kill(); // right after the writes: some were read and not committed, some not read at all
        rotate(step.kind);
        collect = await startCollect(args);
      } else {
        if (step.kind === 'copytruncate') {
          // A copy-truncate moves what was not yet read into a copy the collector finds by the file's first bytes;
          // a file it never read from (e.g. one created while it was down, its restart slowed by a loaded machine)
          // has no known first bytes, so its copy cannot be recognised (Filebeat has the same limit). Wait until it
          // has read into this batch; the truncate still comes while part of the batch is unread.
          await waitFor(
            'the collector reading into the batch',
            async () => (await countOf(ws, '')) >= first,
            60_000,
          );
        }
        await new Promise((r) => setTimeout(r, 300));
        rotate(step.kind);
        await new Promise((r) => setTimeout(r, 600));
      }
    }
    expect(rotations).toBe(6);
    // On a timeout the comparison below says which lines are missing.
    await waitFor('all lines stored', async () => (await countOf(ws, '')) >= total, 60_000).catch(() => {});
    expect(await collect.stop(), collect.stderr()).toBe(0);
    const events = await storedEvents(ws);
    const { lost, duplicated } = exactlyOnce(
      events.map((e) => String(e.message)),
      total,
    );
    logs.push(collect.stderr(), collect.stdout());
    expect({ lost, logs }).toEqual({ lost: [], logs: expect.any(Array) });
    expect(duplicated.slice(0, 10)).toEqual([]);
    expect(events.length).toBe(total);
  }, 180_000);

  it('lets another process count new lines within 2 seconds while collecting', async () => {
    const { dir, cleanup } = tempDir('flumen-tail-live-');
    cleanups.push(cleanup);
    const log = path.join(dir, 'live.log');
    const ws = path.join(dir, 'ws');
    fs.writeFileSync(log, lines(1, 100));
    const collect = await startCollect(['--workspace', ws, '--tail', path.join(dir, '*.log')]);
    try {
      await waitFor(
        'first lines',
        async () => fs.existsSync(ws) && (await countOf(ws, '').catch(() => 0)) === 100,
        10_000,
      );
      fs.appendFileSync(log, lines(101, 250));
      const appended = Date.now();
      let seen = 0;
      while (Date.now() - appended < 2000 && seen < 250) seen = await countOf(ws, '');
      expect(seen).toBe(250);
      // A file that appears later under the glob is picked up too.
      fs.writeFileSync(path.join(dir, 'other.log'), lines(251, 260));
      await waitFor('new file', async () => (await countOf(ws, '')) === 260, 10_000);
    } finally {
      expect(await collect.stop(), collect.stderr()).toBe(0);
    }
    expect(await countOf(ws, '/seq=42 /')).toBe(1);
  }, 60_000);
});
