// Issue 2: a .tar.gz of a Linux machine's /var/log ingests; binary members are skipped and named; counts agree with grep.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';

const hasDpkgLog = fs.existsSync('/var/log/dpkg.log');

describe.runIf(hasDpkgLog && requireProgram('tar') && requireProgram('grep'))('a tarball of /var/log', () => {
  const tmp = tempDir();
  const bundle = path.join(tmp.dir, 'varlog.tar.gz');
  const ws = path.join(tmp.dir, 'ws');
  let summary = '';
  let dpkgLines = 0;

  beforeAll(async () => {
    // Snapshot dpkg.log first so the grep count and the archive hold the same bytes even if apt runs meanwhile.
    const snap = path.join(tmp.dir, 'snap');
    fs.mkdirSync(snap);
    execFileSync('cp', ['-a', '/var/log', snap]);
    // A binary member we know is there, whatever the machine's /var/log holds.
    fs.writeFileSync(path.join(snap, 'log', 'wtmp.test'), Buffer.alloc(384 * 4, 0));
    execFileSync('tar', ['-czf', bundle, '-C', snap, 'log']);
    dpkgLines = Number(
      execFileSync('sh', ['-c', `grep -c 'status installed' ${path.join(snap, 'log', 'dpkg.log')} || true`])
        .toString()
        .trim(),
    );
    const r = await runFlumen(['ingest', '--workspace', ws, bundle]);
    summary = r.stdout + r.stderr;
    expect(r.stdout).toMatch(/ingested [\d,]+ events/);
  });
  afterAll(() => tmp.cleanup());

  it('names every binary member as skipped', () => {
    expect(summary).toMatch(/wtmp\.test: .*binary/);
  });

  it('counts "status installed" exactly as grep -c does on dpkg.log', async () => {
    expect(dpkgLines).toBeGreaterThan(0);
    expect(await countOf(ws, '"status installed"')).toBe(dpkgLines);
  });

  it('reopening the workspace re-reads nothing: a second ingest of the same bundle adds no events', async () => {
    const before = await countOf(ws, '');
    const r = await runFlumen(['ingest', '--workspace', ws, bundle]);
    expect(r.stdout).toMatch(/already in this workspace/);
    expect(await countOf(ws, '')).toBe(before);
  });
});
