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

export function runFlumen(
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FLUMEN, ...args], {
      cwd: REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
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
