// Issue 2: every Loghub dataset ingests through the command line, one event per line, and word counts equal ripgrep's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGHUB, countOf, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';

const DATASETS = fs
  .readdirSync(LOGHUB)
  .filter((d) => fs.existsSync(path.join(LOGHUB, d, `${d}_2k.log`)))
  .sort();

describe('the Loghub datasets through `flumen ingest` and `flumen query`', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  let ingestOut = '';

  beforeAll(async () => {
    const files = DATASETS.map((d) => path.join(LOGHUB, d, `${d}_2k.log`));
    const r = await runFlumen(['ingest', '--workspace', ws, ...files]);
    ingestOut = r.stdout + r.stderr;
    expect(r.code, ingestOut).toBe(0);
  });
  afterAll(() => tmp.cleanup());

  it('finds all eleven datasets', () => {
    expect(DATASETS.length).toBe(11);
  });

  it.each(DATASETS)('%s: one event per ground-truth line', async (d) => {
    const truthRows =
      fs
        .readFileSync(path.join(LOGHUB, d, `${d}_2k.log_structured.csv`), 'utf8')
        .trim()
        .split('\n').length - 1;
    expect(await countOf(ws, `source:*${d}_2k.log`)).toBe(truthRows);
  });

  it('every dataset gets a recognised format, none falls back to plain text', async () => {
    const r = await runFlumen(['formats', '--workspace', ws, '--json']);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; format: string });
    expect(rows.length).toBe(DATASETS.length);
    for (const row of rows) expect(row.format, row.source).not.toBe('text');
  });

  it('--json prints the DESIGN.md fields for each event', async () => {
    const r = await runFlumen(['query', '--workspace', ws, '--json', '--limit', '5', 'source:*Linux_2k.log']);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toHaveLength(5);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(
        ['anomaly', 'fields', 'host', 'line', 'message', 'severity', 'source', 'template', 'ts'].sort(),
      );
      expect(e.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.host).toBe('combo');
      expect(e.source).toMatch(/Linux_2k\.log$/);
    }
    // Results come in time order.
    const times = events.map((e: { ts: string }) => Date.parse(e.ts));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  describe.runIf(requireProgram('rg'))('word counts equal `rg -c -w -i`', () => {
    const words = ['error', 'failed', 'root', 'info', 'connection', 'blk_38865049064139660', 'session'];
    it.each(words)('%s', async (word) => {
      const files = DATASETS.map((d) => path.join(LOGHUB, d, `${d}_2k.log`));
      let expected = 0;
      for (const f of files) {
        try {
          expected += Number(execFileSync('rg', ['-c', '-w', '-i', '--', word, f]).toString().trim());
        } catch {
          // rg exits 1 when a file has no match
        }
      }
      expect(await countOf(ws, word)).toBe(expected);
    });
  });

  it('a query with a syntax error exits 2 and points at the position', async () => {
    const r = await runFlumen(['query', '--workspace', ws, '--count', 'error AND (']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad query/);
    expect(r.stderr).toMatch(/\^/);
  });
});
