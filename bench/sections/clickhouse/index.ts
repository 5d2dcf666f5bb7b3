// The ClickHouse section (issue 6): ingest rate and query latency with the events in ClickHouse (a real
// clickhouse-server started here on 127.0.0.1, data in the run's scratch folder) beside the local store, on the
// syslog input, with checks that both stores give the same answers.
import { hasProgram } from '../../measure/programs.ts';
import type { BenchSection, Check, Table } from '../types.ts';
import { measureClickHouse, type IngestFigure } from './measure.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer } from './server.ts';

function rate(f: IngestFigure): string {
  if (f.error || f.seconds == null || f.events == null) return f.error ?? 'n/a';
  return `${Math.round(f.events / f.seconds).toLocaleString('en')} events/s`;
}

function ms(x: number | null): string {
  return x == null ? 'n/a' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en');
}

function ratio(a: number | null, b: number | null): string {
  return a == null || b == null || a === 0 ? 'n/a' : `${(b / a).toFixed(2)}×`;
}

export const clickhouseSection: BenchSection = {
  name: 'clickhouse',
  summary: 'ingest rate and query latency with the events in ClickHouse, beside the local store (syslog)',
  async run(ctx) {
    const file = ctx.files.syslog;
    if (!file)
      return {
        tables: [],
        checks: [{ kind: 'bar', label: 'clickhouse', ok: null, detail: 'needs the syslog input' }],
      };
    if (!hasProgram(CLICKHOUSE_PROGRAM)) {
      return {
        tables: [],
        checks: [
          {
            kind: 'bar',
            label: 'clickhouse',
            ok: null,
            detail:
              'n/a (clickhouse-server not installed: apt-get install clickhouse-server clickhouse-client)',
          },
        ],
      };
    }
    const server = await ClickHouseServer.start();
    let figures;
    try {
      figures = await measureClickHouse(ctx, server, file.path);
    } finally {
      await server.stop();
    }
    const { local, clickhouse } = figures.ingest;
    const ingestTable: Table = {
      title: `ingest into the store (${file.lines.toLocaleString('en')} syslog lines)`,
      header: ['store', 'seconds', 'rate', 'vs local'],
      rows: [
        ['local segments', local.seconds?.toFixed(2) ?? 'n/a', rate(local), '1.00×'],
        [
          `ClickHouse ${figures.version}`,
          clickhouse.seconds?.toFixed(2) ?? 'n/a',
          rate(clickhouse),
          ratio(clickhouse.seconds, local.seconds),
        ],
      ],
      notes: [
        '`flumen ingest` from a new process, once per store; "vs local" is local time / ClickHouse time (above 1: faster).',
        'ClickHouse runs on the same 2 cores, fed over HTTP (JSONEachRow, 20k-row batches, 2 in flight).',
      ],
    };
    const queryTable: Table = {
      title: 'query latency, in process (median ms)',
      header: ['operation', 'local', 'ClickHouse', 'ClickHouse / local', 'answers'],
      rows: figures.operations.map((o) => [
        o.label,
        ms(o.localMs),
        ms(o.clickhouseMs),
        ratio(o.localMs, o.clickhouseMs),
        o.detail,
      ]),
      notes: [
        `Each median of ${ctx.repeats} runs after one warm-up, both stores opened in this process.`,
        `From a new process, \`flumen query --count error\`: local ${figures.newProcess.local?.toFixed(2) ?? 'n/a'} s, ` +
          `ClickHouse ${figures.newProcess.clickhouse?.toFixed(2) ?? 'n/a'} s.`,
      ],
    };
    const checks: Check[] = [
      {
        kind: 'count',
        label: 'clickhouse: every event stored',
        ok: clickhouse.events != null && clickhouse.events === local.events,
        detail: `${clickhouse.events ?? clickhouse.error} of ${local.events ?? local.error}`,
      },
      ...figures.operations.map((o) => ({
        kind: 'count' as const,
        label: `clickhouse: ${o.label}`,
        ok: o.same,
        detail: o.detail,
      })),
    ];
    return { tables: [ingestTable, queryTable], checks };
  },
};
