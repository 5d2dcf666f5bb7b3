// Tests that need a system program (rg, lnav, sqlite3, sshd, chromium…) skip without it on a developer's machine,
// but in CI (CI=true) a missing program is a failure: CI must install what the tests use.
import { execFileSync } from 'node:child_process';

export function hasProgram(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns true when the program is there; throws in CI when it is missing; false (skip) elsewhere. */
export function requireProgram(name: string): boolean {
  if (hasProgram(name)) return true;
  if (process.env.CI === 'true')
    throw new Error(`${name} is required in CI but is not installed (see .ci/run)`);
  return false;
}

/**
 * Returns true when running as root (what creating a system user needs); throws in CI, where tests run as root and
 * must not quietly skip; false (skip) elsewhere.
 */
export function requireRoot(what: string): boolean {
  if (process.getuid?.() === 0) return true;
  if (process.env.CI === 'true')
    throw new Error(`${what} needs root in CI, but runs as uid ${process.getuid?.()}`);
  return false;
}
