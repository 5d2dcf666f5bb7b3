// Runs one child process and measures its wall time and peak resident memory.
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`, Debian package `time`), which reads the kernel's rusage
// for the child after it exits: exact, and it includes worker threads. Without GNU time we poll the child's
// /proc/<pid>/status VmHWM (the kernel's own high-water mark) every 10 ms: the last sample before exit can be
// missed, so those figures are marked "polled" and may read low.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measured {
  /** Wall time, measured here with a monotonic clock around spawn → exit. */
  seconds: number;
  /** Peak resident set size in KiB, or null when it could not be read. */
  peakRssKb: number | null;
  /** How peakRssKb was obtained. */
  rssMethod: 'gnu-time' | 'polled' | 'none';
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the command was killed for running past its time limit. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command (its whole process group) after this long; default: no limit. */
  timeoutMs?: number;
}

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** A hint for the report when GNU time is missing. */
export const GNU_TIME_HINT =
  `${GNU_TIME} not found: peak memory is polled from /proc (may read low); ` +
  `install it with \`apt-get install time\` (.ci/run and any bench CI need it)`;

let defaultTimeoutMs: number | undefined;

/** Sets the time limit for every measured command that does not give its own (the bench's --timeout). */
export function setDefaultTimeout(ms: number | undefined): void {
  defaultTimeoutMs = ms;
}

export async function runMeasured(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<Measured> {
  const opts = { ...options, timeoutMs: options.timeoutMs ?? defaultTimeoutMs };
  if (hasGnuTime()) return runWithGnuTime(command, args, opts);
  return runPolled(command, args, opts);
}

async function runWithGnuTime(command: string, args: string[], opts: RunOptions): Promise<Measured> {
  // -o keeps time's report out of the child's stderr; -q drops its "Command exited with non-zero status".
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flumen-bench-time-'));
  const report = path.join(dir, 'time.txt');
  try {
    const r = await run(GNU_TIME, ['-q', '-f', '%M', '-o', report, command, ...args], opts);
    // A command killed at its time limit takes GNU time with it, leaving no report.
    const kb = existsSync(report) ? Number(readFileSync(report, 'utf8').trim().split('\n').pop()) : NaN;
    return { ...r, peakRssKb: Number.isFinite(kb) && kb > 0 ? kb : null, rssMethod: 'gnu-time' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runPolled(command: string, args: string[], opts: RunOptions): Promise<Measured> {
  let peak = 0;
  const r = await run(command, args, opts, (pid) => {
    const timer = setInterval(() => {
      peak = Math.max(peak, readVmHwm(pid));
    }, 10);
    return () => clearInterval(timer);
  });
  return { ...r, peakRssKb: peak > 0 ? peak : null, rssMethod: peak > 0 ? 'polled' : 'none' };
}

function readVmHwm(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function run(
  command: string,
  args: string[],
  opts: RunOptions,
  watch?: (pid: number) => () => void,
): Promise<Omit<Measured, 'peakRssKb' | 'rssMethod'>> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // detached: the child leads its own process group, so a timeout can end it and its children (time → node).
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: opts.timeoutMs != null,
    });
    const unwatch = child.pid != null && watch ? watch(child.pid) : undefined;
    let timedOut = false;
    const timer =
      opts.timeoutMs != null && child.pid != null
        ? setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              child.kill('SIGKILL');
            }
          }, opts.timeoutMs)
        : undefined;
    const stop = (): void => {
      unwatch?.();
      if (timer) clearTimeout(timer);
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      stop?.();
      reject(e);
    });
    child.on('close', (code) => {
      stop?.();
      resolve({
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        code,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median of the non-null values, or null when there are none. */
export function medianOrNull(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x != null);
  return v.length ? median(v) : null;
}

/** The first line of a failed child's stderr that says something (skips node's stack-trace noise). */
export function failureReason(m: Measured): string {
  if (m.timedOut) return `timed out after ${m.seconds.toFixed(0)} s`;
  const lines = m.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const telling = lines.find((l) => /^(flumen:|error|Error|\w+Error\b)/.test(l)) ?? lines[0];
  return (telling ?? `exit code ${m.code}`).slice(0, 160);
}
