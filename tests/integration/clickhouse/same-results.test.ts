// Issue 6: the same inputs ingested into a local workspace and into a ClickHouse-backed one (a real
// clickhouse-server) answer the same query suite with the same results: counts, pages in order (with offsets,
// both directions), timeline buckets by severity, host and source, context, traces and the CLI's --json.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../shared/api.ts';
import type { LogEvent } from '../../../shared/event.ts';
import type { EventStore } from '../../../electron/engine/query/event-store.ts';
import { templateMembers } from '../../../electron/engine/analysis/template-store.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { openEventStore } from '../../../electron/engine/service/open-store.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { LOGHUB, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer, PASSWORD } from '../../../bench/sections/clickhouse/server.ts';

const DATASETS = fs
  .readdirSync(LOGHUB)
  .filter((d) => fs.existsSync(path.join(LOGHUB, d, `${d}_2k.log`)))
  .sort();

/** Lines the Loghub sets lack: typed JSON fields, non-ASCII words, the case folds k/K/K and s/S/ſ. */
const EXTRA_JSON = [
  {
    time: '2024-05-01T10:00:00.000Z',
    level: 'info',
    msg: 'request done',
    status: 200,
    latency_ms: 12.5,
    ok: true,
  },
  {
    time: '2024-05-01T10:00:01.000Z',
    level: 'warn',
    msg: 'request slow',
    status: '503',
    latency_ms: 1500,
    ok: false,
  },
  {
    time: '2024-05-01T10:00:02.000Z',
    level: 'error',
    msg: 'request failed',
    status: 500,
    latency_ms: 0.30000000000000004,
    ok: 'TRUE',
  },
  {
    time: '2024-05-01T10:00:03.000Z',
    level: 'info',
    msg: 'odd values',
    status: '1.2.3',
    latency_ms: 1e21,
    ok: null,
    user: 'Jane Doe',
  },
  {
    time: '2024-05-01T10:00:04.000Z',
    level: 'debug',
    msg: 'no status',
    latency_ms: -0.5,
    user: 'jane doe',
    code: '2e3',
  },
];
const EXTRA_TEXT = [
  '2024-05-01T11:00:00Z host-a ſshd[1]: accepted KELVIN login from 10.0.0.1',
  '2024-05-01T11:00:01Z host-b sshd[2]: Straße naïve café ÄRGER',
  '2024-05-01T11:00:02Z host-a app: 日本語 テスト emoji 😀 here',
  '2024-05-01T11:00:03Z host-c app: foo-bar [pid] x_y user=root',
  '2024-05-01T11:00:04Z host-c app: Kelvin ssh SSH sshd_config',
  'no timestamp at all, session started',
];

const QUERIES = [
  '',
  'error',
  'ERROR',
  'failed',
  'root',
  'connection',
  'session',
  'session*',
  'auth*',
  'blk_38865049064139660',
  '10.251.73.220',
  'foo-bar',
  '[pid]',
  'sshd',
  'kelvin',
  'ssh',
  'straße',
  'ärger',
  'café',
  '日本語',
  '"authentication failure"',
  '"Failed password"',
  '"naïve café"',
  '"ärger"',
  '"x_y user"',
  '/user\\s+\\w+/',
  '/^\\d+ /',
  '/fail(ed|ure)/i',
  '/[A-Z]{3,}:/',
  '/\\bblk_-?\\d+/',
  '/caf./u',
  '/\\w+é/u',
  '/^Jun 1[45]/m',
  '/k/iu',
  '/[^\\x00-\\x7f]/',
  'sev>=warn',
  'sev:error',
  'level<info',
  'sev>=notice -sev:error',
  'host:combo',
  'host:node-*',
  'host:/^node-\\d+$/',
  'host:HOST-A',
  '-host:combo',
  'source:*Linux*',
  'source:HDFS',
  '-source:*Linux* -source:HDFS',
  'pid>20000',
  'pid>=1000 pid<2000',
  'ids.blk:blk_*',
  'ids.user:0',
  'client:/^218\\./',
  'status:500',
  'status>=500',
  'status:"503"',
  'status:503',
  'latency_ms>1000',
  'latency_ms<=12.5',
  'latency_ms:"0.30000000000000004"',
  'latency_ms:"1.0e+21"',
  'ok:true',
  'ok:false',
  'user:"jane doe"',
  'user:jane*',
  'code>1000',
  '-status:500',
  'template:1',
  'template>10 template<20',
  'error OR failed',
  'NOT error',
  '(error OR warn) -failed',
  'error failed',
  'from:2005-06-01 to:2005-12-31',
  'from:2015-10-18',
  'to:2008-11-10 error',
  'since:36500d',
  '-from:2005-01-01',
];

