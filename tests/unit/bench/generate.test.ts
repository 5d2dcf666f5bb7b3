// The bench's generators: deterministic in their seed, and every line is what it claims to be.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASETS, type DatasetName } from '../../../bench/generate/datasets.ts';
import { NGINX_COMBINED_LINE } from '../../../bench/generate/nginx.ts';
import { SYSLOG_LINE } from '../../../bench/generate/syslog.ts';
import { generateFile, writeLines } from '../../../bench/generate/write.ts';

const LINES = 20_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'flumen-bench-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function lines(name: DatasetName, seed: number, count = LINES): string[] {
  const next = DATASETS[name].lines(seed);
  return Array.from({ length: count }, () => next());
}

describe.each(Object.keys(DATASETS) as DatasetName[])('%s generator', (name) => {
  const dataset = DATASETS[name];

  it('writes byte-identical files for the same seed and different files for a different seed', async () => {
    const a = path.join(dir, `${name}-a`);
    const b = path.join(dir, `${name}-b`);
    const c = path.join(dir, `${name}-c`);
    const ra = await writeLines(dataset.lines(42), LINES, a);
    const rb = await writeLines(dataset.lines(42), LINES, b);
    const rc = await writeLines(dataset.lines(43), LINES, c);
    expect(sha256(readFileSync(a, 'utf8'))).toBe(ra.sha256);
    expect(rb.sha256).toBe(ra.sha256);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    expect(rc.sha256).not.toBe(ra.sha256);
    const text = readFileSync(a, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(LINES + 1);
    expect(statSync(a).size).toBe(ra.bytes);
  });

  it('puts its common and rare query words in realistic shares of lines, only as whole words', () => {
    const all = lines(name, dataset.defaultSeed);
    for (const [word, min, max] of [
      [dataset.words.common, 0.005, 0.1],
      [dataset.words.rare, 1 / LINES, 0.001],
    ] as const) {
      const whole = new RegExp(`\\b${word}\\b`, 'i');
      const anywhere = new RegExp(word, 'i');
      const wholeCount = all.filter((l) => whole.test(l)).length;
      // Substring and whole-word counts agree, so lnav's LIKE '%word%' and rg -w count the same lines.
      expect(all.filter((l) => anywhere.test(l)).length).toBe(wholeCount);
      expect(wholeCount / LINES).toBeGreaterThanOrEqual(min);
      expect(wholeCount / LINES).toBeLessThanOrEqual(max);
    }
  });
});

describe('line formats', () => {
  it('syslog lines are RFC 3164 `Mon DD HH:MM:SS host app[pid]: message` lines averaging about 89 bytes', () => {
    const all = lines('syslog', DATASETS.syslog.defaultSeed);
    const bad = all.filter((l) => !SYSLOG_LINE.test(l));
    expect(bad).toEqual([]);
    expect(all[0]).toMatch(/^Mar {2}1 00:00:0\d /);
    const hosts = new Set(all.map((l) => l.split(' ').filter(Boolean)[3]));
    expect(hosts.size).toBe(12);
    const avg = all.reduce((n, l) => n + l.length + 1, 0) / all.length;
    expect(avg).toBeGreaterThan(80);
    expect(avg).toBeLessThan(100);
  });

  it('syslog timestamps never go backwards', () => {
    const all = lines('syslog', 7);
    const secs = all.map((l) => {
      const [, day, h, m, s] = /^Mar +(\d+) (\d\d):(\d\d):(\d\d)/.exec(l)!.map(Number);
      return ((day * 24 + h) * 60 + m) * 60 + s;
    });
    const backwards = secs.filter((t, i) => i > 0 && t < secs[i - 1]);
    expect(backwards).toEqual([]);
  });

  it('nginx lines match the combined log format', () => {
    const bad = lines('nginx', DATASETS.nginx.defaultSeed).filter((l) => !NGINX_COMBINED_LINE.test(l));
    expect(bad).toEqual([]);
  });

  it('every JSON line parses and carries ts, level, msg, service, host, latency_ms and status', () => {
    const keys = 'ts,level,msg,service,host,latency_ms,status,trace_id';
    const bad = lines('jsonl', DATASETS.jsonl.defaultSeed).filter((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return !(
        Object.keys(o).join(',') === keys &&
        new Date(o.ts as string).toISOString() === o.ts &&
        ['debug', 'info', 'warn', 'error'].includes(o.level as string) &&
        typeof o.msg === 'string' &&
        typeof o.latency_ms === 'number' &&
        typeof o.status === 'number'
      );
    });
    expect(bad).toEqual([]);
  });
});

describe('generateFile', () => {
  it('reuses a stamped file with the same version, seed and size, and regenerates when the seed changes', async () => {
    const sub = path.join(dir, 'stamped');
    const first = await generateFile(DATASETS.syslog, { dir: sub, lines: 1000 });
    expect(first.reused).toBe(false);
    const again = await generateFile(DATASETS.syslog, { dir: sub, lines: 1000 });
    expect(again).toEqual({ ...first, reused: true });
    const reseeded = await generateFile(DATASETS.syslog, { dir: sub, lines: 1000, seed: 1 });
    expect(reseeded.reused).toBe(false);
    expect(reseeded.sha256).not.toBe(first.sha256);
    expect(JSON.parse(readFileSync(`${reseeded.path}.json`, 'utf8'))).toMatchObject({ seed: 1, lines: 1000 });
  });
});
