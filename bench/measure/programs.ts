// Whether a peer program is on PATH (checked once per name).
import { execFileSync } from 'node:child_process';

const known = new Map<string, boolean>();

export function hasProgram(name: string): boolean {
  let found = known.get(name);
  if (found === undefined) {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' });
      found = true;
    } catch {
      found = false;
    }
    known.set(name, found);
  }
  return found;
}