function comparable(e: LogEvent): unknown {
  return { ...e };
}

function rowsWithoutIds(rows: EventRow[]): unknown[] {
  return rows.map(({ id: _id, ...rest }) => rest);
}

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('a ClickHouse store answers like the local store', () => {
  const tmp = tempDir('flumen-ch-same-');
  const localDir = path.join(tmp.dir, 'local');
  const chDir = path.join(tmp.dir, 'clickhouse');
  let server: ClickHouseServer;
  let local: { ws: Workspace; store: EventStore };
  let ch: { ws: Workspace; store: EventStore };
  const now = Date.parse('2026-06-01T00:00:00Z');

  beforeAll(async () => {
    process.env.FLUMEN_CLICKHOUSE_PASSWORD = PASSWORD;
    server = await ClickHouseServer.start();
    const json = path.join(tmp.dir, 'extra.jsonl');
    fs.writeFileSync(json, EXTRA_JSON.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const text = path.join(tmp.dir, 'extra.log');
    fs.writeFileSync(text, EXTRA_TEXT.join('\n') + '\n');
    const files = [...DATASETS.map((d) => path.join(LOGHUB, d, `${d}_2k.log`)), json, text];
    const a = await runFlumen(['ingest', '--workspace', localDir, ...files]);
    expect(a.code, a.stderr).toBe(0);
    const b = await runFlumen(
      ['ingest', '--workspace', chDir, '--store', server.storeUrl('same'), ...files],
      {
        env: { FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD },
      },
    );
    expect(b.code, b.stderr).toBe(0);
    const untimed = (out: string) => out.replace(/ in [\d.]+ s \([\d,]+ events\/s\)/, '');
    expect(untimed(b.stdout)).toBe(untimed(a.stdout));
    for (const dir of [localDir, chDir]) {
      const ws = await Workspace.open(dir);
      const store = await openEventStore(ws, ws.reader());
      if (dir === localDir) local = { ws, store };
      else ch = { ws, store };
    }
    expect(local.store.kind).toBe('local');
    expect(ch.store.kind).toBe('clickhouse');
  });

  afterAll(async () => {
    for (const s of [local, ch]) {
      await s?.ws.close();
      await s?.store.close();
    }
    await server?.stop();
    tmp.cleanup();
  });

  it('holds every event, and says so without a query', async () => {
    expect(ch.store.span()).toEqual(local.store.span());
    expect(ch.ws.sources().map((s) => [s.uri, s.events, s.bytes, s.tsMin, s.tsMax])).toEqual(
      local.ws.sources().map((s) => [s.uri, s.events, s.bytes, s.tsMin, s.tsMax]),
    );
  });

  it.each(QUERIES)('%s: same count, same pages, same buckets', async (query) => {
    const members = templateMembers(localDir);
    const ask = async (s: { ws: Workspace; store: EventStore }) => {
      const sources = s.ws.manifest().sources;
      const opts = { now, templateMembers: members };
      return {
        count: await s.store.count(sources, query, opts),
        first: (await s.store.list(sources, query, { ...opts, limit: 150 })).map(comparable),
        deep: (await s.store.list(sources, query, { ...opts, limit: 60, offset: 1500 })).map(comparable),
        desc: (await s.store.list(sources, query, { ...opts, limit: 80, offset: 7, order: 'desc' })).map(
          comparable,
        ),
        bySeverity: await s.store.buckets(sources, query, {
          ...opts,
          bucketMs: 86_400_000 * 30,
          groupBy: 'severity',
        }),
        byHost: await s.store.buckets(sources, query, {
          ...opts,
          bucketMs: 3_600_000,
          groupBy: 'host',
          from: Date.parse('2005-06-01T00:00:00Z'),
          to: Date.parse('2005-06-08T00:00:00Z'),
        }),
        bySource: await s.store.buckets(sources, query, {
          ...opts,
          bucketMs: 86_400_000 * 365,
          groupBy: 'source',
        }),
      };
    };
    const [want, got] = [await ask(local), await ask(ch)];
    expect(got.count).toBe(want.count);
    expect(got.first).toEqual(want.first);
    expect(got.deep).toEqual(want.deep);
    expect(got.desc).toEqual(want.desc);
    expect(got.bySeverity).toEqual(want.bySeverity);
    expect(got.byHost).toEqual(want.byHost);
    expect(got.bySource).toEqual(want.bySource);
  });

  it('lists a whole result the same way past the two-step page size', async () => {
    const sources = local.ws.manifest().sources;
    const all = await local.store.list(sources, 'NOT error', { limit: 30_000, now });
    expect(await ch.store.list(sources, 'NOT error', { limit: 30_000, now })).toEqual(all);
  });

  it('refuses a regex ClickHouse cannot run, naming the construct', async () => {
    const sources = ch.ws.manifest().sources;
    await expect(ch.store.count(sources, '/(?<=user )root/')).rejects.toThrow(/lookbehind.*RE2/);
    await expect(ch.store.count(sources, '/(a)\\1/')).rejects.toThrow(/backreference/);
  });

  describe('through the engine service (the API behind `flumen serve`)', () => {
    let a: EngineService;
    let b: EngineService;
    beforeAll(async () => {
      a = await EngineService.open(localDir, { restoreLive: false });
      b = await EngineService.open(chDir, { restoreLive: false });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('gives the same workspace summary and pages, with ids that open their context', async () => {
      const wa = await a.workspace();
      const wb = await b.workspace();
      expect({ ...wb, dir: '', name: '' }).toEqual({ ...wa, dir: '', name: '' });
      const req = { query: 'sshd failed', offset: 3, limit: 20, order: 'asc' as const, from: null, to: null };
      const pa = await a.query(req);
      const pb = await b.query(req);
      expect(rowsWithoutIds(pb.rows)).toEqual(rowsWithoutIds(pa.rows));
      expect(pb.rows.every((r) => /^0:\d+$/.test(r.id))).toBe(true);
      for (const i of [0, 7]) {
        const ca = await a.context({ id: pa.rows[i].id, lines: 3, seconds: 5 });
        const cb = await b.context({ id: pb.rows[i].id, lines: 3, seconds: 5 });
        expect(rowsWithoutIds([cb.event])).toEqual(rowsWithoutIds([ca.event]));
        expect(rowsWithoutIds(cb.sameSource)).toEqual(rowsWithoutIds(ca.sameSource));
        expect(rowsWithoutIds(cb.around)).toEqual(rowsWithoutIds(ca.around));
      }
      await expect(b.context({ id: '0:99999999', lines: 1, seconds: 0 })).rejects.toThrow(/no event/);
    });

    it('traces an identifier the same way', async () => {
      const ta = await a.trace({ id: 'blk_-8775602795571523802' });
      const tb = await b.trace({ id: 'blk_-8775602795571523802' });
      expect(ta.events.length).toBeGreaterThan(1);
      expect({ ...tb, events: rowsWithoutIds(tb.events) }).toEqual({
        ...ta,
        events: rowsWithoutIds(ta.events),
      });
    });
  });

  it('answers `flumen query --json` and --sql from ClickHouse', async () => {
    const env = { FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD };
    for (const q of ['sev>=error', 'host:/^node-1/ OR app:sshd']) {
      const want = await runFlumen(['query', '--workspace', localDir, '--json', '--limit', '500', q]);
      const got = await runFlumen(['query', '--workspace', chDir, '--json', '--limit', '500', q], { env });
      expect(got.code, got.stderr).toBe(0);
      expect(got.stdout).toBe(want.stdout);
    }
    const sql = await runFlumen(
      [
        'query',
        '--workspace',
        chDir,
        '--sql',
        'SELECT severity, count() AS n FROM events GROUP BY severity ORDER BY severity',
      ],
      { env },
    );
    const local = await runFlumen([
      'query',
      '--workspace',
      localDir,
      '--sql',
      'SELECT severity, count(*) AS n FROM events GROUP BY severity ORDER BY severity',
    ]);
    expect(sql.code, sql.stderr).toBe(0);
    // SQLite sorts NULL first, ClickHouse last; the rows are the same.
    expect(sql.stdout.split('\n').sort()).toEqual(local.stdout.split('\n').sort());
    // Every column of the events view, row for row (ids aside: the local view numbers its rows afresh).
    const columns =
      'ts_ms, ts, host, source, line, offset, severity, severity_rank, message, raw, fields, template';
    const all = (dir: string, e: typeof env | undefined) =>
      runFlumen(['query', '--workspace', dir, '--json', '--sql', `SELECT ${columns} FROM events`], {
        env: e,
      });
    const [viewLocal, viewCh] = [await all(localDir, undefined), await all(chDir, env)];
    expect(viewCh.code, viewCh.stderr).toBe(0);
    const rows = (out: string) => out.trim().split('\n').sort();
    expect(rows(viewCh.stdout)).toEqual(rows(viewLocal.stdout));
    const write = await runFlumen(['query', '--workspace', chDir, '--sql', 'DROP TABLE events'], { env });
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/read-only/);
  });
});
