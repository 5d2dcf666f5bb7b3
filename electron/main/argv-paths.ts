// Paths handed to the app on its command line (a file manager's "Open with", a second launch): everything
// that is not an option and exists on disk, resolved against the launching process's folder.
import fs from 'node:fs';
import path from 'node:path';

/**
 * argv as Electron gives it: [executable, (app path when run unpackaged), ...args]. `skip` is how many leading
 * entries are not user arguments (1 packaged, 2 unpackaged).
 */
export function pathsFromArgv(argv: string[], cwd: string, skip: number): string[] {
  const out: string[] = [];
  let optionsDone = false;
  for (const arg of argv.slice(skip)) {
    if (!optionsDone && arg === '--') {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && arg.startsWith('-')) continue;
    const abs = path.resolve(cwd, arg);
    if (fs.existsSync(abs)) out.push(abs);
  }
  return out;
}
