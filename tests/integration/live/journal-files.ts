// Real journal files for tests of a remote journal read from a folder (`journalctl -D`): entries in the Journal
// Export Format, written by systemd-journal-remote (journald itself is not running on test machines).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';

// journalctl -f follows the current boot, so the entries carry this machine's boot id.
const bootId = () => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, '');

/** Appends entries with these messages (host remotehost, identifier app, priority info) to a journal file. */
export function writeJournal(file: string, messages: string[]): void {
  const boot = bootId();
  let out = '';
  for (const m of messages) {
    const us = BigInt(Date.now()) * 1000n;
    const mono = BigInt(Math.round(performance.now() * 1000));
    out += `__REALTIME_TIMESTAMP=${us}\n__MONOTONIC_TIMESTAMP=${mono}\n_BOOT_ID=${boot}\n`;
    out += `_HOSTNAME=remotehost\nSYSLOG_IDENTIFIER=app\nPRIORITY=6\nMESSAGE=${m}\n\n`;
  }
  const r = spawnSync(JOURNAL_REMOTE, ['-o', file, '-'], { input: out, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`systemd-journal-remote failed (${r.status}): ${r.stderr}`);
}
