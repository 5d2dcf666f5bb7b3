// Clock offsets and `anomaly` terms on a ClickHouse store answer exactly as on the local store: the same Loghub
// files ingested into a local workspace and a ClickHouse-backed one (a real clickhouse-server), one source's clock
// moved onto another's time range and a second one's by 90 s; then counts, pages (both directions, deep offsets),
// timeline buckets, context and the CLI compared, for time windows and for anomaly thresholds alone and combined
// with words, severities, hosts, times and NOT.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../shared/api.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { anomalyScorer } from '../../../electron/engine/analysis/anomaly-report.ts';
import { templateMembers } from '../../../electron/engine/analysis/template-store.ts';
import type { EventStore } from '../../../electron/engine/query/event-store.ts';
import type { AnomalyScorer } from '../../../electron/engine/query/anomaly-filter.ts';
import { anomalyConditions } from '../../../electron/engine/query/clickhouse/anomaly.ts';
import { correctedTime } from '../../../electron/engine/query/clickhouse/corrected-time.ts';
import { queryAst } from '../../../electron/engine/query/plan.ts';
import type { ClickHouseEventStore } from '../../../electron/engine/service/clickhouse-store.ts';
import { EVENTS_TABLE, q } from '../../../electron/engine/store/clickhouse/schema.ts';
import type { AnomalyNode } from '../../../shared/query/index.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { openEventStore } from '../../../electron/engine/service/open-store.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { LOGHUB, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer, PASSWORD } from '../../../bench/sections/clickhouse/server.ts';

const DATASETS = ['Linux', 'OpenSSH', 'Zookeeper'];
const FILES = DATASETS.map((d) => path.join(LOGHUB, d, `${d}_2k.log`));
const env = { FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD };
const HOUR = 3_600_000;

