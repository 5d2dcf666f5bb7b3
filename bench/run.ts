// `npm run bench [-- --lines N | --10m] [--repeats N] [--timeout S] [--section NAME] [syslog|nginx|jsonl…]`
// Generates the inputs (or reuses them), runs each bench section and prints its tables, then a summary of the
// checks. A benchmark, not a test: a missed bar is reported, never fatal. A count MISMATCH is a correctness
// bug, so it makes the exit code 1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateAll, parseGenerateArgs } from './generate/generate-all.ts';
import type { DatasetName } from './generate/datasets.ts';
import { GNU_TIME_HINT, hasGnuTime, setDefaultTimeout } from './measure/process.ts';
import { hasProgram } from './measure/programs.ts';
import { renderChecks, renderTable } from './report/print.ts';
import { SECTIONS } from './sections/registry.ts';
import type { BenchContext, Check } from './sections/types.ts';

function parseRunArgs(argv: string[]): {
  repeats: number;
  sections: string[];
  timeoutS: number;
  rest: string[];
} {
  let repeats = 3;
  let timeoutS = 900;
  const sections: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeats') repeats = Math.max(1, Number(argv[++i]) || 3);
    else if (argv[i] === '--section') sections.push(argv[++i]);
    else if (argv[i] === '--timeout') timeoutS = Math.max(1, Number(argv[++i]) || 900);
    else rest.push(argv[i]);
  }
  return { repeats, sections, timeoutS, rest };
}

async function main(): Promise<number> {
  const run = parseRunArgs(process.argv.slice(2));
  const gen = parseGenerateArgs(run.rest);
  if (gen.rest.length) {
    process.stderr.write(
      `unknown arguments: ${gen.rest.join(' ')}\n` +
        'usage: npm run bench -- [--lines N | --10m] [--repeats N] [--timeout S] [--section NAME] [syslog|nginx|jsonl…]\n',
    );
    return 2;
  }
  setDefaultTimeout(run.timeoutS * 1000);
  const sections = run.sections.length ? SECTIONS.filter((s) => run.sections.includes(s.name)) : SECTIONS;
  if (sections.length === 0) {
    process.stderr.write(`no such section; sections: ${SECTIONS.map((s) => s.name).join(', ')}\n`);
    return 2;
  }

  const generated = await generateAll(gen);
  const files: BenchContext['files'] = {};
  for (const f of generated) files[f.dataset as DatasetName] = f;

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'flumen-bench-'));
  const ctx: BenchContext = {
    files,
    repeats: run.repeats,
    tmpDir,
    log: (m) => process.stderr.write(`  … ${m}\n`),
  };

  const out: string[] = [];
  out.push(
    `flumen bench: ${os.cpus().length} cores, node ${process.version}, ${run.repeats} repeats per timing`,
  );
  out.push(`peers: ${peerVersions()}`);
  if (!hasGnuTime()) out.push(`WARNING: ${GNU_TIME_HINT}`);
  process.stdout.write(out.join('\n') + '\n\n');

  const checks: Check[] = [];
  try {
    for (const section of sections) {
      process.stderr.write(`section ${section.name}: ${section.summary}\n`);
      const result = await section.run(ctx);
      for (const t of result.tables) process.stdout.write(renderTable(t) + '\n\n');
      checks.push(...result.checks);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }

  process.stdout.write('checks\n' + renderChecks(checks) + '\n');
  const mismatches = checks.filter((c) => c.kind === 'count' && c.ok === false);
  if (mismatches.length) {
    process.stdout.write(
      `\n*** ${mismatches.length} COUNT MISMATCH(ES): flumen disagrees with rg -c -w -i ***\n`,
    );
    return 1;
  }
  return 0;
}

function peerVersions(): string {
  const parts: string[] = [];
  for (const [name, flag] of [
    ['lnav', '-V'],
    ['rg', '--version'],
  ] as const) {
    parts.push(hasProgram(name) ? versionOf(name, flag) : `${name} not installed`);
  }
  return parts.join(', ');
}

function versionOf(name: string, flag: string): string {
  try {
    return execFileSync(name, [flag], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return `${name} (version unknown)`;
  }
}

process.exitCode = await main();
