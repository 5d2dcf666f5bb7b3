// Runs `flumen collect` as a child process, as a user would, and stops it the two ways that matter: SIGTERM (commit
// and exit 0) and SIGKILL (a crash).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { FLUMEN, REPO } from '../../helpers/cli.ts';

export interface Collect {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then the exit code (the command commits everything first). */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to commit. */
  kill(): Promise<void>;
}

/** Starts collect and resolves once every collector said it is collecting (listeners bound, files followed). */
export async function startCollect(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  collectors = 1,
): Promise<Collect> {
  const child = spawn(process.execPath, [FLUMEN, 'collect', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      // A crash shows as a null code: the signal, in what a failing test prints, says which.
      if (signal) stderr += `[flumen collect ended by ${signal}]\n`;
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if ((stderr.match(/flumen: collecting /g) ?? []).length >= collectors) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`flumen collect exited ${code} before collecting: ${stderr}`)),
    );
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs collect expecting it to fail at start; resolves with its exit code and stderr. */
export function collectFailure(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FLUMEN, 'collect', ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Polls fn until it holds. A poll that throws (a count run while the machine is loaded) is tried again rather than
 * ending the wait early; the timeout's message carries the last such error.
 */
export async function waitFor(
  what: string,
  fn: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
