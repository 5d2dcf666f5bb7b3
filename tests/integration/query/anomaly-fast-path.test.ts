// `anomaly OP x` on its fast path (query/anomaly-filter.ts: signals memoised by the parts of the event they depend
// on, and rows rejected on their template's score ceiling without being scored) answers exactly what scoring
// every stored row with the plain scoreEvent answers, on real logs ingested through the real CLI: the Loghub
// samples together (one model over a span of years), BGL alone (error bursts, many hosts, fine buckets) and a
// generated syslog (12 hosts, minute buckets).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syslogLines } from '../../../bench/generate/syslog.ts';
import type { AnalysisModel } from '../../../shared/analysis/model.ts';
import { scoreEvent } from '../../../shared/analysis/score.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { severityFromRank } from '../../../shared/severity.ts';
import { loadModel } from '../../../electron/engine/analysis/analysis-store.ts';
import { anomalyScorer } from '../../../electron/engine/analysis/anomaly-report.ts';
import { modelScorer } from '../../../electron/engine/analysis/model-scorer.ts';
import type { AnomalyScorer } from '../../../electron/engine/query/anomaly-filter.ts';
import { allRows, withDb } from '../../../electron/engine/query/db.ts';
import { bucketCounts, countEvents, queryEvents } from '../../../electron/engine/query/index.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { LOGHUB, runFlumen, tempDir } from '../../helpers/cli.ts';

interface StoredRow {
  template: number | null;
  ts: number | null;
  host: string | null;
  sev: number | null;
  /** The plain score: scoreEvent straight from the model, nothing memoised. */
  score: number;
}

type Op = '=' | '>' | '>=' | '<' | '<=';
const holds = (score: number, op: Op, x: number): boolean =>
  op === '='
    ? score === x
    : op === '>'
      ? score > x
      : op === '>='
        ? score >= x
        : op === '<'
          ? score < x
          : score <= x;

const tmp = tempDir('flumen-anomaly-fast-');
afterAll(() => tmp.cleanup());

function generatedSyslog(lines: number): string {
  const file = path.join(tmp.dir, `syslog-${lines}.log`);
  const next = syslogLines(7);
  fs.writeFileSync(file, Array.from({ length: lines }, next).join('\n') + '\n');
  return file;
}

const WORKSPACES: [string, () => string[]][] = [
  [
    'the Loghub samples together',
    () =>
      fs
        .readdirSync(LOGHUB)
        .filter((d) => fs.existsSync(path.join(LOGHUB, d, `${d}_2k.log`)))
        .map((d) => path.join(LOGHUB, d, `${d}_2k.log`)),
  ],
  ['BGL alone', () => [path.join(LOGHUB, 'BGL', 'BGL_2k.log')]],
  ['a generated syslog', () => [generatedSyslog(30_000)]],
];

