// The remote tail loop, run by a real POSIX sh on this machine (as sshd would run it), through rotation,
// truncation and a restart at a saved position: offsets stay exact.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import {
  RemoteTailDecoder,
  remoteTailCommand,
  type RemotePosition,
} from '../../../electron/engine/sources/live/remote-tail.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

function run(
  file: string,
  pos: RemotePosition | undefined,
  got: string[],
): { child: ChildProcess; dec: RemoteTailDecoder } {
  const dec = new RemoteTailDecoder(pos);
  const child = spawn('sh', ['-c', remoteTailCommand(file, dec.pos)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  child.stdout!.setEncoding('latin1').on('data', (d: string) => {
    for (const r of dec.push(d).records) got.push(r.text);
  });
  cleanups.push(() => killGroup(child));
  return { child, dec };
}

/** The loop and its `sleep` children: nothing is left running after the test. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(fn()).toBe(true);
}

describe('remote tail loop', () => {
  it('reads appends, follows a rename rotation after draining the old file, and resets on truncation', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, 'r.log');
    fs.writeFileSync(file, 'a1\na2\n');
    const got: string[] = [];
    const { child, dec } = run(file, undefined, got);
    await until(() => got.length === 2);
    fs.appendFileSync(file, 'a3\npart');
    await until(() => got.length === 3);
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'b1\n');
    fs.appendFileSync(`${file}.1`, 'ial\n'); // the writer finishes its line in the rotated file
    await until(() => got.length === 5);
    expect(got).toEqual(['a1', 'a2', 'a3', 'partial', 'b1']);
    fs.truncateSync(file, 0);
    fs.writeFileSync(file, 'c1\n');
    await until(() => got.length === 6);
    expect(got[5]).toBe('c1');
    killGroup(child);
    // A restart at the saved position reads only what came after it.
    const saved = { ...dec.pos };
    fs.appendFileSync(file, 'c2\n');
    const again: string[] = [];
    run(file, saved, again);
    await until(() => again.length === 1);
    expect(again).toEqual(['c2']);
  }, 30_000);
});
