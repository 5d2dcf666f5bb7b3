// `flumen collect --ssh ssh://host/?journal&dir=…`: remote `journalctl -f -o json` over a real sshd, reading a real
// journal that systemd-journal-remote writes (journald itself is not running on test machines). The host is
// reached through an `Include`d ~/.ssh/config file. The connection is killed twice while entries arrive: the
// collector resumes after the last stored entry's __CURSOR, so every entry is stored exactly once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOf, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { startCollect, waitFor } from './collect-process.ts';
import { JOURNAL_REMOTE, writeJournal } from './journal-files.ts';
import { startSshd } from './sshd-peer.ts';
import { exactlyOnce, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

const batch = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `remote seq=${from + i} event happened`);

/** The seq numbers of stored events, one per event whatever fields the JSON was mapped to. */
async function storedSeqs(ws: string): Promise<string[]> {
  const events = await storedEvents(ws).catch(() => []);
  return events.map((e) => /seq=(\d+)/.exec(JSON.stringify(e))?.[0] ?? '').filter((s) => s !== '');
}

describe.runIf(
  requireProgram('/usr/sbin/sshd') && requireProgram('journalctl') && requireProgram(JOURNAL_REMOTE),
)('flumen collect --ssh …/?journal', () => {
  it('stores every journal entry exactly once across two killed connections, resuming by __CURSOR, via an Included host', async () => {
    const { dir, cleanup } = tempDir('flumen-sshj-');
    cleanups.push(cleanup);
    const sshd = await startSshd(dir);
    cleanups.push(() => sshd.stop());
    // The peer's Host entry moves into an Included file: only Include can find it now.
    const sshDir = path.join(sshd.home, '.ssh');
    fs.mkdirSync(path.join(sshDir, 'conf.d'));
    fs.renameSync(path.join(sshDir, 'config'), path.join(sshDir, 'conf.d', '50-test.conf'));
    fs.writeFileSync(path.join(sshDir, 'config'), 'Include conf.d/*.conf\n');

    const journalDir = path.join(dir, 'journal');
    fs.mkdirSync(journalDir);
    const journal = path.join(journalDir, 'remote.journal');
    writeJournal(journal, ['before the collector started: not wanted']);
    const ws = path.join(dir, 'ws');
    const collect = await startCollect(
      ['--workspace', ws, '--ssh', `ssh://flumen-test/?journal&dir=${journalDir}`],
      { HOME: sshd.home },
    );
    cleanups.push(async () => void (await collect.stop().catch(() => 0)));
    // A first run starts at the journal's end: probe until remote journalctl is following.
    let probes = 0;
    await waitFor('journalctl following', async () => {
      writeJournal(journal, [`probe ${++probes}`]);
      return (await countOf(ws, '').catch(() => 0)) > 0;
    });

    writeJournal(journal, batch(1, 1000));
    await waitFor('batch 1', async () => (await storedSeqs(ws)).length >= 1000);
    writeJournal(journal, batch(1001, 2000));
    expect(await sshd.killSessions(), collect.stderr()).toBeGreaterThan(0);
    await waitFor('batch 2', async () => (await storedSeqs(ws)).length >= 2000, 60_000);
    writeJournal(path.join(journalDir, 'second.journal'), batch(2001, 3000)); // a new file in the folder
    expect(await sshd.killSessions(), collect.stderr()).toBeGreaterThan(0);
    // Written while the collector reconnects: more than the 10 entries `journalctl -f` shows by default.
    writeJournal(journal, batch(3001, 3500));
    await waitFor('batch 3', async () => (await storedSeqs(ws)).length >= 3500, 90_000).catch(() => {});
    expect(await collect.stop(), collect.stderr()).toBe(0);

    const seqs = await storedSeqs(ws);
    expect(exactlyOnce(seqs, 3500), collect.stderr()).toEqual({ lost: [], duplicated: [] });
    expect(seqs.length).toBe(3500);
    const events = await storedEvents(ws);
    expect(events.some((e) => JSON.stringify(e).includes('not wanted'))).toBe(false);
    expect(String(events[0].source)).toMatch(/^ssh:\/\/[^@]+@127\.0\.0\.1:\d+\/\?journal&dir=/);
  }, 240_000);
});
