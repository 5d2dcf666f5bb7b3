// One writer per workspace: a lock file created with O_EXCL holding the writer's pid. A lock whose pid is no
// longer running is stale (the writer crashed) and is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'flumen.lock';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export class WorkspaceLock {
  private released = false;

  private constructor(readonly file: string) {}

  /** Takes the lock of the workspace in `dir`, or throws "workspace DIR is in use by pid N". */
  static acquire(dir: string): WorkspaceLock {
    const file = path.join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number;
      try {
        fd = openSync(file, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = readPid(file);
        if (pid !== null && pidAlive(pid))
          throw new Error(`workspace ${dir} is in use by pid ${pid}`, { cause: err });
        // A lock file without a live pid: a crashed writer (or one still writing its pid: retry).
        if (pid === null && attempt === 0) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
          continue;
        }
        try {
          unlinkSync(file);
        } catch {
          // another process took it over first; the next attempt sees its lock
        }
        continue;
      }
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return new WorkspaceLock(file);
    }
    throw new Error(`workspace ${dir} is in use (could not take ${file})`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (readPid(this.file) !== process.pid) return;
    try {
      unlinkSync(this.file);
    } catch {
      // already removed
    }
  }
}
