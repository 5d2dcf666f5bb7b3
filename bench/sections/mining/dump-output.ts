// Writes everything mining decides for a fixed set of inputs, so a change meant to be a pure speed-up can be checked
// to change nothing: per line the template id the miner returned and the event's fields after identifier extraction;
// per input the templates, the miner's and the anomaly accumulator's snapshots. Inputs: the 11 Loghub 2k logs
// (raw lines through the real parsers, plus the Content column of the original and corrected CSVs) and the first
// 200k lines of the generated syslog, nginx and jsonl files (through the real parsers).
// Run: node bin/run-ts.mjs bench/sections/mining/dump-output.ts OUT_DIR   then   diff -r OUT_BEFORE OUT_AFTER
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { addIdentifierFields } from '../../../shared/analysis/identifiers.ts';
import type { FieldValue } from '../../../shared/event.ts';
import { severityRank } from '../../../shared/severity.ts';
import { csvRecords, TemplateMiner } from '../../../shared/templates/index.ts';
import { createSourceParser, type ParsedEvent } from '../../../electron/engine/parse/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LOGHUB = path.resolve(ROOT, '..', 'shared', 'data', 'loghub');
const GENERATED_LINES = 200_000;

interface Input {
  message: string;
  ts: number | null;
  host: string | null;
  severity: number | null;
  fields: Record<string, FieldValue>;
}

function parsed(uri: string, lines: string[]): Input[] {
  const parser = createSourceParser(lines.slice(0, 50), {
    uri,
    mtimeMs: Date.UTC(2024, 5, 1),
    timezone: 'UTC',
  });
  const out: ParsedEvent[] = [];
  let offset = 0;
  lines.forEach((text, i) => {
    out.push(...parser.push({ text, offset, line: i + 1 }));
    offset += Buffer.byteLength(text) + 1;
  });
  out.push(...parser.flush());
  return out.map((p) => ({
    message: p.message,
    ts: p.ts,
    host: p.host,
    severity: p.severity == null ? null : severityRank(p.severity),
    fields: p.fields,
  }));
}

function contents(file: string): Input[] {
  return csvRecords(readFileSync(file, 'utf8')).map((r) => ({
    message: r.Content,
    ts: null,
    host: null,
    severity: null,
    fields: {},
  }));
}

function fileLines(file: string, max: number): string[] {
  const text = readFileSync(file, 'utf8');
  const lines: string[] = [];
  let at = 0;
  while (lines.length < max && at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    lines.push(text.slice(at, end));
    at = end + 1;
  }
  return lines;
}

function dump(name: string, inputs: Input[], outDir: string): string {
  const miner = new TemplateMiner();
  const acc = new AnalysisAccumulator();
  const perLine: string[] = [];
  for (const e of inputs) {
    const id = miner.add(e.message, e.ts);
    addIdentifierFields(e.message, e.fields);
    acc.add(id, e.ts, e.host, e.severity);
    perLine.push(`${id}\t${JSON.stringify(e.fields)}`);
  }
  acc.compact((id) => miner.resolve(id));
  const text =
    perLine.join('\n') +
    '\n--- templates\n' +
    JSON.stringify(miner.templates(), null, 1) +
    '\n--- miner\n' +
    JSON.stringify(miner.toJSON()) +
    '\n--- analysis\n' +
    JSON.stringify(acc.toJSON()) +
    '\n';
  writeFileSync(path.join(outDir, `${name}.txt`), text);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: dump-output.ts OUT_DIR\n');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const sets: Array<[string, () => Input[]]> = [];
for (const d of readdirSync(LOGHUB).sort()) {
  const raw = path.join(LOGHUB, d, `${d}_2k.log`);
  if (!existsSync(raw)) continue;
  sets.push([`${d}-raw`, () => parsed(raw, fileLines(raw, Infinity))]);
  sets.push([`${d}-content`, () => contents(path.join(LOGHUB, d, `${d}_2k.log_structured.csv`))]);
  const corr = path.join(LOGHUB, d, 'corrected', `${d}_2k.log_structured_corrected.csv`);
  if (existsSync(corr)) sets.push([`${d}-corrected`, () => contents(corr)]);
}
for (const f of ['syslog-1000000.log', 'nginx-1000000.log', 'jsonl-1000000.jsonl']) {
  const file = path.join(ROOT, 'bench', 'data', f);
  if (existsSync(file)) sets.push([f, () => parsed(file, fileLines(file, GENERATED_LINES))]);
  else process.stderr.write(`missing ${file}: generate it with bench/generate/cli.ts\n`);
}
for (const [name, load] of sets) {
  const inputs = load();
  process.stdout.write(
    `${name.padEnd(28)} ${String(inputs.length).padStart(7)} lines  ${dump(name, inputs, outDir)}\n`,
  );
}
