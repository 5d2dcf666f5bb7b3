// Child process entry: `node bin/run-ts.mjs bench/sections/mining/rates-child.ts FILE REPEATS`.
// Parses FILE with the real parsers first (untimed), then times, on this one thread, each per-event step the ingest
// sink runs beside parsing: template mining alone (TemplateMiner.add over every message, a fresh miner per repeat),
// identifier extraction alone (addIdentifierFields) and the anomaly counts (AnalysisAccumulator.add). Prints one
// JSON line (RatesReport). A child, so each file starts from a fresh heap and compiler state.
import { readFileSync } from 'node:fs';
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { addIdentifierFields } from '../../../shared/analysis/identifiers.ts';
import type { FieldValue } from '../../../shared/event.ts';
import { severityRank } from '../../../shared/severity.ts';
import { TemplateMiner } from '../../../shared/templates/index.ts';
import { createSourceParser } from '../../../electron/engine/parse/index.ts';

export interface RatesReport {
  lines: number;
  /** Seconds per pass over every message, one entry per repeat. */
  mining: number[];
  identifiers: number[];
  accumulator: number[];
  templates: number;
  /** CPU seconds / wall seconds over the timed passes: near 1 when the thread had a core to itself. */
  cpuShare: number;
}

function parseFile(file: string): { messages: string[]; ts: (number | null)[]; hosts: (string | null)[]; sev: (number | null)[] } {
  const text = readFileSync(file, 'utf8');
  const messages: string[] = [];
  const ts: (number | null)[] = [];
  const hosts: (string | null)[] = [];
  const sev: (number | null)[] = [];
  let at = 0;
  let line = 0;
  const firstLines = text.slice(0, 64 * 1024).split('\n').slice(0, 50);
  const parser = createSourceParser(firstLines, { uri: file, mtimeMs: Date.now(), timezone: 'UTC' });
  const take = (events: ReturnType<typeof parser.push>): void => {
    for (const e of events) {
      messages.push(e.message);
      ts.push(e.ts);
      hosts.push(e.host);
      sev.push(e.severity == null ? null : severityRank(e.severity));
    }
  };
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    take(parser.push({ text: text.slice(at, end), offset: at, line: ++line }));
    at = end + 1;
  }
  take(parser.flush());
  return { messages, ts, hosts, sev };
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function main(): RatesReport {
  const [file, repeatsArg] = process.argv.slice(2);
  const repeats = Math.max(1, Number(repeatsArg) || 3);
  const { messages, ts, hosts, sev } = parseFile(file);
  const n = messages.length;
  const mining: number[] = [];
  const identifiers: number[] = [];
  const accumulator: number[] = [];
  const ids = new Int32Array(n);
  let templates = 0;
  let wall = 0;
  const c0 = cpuSeconds();
  for (let r = 0; r < repeats; r++) {
    const miner = new TemplateMiner();
    let t = performance.now();
    for (let i = 0; i < n; i++) ids[i] = miner.add(messages[i], ts[i]);
    mining.push((performance.now() - t) / 1000);
    templates = miner.templates().length;

    t = performance.now();
    for (let i = 0; i < n; i++) addIdentifierFields(messages[i], {} as Record<string, FieldValue>);
    identifiers.push((performance.now() - t) / 1000);

    const acc = new AnalysisAccumulator();
    t = performance.now();
    for (let i = 0; i < n; i++) acc.add(ids[i], ts[i], hosts[i], sev[i]);
    accumulator.push((performance.now() - t) / 1000);
    wall += mining[r] + identifiers[r] + accumulator[r];
  }
  return { lines: n, mining, identifiers, accumulator, templates, cpuShare: (cpuSeconds() - c0) / wall };
}

process.stdout.write(JSON.stringify(main()) + '\n');
