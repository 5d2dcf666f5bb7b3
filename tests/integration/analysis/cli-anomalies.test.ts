// `flumen anomalies` and `flumen query --json` through the real CLI on ingested Loghub data and on a log with a
// burst of errors in it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGHUB, runFlumen, tempDir } from '../../helpers/cli.ts';

describe('flumen anomalies on an HDFS + Linux workspace', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  beforeAll(async () => {
    const r = await runFlumen([
      'ingest',
      '--workspace',
      ws,
      path.join(LOGHUB, 'HDFS', 'HDFS_2k.log'),
      path.join(LOGHUB, 'Linux', 'Linux_2k.log'),
    ]);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('prints ranked incidents as JSON lines with window, kind, score, template or host and an explanation', async () => {
    const r = await runFlumen(['anomalies', '--workspace', ws, '--json', '--min-score', '0.1']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((row, i) => {
      expect(row.rank).toBe(i + 1);
      expect(row.score).toBeGreaterThanOrEqual(0.1);
      if (i > 0) expect(rows[i - 1].score).toBeGreaterThanOrEqual(row.score);
      expect(['new-template', 'rare-template', 'spike', 'drop', 'error-burst', 'host-outlier']).toContain(
        row.kind,
      );
      expect(row.template != null || row.host != null || row.kind === 'error-burst').toBe(true);
      expect(typeof row.explanation).toBe('string');
      if (row.start != null) expect(Date.parse(row.end)).toBeGreaterThan(Date.parse(row.start));
    });
    // A spike's explanation carries its numbers: observed, window, usual median ± spread.
    const spike = rows.find((x) => x.kind === 'spike');
    expect(spike.explanation).toMatch(/^template \d+ ".+" seen \d+ times in .+, usually [\d.]+ ± [\d.]+$/);
  });

  it('fills the anomaly score of every queried event and extracts block ids as fields', async () => {
    const r = await runFlumen(['query', '--workspace', ws, '--json', '--limit', '4000', '']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(4000);
    for (const row of rows) expect(row.anomaly >= 0 && row.anomaly <= 1).toBe(true);
    expect(rows.some((row) => row.anomaly > 0)).toBe(true);
    const hdfs = rows.filter((row) => row.source.endsWith('HDFS_2k.log') && /blk_-?\d+/.test(row.message));
    expect(hdfs.length).toBeGreaterThan(1900);
    for (const row of hdfs) expect(row.fields['ids.blk']).toBe(/blk_-?\d+/.exec(row.message)?.[0]);
  });

  it('prints a readable ranked list without --json', async () => {
    const r = await runFlumen(['anomalies', '--workspace', ws, '--min-score', '0.1', '--limit', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}1 {2}0\.\d\d {2}\S+/);
  });

  it('fails clearly on a folder that is not a workspace', async () => {
    const r = await runFlumen(['anomalies', '--workspace', path.join(tmp.dir, 'nope')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nope/);
  });
});

describe('flumen anomalies on a log with a burst of errors', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  const log = path.join(tmp.dir, 'app.log');
  beforeAll(async () => {
    const lines: string[] = [];
    const t0 = Date.UTC(2024, 2, 1, 8, 0, 0);
    const at = (ms: number) => new Date(ms).toISOString();
    for (let m = 0; m < 180; m++) {
      for (let i = 0; i < 4; i++)
        lines.push(`${at(t0 + m * 60_000 + i * 1000)} INFO request served in ${10 + i} ms`);
      if (m % 30 === 0) lines.push(`${at(t0 + m * 60_000 + 5000)} ERROR cache miss for key k${m}`);
    }
    for (let i = 0; i < 40; i++)
      lines.push(
        `${at(t0 + 120 * 60_000 + 10_000 + i * 500)} ERROR database connection refused to 10.0.0.${(i % 4) + 1}`,
      );
    lines.sort();
    fs.writeFileSync(log, lines.join('\n') + '\n');
    const r = await runFlumen(['ingest', '--workspace', ws, log]);
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('ranks the burst first, in its minute, with the numbers in its explanation', async () => {
    const r = await runFlumen(['anomalies', '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const top = JSON.parse(r.stdout.trim().split('\n')[0]);
    expect(top.score).toBeGreaterThanOrEqual(0.5);
    expect(top.start).toBe('2024-03-01T10:00:00.000Z');
    const lines = [top.explanation, ...top.related.map((x: { explanation: string }) => x.explanation)].join(
      '\n',
    );
    expect(lines).toMatch(/41 events at error or above in 1 min, usually 1 ± 0/);
    expect(lines).toMatch(/"database connection refused to <\*>" new/);
  });

  it('scores the errors of the burst at or above 0.5 and the ordinary lines below it', async () => {
    const r = await runFlumen(['query', '--workspace', ws, '--json', '']);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const burst = rows.filter((x) => x.message.includes('database connection refused'));
    expect(burst).toHaveLength(40);
    for (const x of burst) expect(x.anomaly).toBeGreaterThanOrEqual(0.5);
    for (const x of rows.filter((y) => y.severity === 'info')) expect(x.anomaly).toBeLessThan(0.5);
    expect(burst[0].fields['ids.ip']).toBe('10.0.0.1');
  });
});
