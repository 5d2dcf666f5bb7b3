// Runs the real `flumen` command (bin/flumen.mjs) as a child process, as a user would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FLUMEN = path.join(REPO, 'bin', 'flumen.mjs');
export const LOGHUB = path.resolve(REPO, '..', 'shared', 'data', 'loghub');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A command of these tests finishes in seconds; one still running after this long is stuck, and its stacks are
 * printed (see watchStuck). Not a limit: the command goes on, and the test's own timeout decides.
 */
const STUCK_AFTER_MS = 45_000;

export function runFlumen(
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-report-'));
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reports}`, FLUMEN, ...args],
      { cwd: REPO, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const watch = watchStuck(child, args, reports, () => stderr);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      watch.stop();
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * A command that hangs in CI fails its test only by the test's timeout, which says nothing about where it hung.
 * So a stuck command is asked for Node's diagnostic report (SIGUSR2 with --report-on-signal: the JavaScript stack
 * of each thread and the handles keeping the process alive), and a summary goes to the test's stderr.
 */
function watchStuck(
  child: ReturnType<typeof spawn>,
  args: string[],
  reports: string,
  stderr: () => string,
): { stop: () => void } {
  let fired = false;
  let done = false;
  const cleanup = () => fs.rmSync(reports, { recursive: true, force: true });
  const print = (): void => {
    const lines = [`flumen ${args.join(' ')}: still running after ${STUCK_AFTER_MS / 1000} s`];
    for (const f of fs.readdirSync(reports)) {
      try {
        lines.push(...summarizeReport(JSON.parse(fs.readFileSync(path.join(reports, f), 'utf8'))));
      } catch (err) {
        lines.push(`(report ${f} unreadable: ${(err as Error).message})`);
      }
    }
    lines.push(`stderr so far: ${stderr().slice(-2000) || '(none)'}`);
    console.error(lines.join('\n'));
    cleanup();
  };
  const timer = setTimeout(() => {
    fired = true;
    child.kill('SIGUSR2');
    // The report is written by the stuck process itself: wait for it (a few seconds at most), then print.
    let polls = 0;
    const poll = setInterval(() => {
      const ready = fs.readdirSync(reports).some((f) => f.endsWith('.json'));
      if (ready || ++polls >= 25) {
        clearInterval(poll);
        setTimeout(print, ready ? 200 : 0).unref();
      }
    }, 200);
    poll.unref();
  }, STUCK_AFTER_MS);
  timer.unref();
  return {
    stop: () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!fired) cleanup();
    },
  };
}

interface NodeReport {
  javascriptStack?: { message?: string; stack?: string[] };
  libuv?: { type: string; is_active?: boolean; is_referenced?: boolean; filename?: string }[];
  workers?: NodeReport[];
}

function summarizeReport(r: NodeReport, who = 'main thread'): string[] {
  const out = [`${who}: ${r.javascriptStack?.message ?? '?'}`];
  for (const frame of (r.javascriptStack?.stack ?? []).slice(0, 15)) out.push(`    ${frame}`);
  const live = (r.libuv ?? []).filter((h) => h.is_active && h.is_referenced);
  if (live.length > 0)
    out.push(
      `  active handles: ${live.map((h) => h.type + (h.filename ? ` ${h.filename}` : '')).join(', ')}`,
    );
  (r.workers ?? []).forEach((w, i) => out.push(...summarizeReport(w, `worker ${i + 1}`)));
  return out;
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'flumen-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function countOf(workspace: string, query: string): Promise<number> {
  const r = await runFlumen(['query', '--workspace', workspace, '--count', query]);
  if (r.code !== 0) throw new Error(`flumen query --count ${query} failed (${r.code}): ${r.stderr}`);
  return Number(r.stdout.trim());
}
