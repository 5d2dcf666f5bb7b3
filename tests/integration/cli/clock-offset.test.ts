// The real `flumen` command: `flumen sources --clock-offset SOURCE=OFFSET` corrects a source's clock in what
// `flumen query` prints (times, merge order, from:/to: bounds), `=0` restores the output byte for byte; and
// `anomaly>=…` counts exactly the rows whose printed `anomaly` passes, on Loghub's BGL with OpenSSH.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGHUB, countOf, runFlumen, tempDir } from '../../helpers/cli.ts';

interface Row {
  ts: string | null;
  source: string;
  line: number | null;
  anomaly: number;
}

const BASE = Date.UTC(2024, 4, 1, 10, 0, 0);

async function flumen(args: string[]): Promise<string> {
  const r = await runFlumen(args);
  if (r.code !== 0) throw new Error(`flumen ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function rows(ws: string, query = ''): Promise<Row[]> {
  const out = await flumen(['query', '--workspace', ws, '--json', query]);
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}

describe('flumen sources --clock-offset', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  const aLog = path.join(tmp.dir, 'a.log');
  const bLog = path.join(tmp.dir, 'b.log');

  beforeAll(async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const lines = (host: string, shift: number) =>
      Array.from({ length: 20 }, (_, i) => `${iso(BASE + i * 10_000 + shift)} ${host} app[1]: event ${i}`);
    fs.writeFileSync(aLog, lines('alpha', 0).join('\n') + '\n');
    fs.writeFileSync(bLog, lines('beta', 5000).join('\n') + '\n');
    await flumen(['ingest', '--workspace', ws, aLog, bLog]);
  });
  afterAll(() => tmp.cleanup());

  it('shifts the source in query output, and =0 restores it exactly', async () => {
    const before = await flumen(['query', '--workspace', ws, '--json', '']);
    const listed = JSON.parse((await flumen(['sources', '--workspace', ws, '--json'])).split('\n')[0]);
    expect(listed).toMatchObject({ source: aLog, clockOffsetMs: 0, tsMin: iso(BASE) });

    // a's clock ran 7.5 s fast: its events move 7.5 s earlier, past b's.
    const text = await flumen(['sources', '--workspace', ws, '--clock-offset', 'a.log=+7.5s']);
    expect(text).toContain('clock +7.5s');
    const moved = await rows(ws);
    const original = before
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    const want = original
      .map((r) => ({ ...r, ts: r.source === aLog ? iso(Date.parse(r.ts!) - 7500) : r.ts }))
      .sort((x, y) => Date.parse(x.ts!) - Date.parse(y.ts!));
    expect(moved.map((r) => `${r.ts} ${r.source}`)).toEqual(want.map((r) => `${r.ts} ${r.source}`));
    expect(moved[0]).toMatchObject({ source: aLog, ts: iso(BASE - 7500) });
    expect(moved[1]).toMatchObject({ source: aLog, ts: iso(BASE + 2500) });
    expect(moved[2]).toMatchObject({ source: bLog, ts: iso(BASE + 5000) });

    // Bounds select by corrected time: [10:00:00, 10:00:30) holds a's 4 (at -7.5 s … 22.5 s) and b's 3.
    const bounded = `from:${iso(BASE)} to:${iso(BASE + 29_999)}`;
    expect(await countOf(ws, bounded)).toBe(3 + 3);
    expect(await countOf(ws, `${bounded} source:a.log`)).toBe(3);

    await flumen(['sources', '--workspace', ws, '--clock-offset', `${aLog}=0`]);
    expect(await flumen(['query', '--workspace', ws, '--json', ''])).toBe(before);
    expect(await countOf(ws, bounded)).toBe(6);
    const manifest = JSON.parse(fs.readFileSync(path.join(ws, 'flumen.json'), 'utf8'));
    expect(manifest.sources.some((s: object) => 'clockOffsetMs' in s)).toBe(false);
  });

  it.each([
    [['--clock-offset', 'nosuch.log=1s'], /no source matches "nosuch\.log"/],
    [['--clock-offset', 'a.log=fast'], /expected a clock offset like \+2\.5s/],
    [['--clock-offset', 'a.log'], /SOURCE=OFFSET/],
    [['--clock-offset', '.log=1s'], /matches 2 sources/],
    [['--clock-offset', 'a.log=40000d'], /more than a century/],
  ])('refuses %j with a one-line error', async (args, message) => {
    const r = await runFlumen(['sources', '--workspace', ws, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('refuses while another process writes the workspace, and changes nothing', async () => {
    // A lock held by a live process (this one) is what `flumen collect` leaves while it runs.
    const lock = path.join(ws, 'flumen.lock');
    fs.writeFileSync(lock, `${process.pid}\n`);
    try {
      const r = await runFlumen(['sources', '--workspace', ws, '--clock-offset', 'a.log=1s']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/in use by pid/);
    } finally {
      fs.rmSync(lock);
    }
    expect((await rows(ws))[0]).toMatchObject({ source: aLog, ts: iso(BASE) });
  });
});

describe('anomaly>=… on Loghub BGL and OpenSSH', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  let all: Row[];

  beforeAll(async () => {
    const files = ['BGL', 'OpenSSH'].map((d) => path.join(LOGHUB, d, `${d}_2k.log`));
    await flumen(['ingest', '--workspace', ws, ...files]);
    all = await rows(ws);
  });
  afterAll(() => tmp.cleanup());

  it.each(['anomaly>=0.5', 'anomaly>0.8', 'anomaly<0.2'])(
    '%s counts the rows whose printed anomaly passes',
    async (q) => {
      const [, op, value] = /^anomaly(>=|>|<)(.+)$/.exec(q)!;
      const x = Number(value);
      const pass = (s: number) => (op === '>=' ? s >= x : op === '>' ? s > x : s < x);
      const want = all.filter((r) => pass(r.anomaly)).length;
      expect(want).toBeGreaterThan(0);
      expect(want).toBeLessThan(all.length);
      expect(await countOf(ws, q)).toBe(want);
      const listed = await rows(ws, q);
      expect(listed.length).toBe(want);
      expect(listed.every((r) => pass(r.anomaly))).toBe(true);
    },
  );

  it('combines with other terms, and keeps its scores when a clock offset moves a source', async () => {
    const bgl = path.join(LOGHUB, 'BGL', 'BGL_2k.log');
    const want = all.filter((r) => r.source === bgl && r.anomaly >= 0.5).length;
    expect(await countOf(ws, 'source:BGL anomaly>=0.5')).toBe(want);
    await flumen(['sources', '--workspace', ws, '--clock-offset', 'BGL_2k.log=-1h']);
    try {
      expect(await countOf(ws, 'source:BGL anomaly>=0.5')).toBe(want);
      const moved = await rows(ws, 'anomaly>=0.5');
      expect(moved.length).toBe(all.filter((r) => r.anomaly >= 0.5).length);
    } finally {
      await flumen(['sources', '--workspace', ws, '--clock-offset', 'BGL_2k.log=0']);
    }
  });
});

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
