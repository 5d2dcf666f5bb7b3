// Starts the real `flumen serve` as a child process and reads the one URL line it prints (the contract), for
// end-to-end tests. The first run may build the renderer, so waiting for the line is generous.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin', 'flumen.mjs');
const URL_LINE = /^Flumen is serving (.+) at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/m;

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

export function startServe(
  workspace: string,
  timeoutMs = 110_000,
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode == null && child.signalCode == null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`flumen serve printed no URL line in time; stderr:\n${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = URL_LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[2], child, stderr: () => err, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flumen serve exited (${code}) before printing its URL; stderr:\n${err}`));
    });
  });
}

/** Runs the real CLI: `flumen query --workspace DIR --count QUERY`, returning the integer it prints. */
export function cliCount(workspace: string, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, 'query', '--workspace', workspace, '--count', query],
      { cwd: REPO },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`flumen query --count failed: ${stderr || error.message}`));
        const n = Number(stdout.trim());
        if (!Number.isInteger(n)) return reject(new Error(`flumen query --count printed "${stdout}"`));
        resolve(n);
      },
    );
  });
}

/** Runs the real CLI with `args` (plus `--workspace DIR --json`) and parses its JSON lines. */
export function cliJsonLines<T>(workspace: string, args: string[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args, '--workspace', workspace, '--json'],
      { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`flumen ${args[0]} failed: ${stderr || error.message}`));
        const lines = stdout.split('\n').filter((l) => l.trim() !== '');
        resolve(lines.map((l) => JSON.parse(l) as T));
      },
    );
  });
}