interface Side {
  ws: Workspace;
  store: EventStore;
  dir: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('clock offsets and anomaly terms on ClickHouse', () => {
  const tmp = tempDir('flumen-ch-offsets-');
  const localDir = path.join(tmp.dir, 'local');
  const chDir = path.join(tmp.dir, 'clickhouse');
  let server: ClickHouseServer;
  let local: Side;
  let ch: Side;
  /** Where the Linux source starts: the moved OpenSSH source starts 3 h later. */
  let linuxStart = 0;
  const now = Date.parse('2026-06-01T00:00:00Z');

  const sourceOf = (ws: Workspace, name: string): SourceInfo =>
    ws.manifest().sources.find((s) => s.uri.endsWith(`${name}_2k.log`)) as SourceInfo;

  beforeAll(async () => {
    process.env.FLUMEN_CLICKHOUSE_PASSWORD = PASSWORD;
    server = await ClickHouseServer.start();
    const a = await runFlumen(['ingest', '--workspace', localDir, ...FILES]);
    expect(a.code, a.stderr).toBe(0);
    const b = await runFlumen(
      ['ingest', '--workspace', chDir, '--store', server.storeUrl('offsets'), ...FILES],
      {
        env,
      },
    );
    expect(b.code, b.stderr).toBe(0);
    const open = async (dir: string): Promise<Side> => {
      const ws = await Workspace.open(dir);
      return { ws, store: await openEventStore(ws, ws.reader()), dir };
    };
    local = await open(localDir);
    ch = await open(chDir);
    // OpenSSH's clock said December 2015 where Linux's said June: moved to 3 h into Linux's span, its events
    // interleave with Linux's. Zookeeper's ran 90 s slow.
    const linux = sourceOf(local.ws, 'Linux');
    const ssh = sourceOf(local.ws, 'OpenSSH');
    linuxStart = linux.tsMin as number;
    const sshOffset = (ssh.tsMin as number) - (linuxStart + 3 * HOUR);
    for (const side of [local, ch]) {
      await side.ws.setClockOffset(sourceOf(side.ws, 'OpenSSH').id, sshOffset);
      await side.ws.setClockOffset(sourceOf(side.ws, 'Zookeeper').id, -90_000);
    }
  });

  afterAll(async () => {
    for (const s of [local, ch]) {
      await s?.ws.close();
      await s?.store.close();
    }
    await server?.stop();
    tmp.cleanup();
  });

  /** Everything a view asks of the store for one query, on one side. */
  async function answers(side: Side, query: string) {
    const sources = side.ws.manifest().sources;
    const opts = { now, templateMembers: templateMembers(side.dir), anomalyScorer: anomalyScorer(side.dir) };
    const list = (limit: number, offset: number, order: 'asc' | 'desc') =>
      side.store.list(sources, query, { ...opts, limit, offset, order });
    return {
      count: await side.store.count(sources, query, opts),
      first: await list(120, 0, 'asc'),
      deep: await list(50, 700, 'asc'),
      desc: await list(70, 5, 'desc'),
      bySource: await side.store.buckets(sources, query, {
        ...opts,
        bucketMs: 600_000,
        groupBy: 'source',
        from: linuxStart,
        to: linuxStart + 12 * HOUR,
      }),
      byHost: await side.store.buckets(sources, query, { ...opts, bucketMs: 86_400_000, groupBy: 'host' }),
      bySeverity: await side.store.buckets(sources, query, {
        ...opts,
        bucketMs: 3 * HOUR,
        groupBy: 'severity',
        from: Date.parse('2015-07-29T00:00:00Z'),
        to: Date.parse('2015-08-02T00:00:00Z'),
      }),
    };
  }

  async function expectSame(query: string): Promise<number> {
    const want = await answers(local, query);
    const got = await answers(ch, query);
    expect(got.count, query).toBe(want.count);
    expect(got.first, query).toEqual(want.first);
    expect(got.deep, query).toEqual(want.deep);
    expect(got.desc, query).toEqual(want.desc);
    expect(got.bySource, query).toEqual(want.bySource);
    expect(got.byHost, query).toEqual(want.byHost);
    expect(got.bySeverity, query).toEqual(want.bySeverity);
    return want.count;
  }

  it('reads every time as its source clock corrects it: span, bounds, order and buckets', async () => {
    expect(ch.store.span()).toEqual(local.store.span());
    const window = (from: number, to: number) => `from:${iso(from)} to:${iso(to)}`;
    const queries = [
      '',
      'sshd',
      'error OR failed',
      `${window(linuxStart + 3 * HOUR, linuxStart + 4 * HOUR)}`,
      `${window(linuxStart + 2 * HOUR, linuxStart + 30 * HOUR)} sshd`,
      `NOT ${window(linuxStart + 3 * HOUR, linuxStart + 3.5 * HOUR)}`,
      'from:2015-07-29T19:00:00Z to:2015-07-29T21:00:00Z',
      '-from:2015-07-29T19:04:00Z',
    ];
    const counts: number[] = [];
    for (const q of queries) counts.push(await expectSame(q));
    // The moved source really lands in the window (a window of stored time would hold Linux's events only).
    const linuxOnly = await local.store.count(
      local.ws.manifest().sources,
      `${window(linuxStart + 3 * HOUR, linuxStart + 4 * HOUR)} source:*Linux*`,
      { now },
    );
    expect(counts[3]).toBeGreaterThan(linuxOnly);
  });

  it('filters on anomaly scores as the local store does, alone and combined', async () => {
    const queries = [
      'anomaly>=0.5',
      'anomaly>0.3',
      'anomaly>=0.2',
      'anomaly>=0.1',
      'anomaly<0.2',
      'anomaly<=0.6',
      'anomaly=0',
      'anomaly>=0.3 anomaly<0.7',
      'anomaly>=0.1 sshd',
      'anomaly>=0.2 sev>=warn',
      'anomaly<0.5 host:combo',
      'anomaly>=0.3 -host:LabSZ',
      'NOT anomaly>=0.2 error',
      '-(anomaly>0.1) session',
      'anomaly>=0.3 OR failed',
      `anomaly>=0.1 from:${iso(linuxStart + 2 * HOUR)} to:${iso(linuxStart + 40 * HOUR)}`,
    ];
    const counts = new Map<string, number>();
    for (const q of queries) counts.set(q, await expectSame(q));
    // The thresholds split the events, rather than passing all or none.
    const total = await local.store.count(local.ws.manifest().sources, '', { now });
    for (const q of ['anomaly>=0.5', 'anomaly>=0.2', 'anomaly>=0.1', 'anomaly<0.2', 'anomaly>=0.1 sshd']) {
      expect(counts.get(q), q).toBeGreaterThan(0);
      expect(counts.get(q), q).toBeLessThan(total);
    }
  });

  it('scores with any scorer: no ceilings, no bucket width, thousands of groups in one statement', async () => {
    // Every stored time its own group, half of them passing: a statement of some 100 kB of group keys.
    const scorer: AnomalyScorer = (template, ts, host, sev) =>
      ts == null
        ? 0.25
        : (Math.floor(ts / 1000) + (template ?? 0) + (host?.length ?? 0) + (sev ?? 0)) % 2
          ? 0.9
          : 0.1;
    for (const query of ['anomaly>=0.5', 'anomaly<0.5 sshd', 'NOT anomaly>0.2 OR error']) {
      const ask = async (side: Side) => {
        const sources = side.ws.manifest().sources;
        const opts = { now, anomalyScorer: scorer };
        return {
          count: await side.store.count(sources, query, opts),
          page: await side.store.list(sources, query, { ...opts, limit: 100, offset: 900 }),
        };
      };
      const want = await ask(local);
      expect(await ask(ch), query).toEqual(want);
      expect(want.count, query).toBeGreaterThan(500);
    }
  });

  it('says so in one line when the scored groups would make too big a query', async () => {
    const client = (ch.store as ClickHouseEventStore).client;
    const ctx = {
      sources: ch.ws.manifest().sources,
      time: correctedTime(ch.ws.manifest().sources),
      scorer: anomalyScorer(chDir),
      table: q(client.target.database, EVENTS_TABLE),
      committed: '1',
      rows: <T>(sql: string) => client.rows<T>(sql),
    };
    const ast = queryAst('anomaly>=0.1 OR anomaly<0.05', now);
    await expect(anomalyConditions(ast, { ...ctx, maxListed: 10 })).rejects.toThrow(
      /^anomaly terms on ClickHouse send at most 10 scored \(template, time bucket, host, severity\) groups per query, and this one needs \d+\+: narrow it/,
    );
    await expect(anomalyConditions(ast, { ...ctx, maxScored: 10 })).rejects.toThrow(
      /^anomaly terms on ClickHouse score at most 10 .*groups per query/,
    );
    // Within the limits the same tree resolves (one condition per term).
    const resolve = await anomalyConditions(ast, ctx);
    expect(resolve((ast as { children: AnomalyNode[] }).children[0])).toMatch(/^\(/);
  });

  it('refuses an anomaly query without a model scorer', async () => {
    await expect(ch.store.count(ch.ws.manifest().sources, 'anomaly>=0.5', { now })).rejects.toThrow(
      /anomaly model/,
    );
  });

  describe('through the engine service and the CLI', () => {
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

    const withoutIds = (rows: EventRow[]) => rows.map(({ id: _id, ...rest }) => rest);

    it('pages anomalous events and opens their context around the corrected time', async () => {
      const req = {
        query: 'anomaly>=0.1',
        offset: 2,
        limit: 40,
        order: 'asc' as const,
        from: linuxStart + 2 * HOUR,
        to: linuxStart + 2000 * HOUR,
      };
      const pa = await a.query(req);
      const pb = await b.query(req);
      expect(withoutIds(pb.rows)).toEqual(withoutIds(pa.rows));
      expect(pa.rows.length).toBeGreaterThan(5);
      for (const i of [0, 3, pa.rows.length - 1]) {
        const ca = await a.context({ id: pa.rows[i].id, lines: 2, seconds: 600 });
        const cb = await b.context({ id: pb.rows[i].id, lines: 2, seconds: 600 });
        expect(withoutIds([cb.event])).toEqual(withoutIds([ca.event]));
        expect(withoutIds(cb.sameSource)).toEqual(withoutIds(ca.sameSource));
        expect(withoutIds(cb.around)).toEqual(withoutIds(ca.around));
      }
    });

    it('sets a clock offset on a ClickHouse workspace, and counts anomaly terms from the CLI', async () => {
      const set = await b.setClockOffset({ sourceId: sourceOf(ch.ws, 'Linux').id, offsetMs: 0 });
      expect(set.clockOffsetMs ?? 0).toBe(0);
      const cli = await runFlumen(
        ['sources', '--workspace', chDir, '--clock-offset', 'Zookeeper_2k.log=-90s'],
        {
          env,
        },
      );
      expect(cli.code, cli.stderr).toBe(0);
      for (const q of ['sshd anomaly>=0.5', 'anomaly<0.3 -sev:info']) {
        const want = await runFlumen(['query', '--workspace', localDir, '--count', q]);
        const got = await runFlumen(['query', '--workspace', chDir, '--count', q], { env });
        expect(got.code, got.stderr).toBe(0);
        expect(got.stdout).toBe(want.stdout);
      }
    });
  });
});
