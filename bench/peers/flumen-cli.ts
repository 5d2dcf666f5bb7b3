// Flumen through its command line (DESIGN.md): `flumen ingest --workspace DIR PATH` and
// `flumen query --workspace DIR --count 'QUERY'` (prints one integer), each a new process, as a user runs them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureReason, runMeasured, type Measured } from '../measure/process.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The flumen entry point; FLUMEN_BENCH_BIN points the bench at another build or checkout. */
export const FLUMEN_BIN = process.env.FLUMEN_BENCH_BIN || path.join(ROOT, 'bin', 'flumen.mjs');

export type Availability = { ok: true } | { ok: false; reason: string };

/** Whether `flumen` starts at all (it is built in parallel with the bench; early on it may not load). */
export async function flumenAvailable(): Promise<Availability> {
  const m = await runMeasured(process.execPath, [FLUMEN_BIN, 'help']);
  return m.code === 0 ? { ok: true } : { ok: false, reason: failureReason(m) };
}

export interface FlumenRun {
  measured: Measured;
  /** Set when the command failed: its one-line reason. */
  error: string | null;
}

/** `extraEnv` adds to the environment (e.g. FLUMEN_NO_MINING=1 to time an ingest without template mining). */
export async function flumenIngest(
  workspace: string,
  file: string,
  extraEnv?: Record<string, string>,
): Promise<FlumenRun> {
  const measured = await runMeasured(
    process.execPath,
    [FLUMEN_BIN, 'ingest', '--workspace', workspace, file],
    extraEnv ? { env: { ...process.env, ...extraEnv } } : {},
  );
  return { measured, error: measured.code === 0 ? null : failureReason(measured) };
}

export async function flumenCount(
  workspace: string,
  query: string,
): Promise<FlumenRun & { count: number | null }> {
  const measured = await runMeasured(process.execPath, [
    FLUMEN_BIN,
    'query',
    '--workspace',
    workspace,
    '--count',
    query,
  ]);
  const text = measured.stdout.trim();
  if (measured.code !== 0) return { measured, error: failureReason(measured), count: null };
  if (!/^\d+$/.test(text))
    return { measured, error: `--count printed "${text.slice(0, 60)}", not one integer`, count: null };
  return { measured, error: null, count: Number(text) };
}
