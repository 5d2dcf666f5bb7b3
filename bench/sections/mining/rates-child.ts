// Child process entry: `node bin/run-ts.mjs bench/sections/mining/rates-child.ts FILE REPEATS`.
// Parses FILE with the real parser batch by batch (untimed) and times, on this one thread, each per-event step the
// ingest runs beside parsing, over each batch just parsed: template mining alone (TemplateMiner.add, a fresh miner
// per pass), identifier extraction alone (addIdentifierFields into an empty field set) and the anomaly counts
// (AnalysisAccumulator.add). An untimed pass over the first WARM_UP lines comes first, so the figures are those of
// compiled code, as in a long ingest. Prints one JSON line (RatesReport). A child, so each file starts from a fresh
// heap and its peak memory is measured like every other figure.
import { readFileSync } from 'node:fs';
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { addIdentifierFields } from '../../../shared/analysis/identifiers.ts';
import type { FieldValue } from '../../../shared/event.ts';
import { severityRank } from '../../../shared/severity.ts';
import { TemplateMiner } from '../../../shared/templates/index.ts';
import { createSourceParser, type ParsedEvent } from '../../../electron/engine/parse/index.ts';

/** One timed pass over every message. */
export interface Pass {
  wallSeconds: number;
  /** CPU time of the process over the pass: on a busy machine the fairer "one core" figure. */
  cpuSeconds: number;
}

export interface RatesReport {
  /** Events the parser made of the file (the messages each pass goes over). */
  lines: number;
  mining: Pass[];
  identifiers: Pass[];
  accumulator: Pass[];
  /** Templates the miner found. */
  templates: number;
}

/** Events parsed from one batch of lines. */
interface Batch {
  messages: string[];
  ts: (number | null)[];
  hosts: (string | null)[];
  sev: (number | null)[];
}

/** Lines per batch: steps run over a batch just parsed, as in an ingest, so its messages are still in the cache. */
const BATCH_LINES = 8192;

/** Calls `each` with the events of every batch of lines of the file, parsed by the real parser. */
function forEachBatch(text: string, file: string, each: (batch: Batch) => void): void {
  const sample = text
    .slice(0, 64 * 1024)
    .split('\n')
    .slice(0, 50);
  const parser = createSourceParser(sample, { uri: file, mtimeMs: Date.now(), timezone: 'UTC' });
  let batch: Batch = { messages: [], ts: [], hosts: [], sev: [] };
  const take = (events: ParsedEvent[]): void => {
    for (const e of events) {
      batch.messages.push(e.message);
      batch.ts.push(e.ts);
      batch.hosts.push(e.host);
      batch.sev.push(e.severity == null ? null : severityRank(e.severity));
    }
  };
  let line = 0;
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    take(parser.push({ text: text.slice(at, end), offset: at, line: ++line }));
    at = end + 1;
    if (line % BATCH_LINES === 0) {
      each(batch);
      batch = { messages: [], ts: [], hosts: [], sev: [] };
    }
  }
  take(parser.flush());
  each(batch);
}

/** Adds the wall and CPU time of `run` to `pass`. */
function timed(pass: Pass, run: () => void): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  pass.wallSeconds += (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  pass.cpuSeconds += (c.user + c.system) / 1e6;
}

/** One pass over the file: a fresh miner and accumulator, each step timed over each batch. */
function runPass(text: string, file: string, maxLines: number): RatesReport {
  const report: RatesReport = { lines: 0, mining: [], identifiers: [], accumulator: [], templates: 0 };
  const mining: Pass = { wallSeconds: 0, cpuSeconds: 0 };
  const identifiers: Pass = { wallSeconds: 0, cpuSeconds: 0 };
  const accumulator: Pass = { wallSeconds: 0, cpuSeconds: 0 };
  const miner = new TemplateMiner();
  const acc = new AnalysisAccumulator();
  let ids = new Int32Array(BATCH_LINES);
  forEachBatch(text, file, (b) => {
    const n = b.messages.length;
    if (report.lines >= maxLines || n === 0) return;
    if (ids.length < n) ids = new Int32Array(n);
    timed(mining, () => {
      for (let i = 0; i < n; i++) ids[i] = miner.add(b.messages[i], b.ts[i]);
    });
    timed(identifiers, () => {
      for (let i = 0; i < n; i++) addIdentifierFields(b.messages[i], {} as Record<string, FieldValue>);
    });
    timed(accumulator, () => {
      for (let i = 0; i < n; i++) acc.add(ids[i], b.ts[i], b.hosts[i], b.sev[i]);
    });
    report.lines += n;
  });
  report.mining.push(mining);
  report.identifiers.push(identifiers);
  report.accumulator.push(accumulator);
  report.templates = miner.templates().length;
  return report;
}

const WARM_UP = 100_000;

function main(): RatesReport {
  const [file, repeatsArg] = process.argv.slice(2);
  const repeats = Math.max(1, Number(repeatsArg) || 3);
  const text = readFileSync(file, 'utf8');
  runPass(text, file, WARM_UP); // untimed: the figures are those of compiled code, as in a long ingest
  const report = runPass(text, file, Infinity);
  for (let r = 1; r < repeats; r++) {
    const again = runPass(text, file, Infinity);
    report.mining.push(...again.mining);
    report.identifiers.push(...again.identifiers);
    report.accumulator.push(...again.accumulator);
  }
  return report;
}

process.stdout.write(JSON.stringify(main()) + '\n');
