// `--tail 'app.log*'`: the glob matches the file and its rotations. A rotation, renamed (same inode) or copied by
// copy-truncate (a new inode with the same first bytes), goes on where its content was read, never from its start;
// after a SIGKILL and restart too; a rotation gzipped the way logrotate's `compress delaycompress` does it is not
// read, said once. Every line is stored exactly once.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countOf, tempDir } from '../../helpers/cli.ts';
import { startCollect, waitFor, type Collect } from './collect-process.ts';
import { exactlyOnce, occurrences, seqLines, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const lines = (from: number, to: number) => seqLines(from, to, '2026-11-24T08:00:00.000Z');

const cleanups = cleanupsAfterEach();

/**
 * One logrotate run with `rotate 9`, `compress` and `delaycompress`: older rotations move up one number, app.log.1
 * becomes app.log.2 and is gzipped into app.log.2.gz, and app.log becomes app.log.1, by rename and create or by
 * copy and truncate. The copy is written a piece at a time, as copying a large file goes: the collector may see
 * the copy while it is still being written, and before the file is truncated.
 */
async function logrotate(log: string, kind: 'rename' | 'copytruncate'): Promise<void> {
  for (let k = 8; k >= 2; k--)
    if (fs.existsSync(`${log}.${k}.gz`)) fs.renameSync(`${log}.${k}.gz`, `${log}.${k + 1}.gz`);
  const older = fs.existsSync(`${log}.1`);
  if (older) fs.renameSync(`${log}.1`, `${log}.2`);
  if (kind === 'rename') {
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, '');
  } else {
    const content = fs.readFileSync(log);
    const piece = Math.ceil(content.length / 4);
    fs.writeFileSync(`${log}.1`, '');
    for (let at = 0; at < content.length; at += piece) {
      fs.appendFileSync(`${log}.1`, content.subarray(at, at + piece));
      await new Promise((r) => setTimeout(r, 150));
    }
    fs.truncateSync(log, 0);
  }
  if (older) {
    fs.writeFileSync(`${log}.2.gz`, zlib.gzipSync(fs.readFileSync(`${log}.2`)));
    fs.unlinkSync(`${log}.2`);
  }
}

describe("flumen collect --tail 'app.log*' (the glob matches the rotations)", () => {
  it('stores every line once through copy-truncate and rename rotations, a SIGKILL and gzipped rotations', async () => {
    const { dir, cleanup } = tempDir('flumen-tail-rotated-');
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    const ws = path.join(dir, 'ws');
    const glob = path.join(dir, 'app.log*');
    const args = ['--workspace', ws, '--commit-ms', '200', '--tail', glob];
    fs.writeFileSync(log, lines(1, 1000));
    let collect: Collect = await startCollect(args);
    const said: string[] = [];
    cleanups.push(async () => {
      if (collect.child.exitCode === null && collect.child.signalCode === null) await collect.stop();
    });
    let written = 1000;
    const write = (n: number) => {
      fs.appendFileSync(log, lines(written + 1, written + n));
      written += n;
    };
    const caughtUp = (what: string) =>
      waitFor(what, async () => (await countOf(ws, '').catch(() => 0)) >= written, 60_000).catch(
        async (err: Error) => {
          const { lost, duplicated } = exactlyOnce(
            (await storedEvents(ws)).map((e) => String(e.message)),
            written,
          );
          throw new Error(
            `${err.message}: lost ${lost.slice(0, 5).join(',')} duplicated ${duplicated.slice(0, 5).join(',')}; collect said: ${collect.stderr()}`,
          );
        },
      );
    await caughtUp('the first lines');

    // Copy-truncate while collecting, part of the last writes not yet read: the copy app.log.1 is a new file the
    // glob matches; its unread part is read once, the rest of it not again.
    write(2000);
    await logrotate(log, 'copytruncate');
    write(1000);
    await caughtUp('the lines around the first copy-truncate');
    // Rename and create: app.log.1 (the copy) becomes app.log.2, gzipped into app.log.2.gz; app.log becomes
    // app.log.1, written to a little after the rename (the writer had it open).
    write(1500);
    await logrotate(log, 'rename');
    fs.appendFileSync(`${log}.1`, lines(written + 1, written + 300));
    written += 300;
    write(700);
    await caughtUp('the lines around the rename');
    // Two more of each kind, a while apart: rotated files are drained, let go and taken up by their new names.
    for (const kind of ['copytruncate', 'rename', 'copytruncate', 'rename'] as const) {
      write(1000);
      await new Promise((r) => setTimeout(r, 300));
      await logrotate(log, kind);
      write(500);
      await caughtUp(`the lines around a ${kind}`);
      await new Promise((r) => setTimeout(r, 2500)); // past the drain of the rotated file: it is let go
    }

    // SIGKILL right after writes (some read and not committed, some not read), then a copy-truncate while nothing
    // runs, and a restart: the copy's unread part is read once, what was committed is not read again. (One
    // rotation only: a second one would gzip the copy, and its unread lines with it, before anything could read it.)
    write(2000);
    said.push(collect.stderr());
    await collect.kill();
    await logrotate(log, 'copytruncate');
    write(800);
    collect = await startCollect(args);
    await caughtUp('the lines after the restart');
    write(800);
    await logrotate(log, 'rename');
    write(400);
    await caughtUp('the lines around the rename after the restart');

    // A SIGKILL right after a rotated file was drained and let go, and a restart with more rotations.
    write(1000);
    await logrotate(log, 'rename');
    write(200);
    await caughtUp('the lines around the last rename');
    await new Promise((r) => setTimeout(r, 3000));
    said.push(collect.stderr());
    await collect.kill();
    collect = await startCollect(args);
    write(600);
    await logrotate(log, 'copytruncate');
    write(400);
    await caughtUp('the lines after the second restart');
    await new Promise((r) => setTimeout(r, 1500)); // rounds go on: nothing is read twice later either
    expect(await collect.stop(), collect.stderr()).toBe(0);
    said.push(collect.stderr());

    const events = await storedEvents(ws);
    const result = exactlyOnce(
      events.map((e) => String(e.message)),
      written,
    );
    const stderr = said.join('\n');
    expect({ ...result, stderr: result.lost.length || result.duplicated.length ? stderr : '' }).toEqual({
      lost: [],
      duplicated: [],
      stderr: '',
    });
    expect(events.length).toBe(written);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.gz')).length).toBeGreaterThanOrEqual(4);
    // The gzipped rotations are skipped, said once per run; no rotation is taken for a second name of a file.
    expect(occurrences(said[0], 'is compressed (gzip): not read'), said[0]).toBe(1);
    expect(occurrences(stderr, 'is already followed by'), stderr).toBe(0);
    expect(occurrences(stderr, 'truncated before'), stderr).toBe(0);
  }, 300_000);
});
