// The figures of the ClickHouse section: `flumen ingest` into a local workspace and into a ClickHouse-backed one
// (new processes, as a user runs them), then the same queries timed on both stores inside this process (the
// store's own latency, without Node's start-up) and once from a new process.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LogEvent } from '../../../shared/event.ts';
import type { EventStore } from '../../../electron/engine/query/event-store.ts';
import { openEventStore } from '../../../electron/engine/service/open-store.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { failureReason, median, runMeasured } from '../../measure/process.ts';
import { FLUMEN_BIN } from '../../peers/flumen-cli.ts';
import type { BenchContext } from '../types.ts';
import { PASSWORD, type ClickHouseServer } from './server.ts';

/** What is timed on both stores: counts of the query language's kinds of term, pages and buckets. */
export const OPERATIONS: { label: string; query: string; kind: 'count' | 'page' | 'deep' | 'buckets' }[] = [
  { label: 'count: word (error)', query: 'error', kind: 'count' },
  { label: 'count: rare word (segfault)', query: 'segfault', kind: 'count' },
  { label: 'count: phrase "connection lost"', query: '"connection lost"', kind: 'count' },
  { label: 'count: /fail(ed|ure)/', query: '/fail(ed|ure)/', kind: 'count' },
  { label: 'count: host:web-01 error', query: 'host:web-01 error', kind: 'count' },
  { label: 'count: app:sshd -failed', query: 'app:sshd -failed', kind: 'count' },
  { label: 'count: all events', query: '', kind: 'count' },
  { label: 'first page (100 rows): error', query: 'error', kind: 'page' },
  { label: 'page at offset 900,000 (100 rows)', query: '', kind: 'deep' },
  { label: 'timeline: 200 buckets by severity', query: 'error OR warn', kind: 'buckets' },
];

export interface IngestFigure {
  seconds: number | null;
  events: number | null;
  error: string | null;
}

export interface OperationFigure {
  label: string;
  localMs: number | null;
  clickhouseMs: number | null;
  /** The answers agree (counts, the rows of a page, the buckets). */
  same: boolean | null;
  detail: string;
}

export interface ClickHouseFigures {
  version: string;
  ingest: { local: IngestFigure; clickhouse: IngestFigure };
  operations: OperationFigure[];
  /** `flumen query --count error` from a new process, seconds. */
  newProcess: { local: number | null; clickhouse: number | null };
}

async function ingest(workspace: string, file: string, store: string | null): Promise<IngestFigure> {
  mkdirSync(path.dirname(workspace), { recursive: true });
  const args = [FLUMEN_BIN, 'ingest', '--workspace', workspace, ...(store ? ['--store', store] : []), file];
  const m = await runMeasured(process.execPath, args, {
    env: { ...process.env, FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD },
  });
  if (m.code !== 0) return { seconds: null, events: null, error: failureReason(m) };
  const events = /ingested ([\d,]+) events/.exec(m.stdout)?.[1];
  return { seconds: m.seconds, events: events ? Number(events.replace(/,/g, '')) : null, error: null };
}

async function countFromNewProcess(workspace: string, repeats: number): Promise<number | null> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const m = await runMeasured(
      process.execPath,
      [FLUMEN_BIN, 'query', '--workspace', workspace, '--count', 'error'],
      {
        env: { ...process.env, FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD },
      },
    );
    if (m.code !== 0) return null;
    times.push(m.seconds);
  }
  return median(times);
}

interface Opened {
  ws: Workspace;
  store: EventStore;
}

async function open(dir: string): Promise<Opened> {
  const ws = await Workspace.open(dir);
  return { ws, store: await openEventStore(ws, ws.reader()) };
}

/** One operation's answer, in a form two stores' answers can be compared by. */
async function run(o: Opened, op: (typeof OPERATIONS)[number]): Promise<string> {
  const sources = o.ws.manifest().sources;
  const now = Date.parse('2030-01-01T00:00:00Z');
  const strip = (events: LogEvent[]) => JSON.stringify(events);
  switch (op.kind) {
    case 'count':
      return String(await o.store.count(sources, op.query, { now }));
    case 'page':
      return strip(await o.store.list(sources, op.query, { limit: 100, now }));
    case 'deep':
      return strip(await o.store.list(sources, op.query, { limit: 100, offset: 900_000, now }));
    case 'buckets': {
      const span = o.store.span();
      const bucketMs = Math.max(1, Math.ceil(((span.tsMax ?? 0) - (span.tsMin ?? 0) + 1) / 200));
      const b = await o.store.buckets(sources, op.query, { bucketMs, groupBy: 'severity', now });
      return JSON.stringify(b.buckets.map((x) => [x.start, Object.entries(x.counts).sort()]));
    }
  }
}

async function timeIt(
  o: Opened,
  op: (typeof OPERATIONS)[number],
  repeats: number,
): Promise<{ ms: number; answer: string }> {
  const answer = await run(o, op); // warm: caches, the server's marks and regex cache
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await run(o, op);
    times.push(performance.now() - t);
  }
  return { ms: median(times), answer };
}

export async function measureClickHouse(
  ctx: BenchContext,
  server: ClickHouseServer,
  file: string,
): Promise<ClickHouseFigures> {
  const version = (await server.query('SELECT version()')).trim();
  const localDir = path.join(ctx.tmpDir, 'clickhouse-section', 'local');
  const chDir = path.join(ctx.tmpDir, 'clickhouse-section', 'clickhouse');
  ctx.log('clickhouse: flumen ingest into a local workspace');
  const local = await ingest(localDir, file, null);
  ctx.log(`clickhouse: flumen ingest --store (ClickHouse ${version})`);
  const clickhouse = await ingest(chDir, file, server.storeUrl('bench'));
  const figures: ClickHouseFigures = {
    version,
    ingest: { local, clickhouse },
    operations: [],
    newProcess: { local: null, clickhouse: null },
  };
  if (local.error || clickhouse.error) return figures;

  process.env.FLUMEN_CLICKHOUSE_PASSWORD = PASSWORD;
  const a = await open(localDir);
  const b = await open(chDir);
  try {
    for (const op of OPERATIONS) {
      ctx.log(`clickhouse: ${op.label} ×${ctx.repeats} on each store`);
      const x = await timeIt(a, op, ctx.repeats);
      const y = await timeIt(b, op, ctx.repeats);
      const same = x.answer === y.answer;
      figures.operations.push({
        label: op.label,
        localMs: x.ms,
        clickhouseMs: y.ms,
        same,
        detail: op.kind === 'count' ? `${x.answer} / ${y.answer}` : same ? 'same rows' : 'rows differ',
      });
    }
  } finally {
    await a.ws.close();
    await b.ws.close();
    await a.store.close();
    await b.store.close();
  }
  ctx.log('clickhouse: flumen query --count error from a new process');
  figures.newProcess = {
    local: await countFromNewProcess(localDir, ctx.repeats),
    clickhouse: await countFromNewProcess(chDir, ctx.repeats),
  };
  return figures;
}
