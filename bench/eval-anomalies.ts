// Anomaly-detection evaluation on Loghub BGL 2k: the raw log goes through the real pipeline (ingest into a
// temporary workspace), every stored line is scored from the workspace model, and lines at or above the default
// threshold are compared with the CSV's Label column (`-` normal, anything else an alert). Beside it, the
// baseline "FATAL means alert". Run: npm run eval:anomalies [-- --data DIR] [--verbose].
// Exits 1 when Flumen's F1 does not beat the baseline's 0.58.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Confusion } from '../shared/analysis/evaluate.ts';
import { ANOMALY_THRESHOLD } from '../shared/analysis/score.ts';
import { BASELINE_F1, evaluateBgl } from '../electron/engine/analysis/label-eval.ts';

function row(name: string, c: Confusion): string {
  const f = (x: number) => x.toFixed(3);
  return `${name.padEnd(24)} ${f(c.precision)}     ${f(c.recall)}  ${f(c.f1)}   ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)}`;
}

async function main(): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const i = process.argv.indexOf('--data');
  const dataDir = path.resolve(
    i >= 0 ? process.argv[i + 1] : path.join(here, '..', '..', 'shared', 'data', 'loghub'),
  );
  const r = await evaluateBgl(dataDir);
  if (process.argv.includes('--verbose')) {
    for (const s of r.scores) {
      const l = r.labels.get(s.line);
      process.stdout.write(
        `${s.line}\t${l?.alert ? 'ALERT' : '-'}\t${l?.level}\t${s.score.toFixed(3)}\tT${s.template}\t${s.signals}\n`,
      );
    }
  }
  process.stdout.write(
    `BGL 2k: ${r.lines} lines, ${r.flumen.tp + r.flumen.fn} labelled alerts; threshold score >= ${ANOMALY_THRESHOLD}\n`,
  );
  process.stdout.write(`${''.padEnd(24)} precision recall F1        tp   fp   fn\n`);
  process.stdout.write(row('Flumen', r.flumen) + '\n');
  process.stdout.write(row('baseline: FATAL = alert', r.baseline) + '\n');
  const ok = r.flumen.f1 > BASELINE_F1;
  process.stdout.write(
    ok
      ? `Flumen beats the baseline's F1 of ${BASELINE_F1}\n`
      : `FAIL: Flumen's F1 is not above ${BASELINE_F1}\n`,
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`eval-anomalies: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
