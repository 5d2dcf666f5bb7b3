// The commands the bench times: lnav's count must count what rg counts on the bench's own files, and the
// process measurement must report real peak memory.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS } from '../../../bench/generate/datasets.ts';
import { generateFile } from '../../../bench/generate/write.ts';
import { lastInteger, lnavCount } from '../../../bench/peers/lnav.ts';
import { rgCount } from '../../../bench/peers/ripgrep.ts';
import { failureReason, runMeasured } from '../../../bench/measure/process.ts';
import { requireProgram } from '../../helpers/require-program.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flumen-bench-peers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const peers = requireProgram('lnav') && requireProgram('rg');

describe.skipIf(!peers)('lnav count command', () => {
  it('counts on a generated syslog file what rg -c -w -i counts, for the common and the rare word', async () => {
    const file = await generateFile(DATASETS.syslog, { dir, lines: 5000 });
    for (const word of [DATASETS.syslog.words.common, DATASETS.syslog.words.rare]) {
      const rg = await rgCount(file.path, word);
      const lnav = await lnavCount(file.path, { table: 'syslog_log', column: 'log_body' }, word);
      expect(lnav.measured.code).toBe(0);
      expect(rg.count).toBeGreaterThan(0);
      expect(lnav.count).toBe(rg.count);
    }
  });

  it('counts on a generated nginx access log what rg counts, through access_log.log_text', async () => {
    const file = await generateFile(DATASETS.nginx, { dir, lines: 5000 });
    const word = DATASETS.nginx.words.common;
    const rg = await rgCount(file.path, word);
    const lnav = await lnavCount(file.path, { table: 'access_log', column: 'log_text' }, word);
    expect(rg.count).toBeGreaterThan(0);
    expect(lnav.count).toBe(rg.count);
  });

  it('reports the last count when lnav runs the query twice in one process', async () => {
    const file = await generateFile(DATASETS.syslog, { dir, lines: 5000 });
    const once = await lnavCount(file.path, { table: 'syslog_log', column: 'log_body' }, 'error');
    const twice = await lnavCount(file.path, { table: 'syslog_log', column: 'log_body' }, 'error', 2);
    expect(twice.count).toBe(once.count);
  });

  it('gives no count when lnav rejects the table', async () => {
    const file = await generateFile(DATASETS.syslog, { dir, lines: 5000 });
    const r = await lnavCount(file.path, { table: 'no_such_table', column: 'log_body' }, 'error');
    expect(r.count).toBeNull();
  });

  it('rg reports 0, not a failure, for a word that is absent', async () => {
    const file = await generateFile(DATASETS.syslog, { dir, lines: 5000 });
    expect((await rgCount(file.path, 'zzyzxnotthere')).count).toBe(0);
  });
});

describe('process measurement', () => {
  it('reports a peak resident size at least as large as the memory the child touched', async () => {
    const m = await runMeasured(process.execPath, [
      '-e',
      'const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log(b[5])',
    ]);
    expect(m.code).toBe(0);
    expect(m.stdout.trim()).toBe('1');
    expect(m.peakRssKb).not.toBeNull();
    expect(m.peakRssKb!).toBeGreaterThan(200 * 1024);
  });

  it('kills a command that runs past its time limit, with its children, and says so', async () => {
    const m = await runMeasured('sh', ['-c', 'sleep 30 & wait'], { timeoutMs: 300 });
    expect(m.timedOut).toBe(true);
    expect(m.code).not.toBe(0);
    expect(failureReason(m)).toMatch(/^timed out after/);
  });

  it('reads the count from lnav’s table output', () => {
    expect(lastInteger('count(*) \n   42593 \n')).toBe(42593);
    expect(lastInteger('')).toBeNull();
  });
});
