// Runs ./inprocess-query.ts as a measured child and reads its JSON report.
import path from 'node:path';
import { median, runMeasured, type Measured } from '../measure/process.ts';
import { ROOT } from './flumen-cli.ts';
import type { InProcessReport } from './inprocess-query.ts';

export interface InProcessRun {
  measured: Measured;
  error: string | null;
  count: number | null;
  /** Median of the repeated (warm) counts, seconds. */
  repeatSeconds: number | null;
}

export async function flumenInProcess(
  workspace: string,
  query: string,
  repeats: number,
): Promise<InProcessRun> {
  const measured = await runMeasured(process.execPath, [
    path.join(ROOT, 'bin', 'run-ts.mjs'),
    path.join(ROOT, 'bench', 'peers', 'inprocess-query.ts'),
    workspace,
    query,
    String(repeats),
  ]);
  let report: InProcessReport;
  try {
    report = JSON.parse(measured.stdout.trim().split('\n').pop() ?? '') as InProcessReport;
  } catch {
    const reason = measured.stderr.trim().split('\n')[0] || `exit code ${measured.code}`;
    return { measured, error: reason.slice(0, 160), count: null, repeatSeconds: null };
  }
  if (!report.ok || !report.repeatMs?.length) {
    return { measured, error: report.reason ?? 'no timings reported', count: null, repeatSeconds: null };
  }
  return {
    measured,
    error: null,
    count: report.count ?? null,
    repeatSeconds: median(report.repeatMs) / 1000,
  };
}
