// One file, many names: a glob, the file's own path (given twice), a symlink and a hard link all name app.log. It is
// followed once, said once per extra name, and every line is stored exactly once through appends and rotations of
// both kinds; in the app, two tail sources naming one file share it, and removing the one reading it hands its
// position to the other.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOf, tempDir } from '../../helpers/cli.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { LivePipeline } from '../../../electron/engine/pipeline/live.ts';
import { TailCollector } from '../../../electron/engine/sources/live/tail.ts';
import { startCollect, waitFor } from './collect-process.ts';
import { exactlyOnce, occurrences, seqLines as lines, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

describe('a file named by several tail patterns', () => {
  it('is followed once by flumen collect: a glob, its own path twice, a symlink and a hard link, through rotations', async () => {
    const { dir, cleanup } = tempDir('flumen-tail-overlap-');
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    const link = path.join(dir, 'link.log');
    const hard = path.join(dir, 'hard.lnk');
    const ws = path.join(dir, 'ws');
    fs.writeFileSync(log, lines(1, 1000));
    fs.symlinkSync('app.log', link); // relative: it names whatever app.log is after a rotation
    fs.linkSync(log, hard); // names the first app.log's inode even after it is renamed away
    const collect = await startCollect([
      '--workspace',
      ws,
      '--commit-ms',
      '200',
      '--tail',
      path.join(dir, '*.log'),
      '--tail',
      log,
      '--tail',
      link,
      '--tail',
      hard,
      '--tail',
      `${dir}/./app.log`,
    ]);
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await collect.stop();
    });
    await waitFor('the first lines', async () => (await countOf(ws, '').catch(() => 0)) >= 1000, 60_000);
    fs.appendFileSync(log, lines(1001, 2000));
    await waitFor('the appended lines', async () => (await countOf(ws, '')) >= 2000, 60_000);

    // Rename-and-create: the symlink now names the new file, the hard link still names the old one.
    fs.renameSync(log, `${log}.1`);
    fs.writeFileSync(log, '');
    fs.appendFileSync(`${log}.1`, lines(2001, 2500)); // late writes to the old file
    fs.appendFileSync(log, lines(2501, 3500));
    await waitFor('the lines around the first rotation', async () => (await countOf(ws, '')) >= 3500, 60_000);
    // The old file is drained and let go; the hard link takes it over at its end. Lines written to it after that
    // are read once, through the hard link.
    await new Promise((r) => setTimeout(r, 3000));
    fs.appendFileSync(hard, lines(3501, 3600));
    await waitFor('lines written through the hard link', async () => (await countOf(ws, '')) >= 3600, 60_000);

    // Copy-truncate: the copy does not match the glob; what was not yet read comes from it.
    fs.appendFileSync(log, lines(3601, 5000));
    fs.copyFileSync(log, path.join(dir, 'app.copy'));
    fs.truncateSync(log, 0);
    // As many lines as were cut, maybe before the collector looked: the file grows back to the very size it had.
    fs.appendFileSync(log, lines(5001, 6000));
    await waitFor('every line', async () => (await countOf(ws, '')) >= 6000, 60_000).catch(() => {});
    // Polls go on meanwhile: what is said about the overlaps must still have been said once.
    await new Promise((r) => setTimeout(r, 1500));
    stopped = true;
    expect(await collect.stop(), collect.stderr()).toBe(0);

    const events = await storedEvents(ws);
    const result = exactlyOnce(
      events.map((e) => String(e.message)),
      6000,
    );
    expect({ ...result, stderr: result.lost.length ? collect.stderr() : '' }).toEqual({
      lost: [],
      duplicated: [],
      stderr: '',
    });
    expect(events.length).toBe(6000);

    const stderr = collect.stderr();
    const glob = `--tail ${path.join(dir, '*.log')}`;
    // The same path from more patterns gets one follower; said once, naming the pattern that follows it.
    expect(occurrences(stderr, `${log} is already followed by ${glob}\n`), stderr).toBe(1);
    expect(occurrences(stderr, `${link} is already followed by ${glob}\n`), stderr).toBe(1);
    // The symlink and the hard link name the same file as app.log: said once each, with the path it is read as.
    expect(occurrences(stderr, `${link} is already followed by ${glob} (as ${log})\n`), stderr).toBe(1);
    expect(occurrences(stderr, `${hard} is already followed by ${glob} (as ${log})\n`), stderr).toBe(1);
    expect(occurrences(stderr, 'is already followed by'), stderr).toBe(4);
    // The collector's summary carries them as its errors.
    expect(collect.stdout()).toContain(`${hard} is already followed by ${glob} (as ${log})`);
  }, 240_000);

  it('is shared by two tail sources of one workspace; removing the one reading it hands its position over', async () => {
    const { dir, cleanup } = tempDir('flumen-tail-sources-');
    cleanups.push(cleanup);
    const log = path.join(dir, 'app.log');
    fs.writeFileSync(log, lines(1, 2000));
    const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
    cleanups.push(() => ws.close());
    const logged: string[] = [];
    const pipeline = new LivePipeline(ws, { commitEveryMs: 50, log: (m) => logged.push(m) });
    const byGlob = new TailCollector([path.join(dir, '*.log')]);
    const byPath = new TailCollector([log]);
    await pipeline.start([byGlob, byPath]);
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await pipeline.stop();
    });
    const stored = () => ws.manifest().sources.reduce((n, s) => n + s.events, 0);
    await waitFor('the first lines', () => stored() >= 2000, 60_000);
    fs.appendFileSync(log, lines(2001, 3000));
    await waitFor('the appended lines', () => stored() >= 3000, 60_000);

    // Which of the two reads it is whichever polled first; the other waits and says so once.
    const reading = byGlob.status().active === 1 ? byGlob : byPath;
    const waiting = reading === byGlob ? byPath : byGlob;
    expect([reading.status().active, waiting.status().active]).toEqual([1, 0]);
    expect(waiting.status().errors).toEqual([
      `${log} is already followed by ${reading.status().name.replace(/^tail /, '--tail ')}`,
    ]);

    // Removed while lines keep coming: the other source goes on from where it stopped.
    fs.appendFileSync(log, lines(3001, 4000));
    await pipeline.remove(reading);
    fs.appendFileSync(log, lines(4001, 5000));
    await waitFor('the lines after the removal', () => stored() >= 5000, 60_000).catch(() => {});
    expect(waiting.status().active).toBe(1);
    stopped = true;
    await pipeline.stop();

    const events = await storedEvents(ws.dir);
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        5000,
      ),
      logged.join('\n'),
    ).toEqual({ lost: [], duplicated: [] });
    expect(events.length).toBe(5000);
    expect(logged.filter((m) => m.includes('is already followed by'))).toHaveLength(1);
  }, 120_000);
});
