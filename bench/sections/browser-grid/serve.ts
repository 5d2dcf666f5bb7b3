// Starts `flumen serve --workspace WS --port 0` (the build under bench, FLUMEN_BENCH_BIN or bin/flumen.mjs) and
// reads the one URL line it prints (the app contract). The first start may build the renderer with Vite first.
import { spawn } from 'node:child_process';
import { FLUMEN_BIN, ROOT } from '../../peers/flumen-cli.ts';

const URL_LINE = /^Flumen is serving (.+) at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)\r?$/m;

/** The app URL from what `flumen serve` printed so far, or null while its line has not arrived. */
export function parseServeUrl(stdout: string): string | null {
  return URL_LINE.exec(stdout)?.[2] ?? null;
}

export interface Served {
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

export function startServe(workspace: string, timeoutMs = 180_000): Promise<Served> {
  const child = spawn(process.execPath, [FLUMEN_BIN, 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode == null && child.signalCode == null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`flumen serve printed no URL line in ${timeoutMs / 1000} s: ${tail(err)}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = parseServeUrl(out);
      if (url) {
        clearTimeout(timer);
        resolve({ url, stderr: () => err, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flumen serve exited (${code}) before printing its URL: ${tail(err)}`));
    });
  });
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').slice(0, 300) || '(no stderr)';
}