describe.each(WORKSPACES)('anomaly filters on %s', (name, inputs) => {
  const dir = path.join(tmp.dir, name.replace(/\W+/g, '-'));
  let ws: Workspace;
  let sources: SourceInfo[];
  let model: AnalysisModel;
  let rows: StoredRow[];
  /** The row-by-row scorer: every row scored by scoreEvent, no memo, no ceiling (what the filter did before). */
  let plain: AnomalyScorer;
  /** The most common host, and the distinct scores seen (thresholds that land exactly on real scores). */
  let host: string;
  let scores: number[];

  beforeAll(async () => {
    const r = await runFlumen(['ingest', '--workspace', dir, ...inputs()]);
    expect(r.code, r.stderr).toBe(0);
    ws = await Workspace.open(dir, { create: false });
    sources = ws.sources();
    model = loadModel(dir);
    plain = (template, ts, h, sev) =>
      scoreEvent(model, { template, ts, host: h, severity: severityFromRank(sev) });
    rows = [];
    const reader = ws.reader();
    for (const meta of reader.segments()) {
      await withDb(reader, meta, (db) => {
        for (const [template, ts, h, sev] of allRows(db, 'SELECT template, ts, host, sev FROM ev', [])) {
          const row = { template, ts, host: h, sev } as Omit<StoredRow, 'score'>;
          rows.push({ ...row, score: plain(row.template, row.ts, row.host, row.sev) });
        }
      });
    }
    const hosts = new Map<string, number>();
    for (const row of rows) if (row.host) hosts.set(row.host, (hosts.get(row.host) ?? 0) + 1);
    host = [...hosts].sort((a, b) => b[1] - a[1])[0][0];
    scores = [...new Set(rows.map((row) => row.score))].sort((a, b) => a - b);
  }, 120_000);
  afterAll(() => ws?.close());

  const fast = (): AnomalyScorer => anomalyScorer(dir);

  it('gives every stored row exactly its plain score, and no row scores above its ceiling', () => {
    const scorer = modelScorer(model);
    let mismatches = 0;
    let above = 0;
    for (const row of rows) {
      if (scorer(row.template, row.ts, row.host, row.sev) !== row.score) mismatches++;
      if (row.score > scorer.ceiling!(row.template, row.sev)) above++;
    }
    expect(rows.length).toBeGreaterThan(1000);
    expect({ mismatches, above }).toEqual({ mismatches: 0, above: 0 });
    // The data is worth testing on: scores spread over several values.
    expect(scores.length).toBeGreaterThan(5);
  });

  it('counts `anomaly OP x` as scoring every row does, for thresholds between and on real scores', async () => {
    const onScores = [scores[1], scores[Math.floor(scores.length / 2)], scores[scores.length - 1]];
    const thresholds = [...new Set([0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1, ...onScores])];
    const got: string[] = [];
    const want: string[] = [];
    for (const x of thresholds) {
      // One scorer per threshold: its memo and ceilings carry from one comparison to the next, as in a session.
      const anomalyScorer = fast();
      for (const op of ['>=', '>', '<', '<=', '='] as const) {
        const q = op === '=' ? `anomaly:${x}` : `anomaly${op}${x}`;
        got.push(`${q} ${await countEvents(ws.reader(), sources, q, { anomalyScorer })}`);
        want.push(`${q} ${rows.filter((row) => holds(row.score, op, x)).length}`);
      }
      const q = `-anomaly>=${x}`;
      got.push(`${q} ${await countEvents(ws.reader(), sources, q, { anomalyScorer })}`);
      want.push(`${q} ${rows.filter((row) => !(row.score >= x)).length}`);
    }
    expect(got).toEqual(want);
    // Some threshold splits the rows (the comparison is not vacuous).
    const at = (x: number) => rows.filter((row) => row.score >= x).length;
    expect(thresholds.some((x) => at(x) > 0 && at(x) < rows.length)).toBe(true);
  });

  it('counts combinations with severity and host as the rows say', async () => {
    const cases: [string, (row: StoredRow) => boolean][] = [
      ['sev>=warn anomaly>=0.3', (row) => (row.sev ?? -1) >= 4 && row.score >= 0.3],
      ['sev<warn anomaly>0.1', (row) => row.sev != null && row.sev < 4 && row.score > 0.1],
      [
        `host:${host} anomaly>=0.2`,
        (row) => row.host?.toLowerCase() === host.toLowerCase() && row.score >= 0.2,
      ],
      [
        `-host:${host} anomaly<0.5`,
        (row) => row.host?.toLowerCase() !== host.toLowerCase() && row.score < 0.5,
      ],
      ['anomaly>=0.7 OR sev>=error', (row) => row.score >= 0.7 || (row.sev ?? -1) >= 5],
    ];
    for (const [q, pred] of cases) {
      expect(await countEvents(ws.reader(), sources, q, { anomalyScorer: fast() }), q).toBe(
        rows.filter(pred).length,
      );
    }
  });

  it('counts, lists and buckets combinations with words as the row-by-row scorer does', async () => {
    const queries = [
      'error anomaly>=0.3',
      'failed anomaly>0.1',
      'session OR kernel anomaly>=0.2',
      'instruction* -anomaly>=0.5',
      `"${host}" anomaly>=0.1`,
      '/fail(ed|ure)/ anomaly<0.4',
    ];
    let nonEmpty = 0;
    for (const q of queries) {
      const got = await countEvents(ws.reader(), sources, q, { anomalyScorer: fast() });
      expect(got, q).toBe(await countEvents(ws.reader(), sources, q, { anomalyScorer: plain }));
      if (got > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(0);

    const brief = (e: { ts: number | null; sourceId: number; line: number | null }) =>
      `${e.ts}|${e.sourceId}|${e.line}`;
    for (const q of ['anomaly>=0.3', `sev>=info anomaly>0.1`]) {
      for (const offset of [0, 40]) {
        const page = (anomalyScorer: AnomalyScorer) =>
          queryEvents(ws.reader(), sources, q, { limit: 30, offset, anomalyScorer });
        expect((await page(fast())).map(brief), `${q} @${offset}`).toEqual((await page(plain)).map(brief));
      }
      const buckets = (anomalyScorer: AnomalyScorer) =>
        bucketCounts(ws.reader(), sources, q, { bucketMs: 3_600_000, groupBy: 'severity', anomalyScorer });
      expect(await buckets(fast()), q).toEqual(await buckets(plain));
    }
  });
});
