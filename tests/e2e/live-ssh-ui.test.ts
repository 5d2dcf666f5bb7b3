// End to end, SSH: the real `flumen serve` (with a HOME whose ~/.ssh/config names a real sshd on 127.0.0.1) in
// Chromium. The SSH dialog connects with a key file; the unknown host key is shown with its SHA256 fingerprint,
// the person accepts it, and the remote file's lines arrive in the grid, new ones as they are appended. Then the
// host's journal read from a folder of journal files: a relative folder is refused in the dialog, an absolute one
// connects and the journal's new entries arrive.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, type BrowserSession } from '../helpers/browser.ts';
import { hasProgram } from '../helpers/require-program.ts';
import { startSshd, type SshdPeer } from '../integration/live/sshd-peer.ts';
import { JOURNAL_REMOTE, writeJournal } from '../integration/live/journal-files.ts';
import { WAIT, closeServedPage, openServedPage, waitForCount } from './page.ts';
import type { ServeProcess } from './serve-process.ts';

function lines(from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++)
    out += `Nov 23 10:00:${String(i % 60).padStart(2, '0')} remotehost app[7]: remote seq=${i}\n`;
  return out;
}

describe.skipIf(!hasChromium() || !hasProgram('/usr/sbin/sshd') || !hasProgram('ssh-keygen'))(
  'an SSH source added through its dialog',
  () => {
    /** The sshd's files and the screenshots: the screenshots are kept after the run. */
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-e2e-ssh-files-'));
    const remote = path.join(tmp, 'remote.log');
    let sshd: SshdPeer;
    let workspace: string;
    let serve: ServeProcess;
    let browser: BrowserSession;
    let page: Page;

    beforeAll(async () => {
      sshd = await startSshd(path.join(tmp, 'peer'), { knownHosts: false });
      fs.writeFileSync(remote, lines(1, 60));
      ({ workspace, serve, browser, page } = await openServedPage('flumen-e2e-ssh-', undefined, {
        HOME: sshd.home,
      }));
    });

    afterAll(async () => {
      await closeServedPage({ workspace, serve, browser });
      await sshd?.stop();
      fs.rmSync(path.join(tmp, 'peer'), { recursive: true, force: true });
      fs.rmSync(remote, { force: true });
    });

    test('shows the unknown host key with its fingerprint, connects once accepted, and follows the remote file', async () => {
      const sources = page.getByRole('region', { name: 'Sources' });
      await sources.getByRole('button', { name: 'SSH…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Follow over SSH' });
      await dialog.getByLabel('Destination').fill('flumen-test');
      await dialog.getByLabel('Remote path').fill(remote);
      await dialog.getByRole('radio', { name: 'Private key' }).check();
      await dialog.getByLabel('Key file').fill(path.join(sshd.home, '.ssh', 'id_test'));
      await dialog.getByRole('button', { name: 'Connect' }).click();

      const prompt = dialog.getByRole('alert');
      await prompt.waitFor(WAIT);
      const keyFile = path.join(tmp, 'host.pub');
      fs.writeFileSync(keyFile, sshd.hostKeyPub + '\n');
      const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', keyFile], {
        encoding: 'utf8',
      }).split(' ')[1];
      expect(await prompt.textContent()).toContain(fingerprint);
      expect(await prompt.textContent()).toContain("can't be established");
      await page.screenshot({ path: path.join(tmp, 'live-ssh-host-key.png') });

      await dialog.getByRole('button', { name: 'Accept key and connect' }).click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
      await waitForCount(page, (n) => n === 60, '60 remote lines');
      fs.appendFileSync(remote, lines(61, 90));
      await waitForCount(page, (n) => n === 90, '90 after appending on the remote host');
      const row = sources.getByRole('list', { name: 'Live sources' }).getByRole('listitem').first();
      expect(await row.textContent()).toMatch(/running/);
      expect(fs.readFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), 'utf8')).toContain(
        sshd.hostKeyPub.split(' ')[1],
      );
      await page.screenshot({ path: path.join(tmp, 'live-ssh.png') });
      expect(browser.pageErrors, browser.pageErrors.join('\n')).toEqual([]);
    });

    test.skipIf(!hasProgram('journalctl') || !hasProgram(JOURNAL_REMOTE))(
      'reads the journal in a folder of the host, refusing a folder that is not absolute',
      async () => {
        const journalDir = path.join(tmp, 'journal');
        fs.mkdirSync(journalDir, { recursive: true });
        const journal = path.join(journalDir, 'remote.journal');
        writeJournal(journal, ['before the source was added']);
        const before = await waitForCount(page, () => true, 'the count before');

        const sources = page.getByRole('region', { name: 'Sources' });
        await sources.getByRole('button', { name: 'SSH…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Follow over SSH' });
        await dialog.getByLabel('Destination').fill('flumen-test');
        await dialog.getByRole('radio', { name: 'Journal' }).check();
        expect(await dialog.getByLabel('Remote path').count()).toBe(0);
        const folder = dialog.getByLabel('Journal folder');
        await dialog.getByRole('radio', { name: 'Private key' }).check();
        await dialog.getByLabel('Key file').fill(path.join(sshd.home, '.ssh', 'id_test'));
        await folder.fill('var/log/journal');
        expect(await folder.getAttribute('aria-invalid')).toBe('true');
        expect(await dialog.getByText('must be an absolute path').count()).toBe(1);
        expect(await dialog.getByRole('button', { name: 'Connect' }).isDisabled()).toBe(true);
        await folder.fill(journalDir);
        expect(await folder.getAttribute('aria-invalid')).toBeNull();
        await dialog.getByRole('button', { name: 'Connect' }).click();
        // The host key was accepted by the first test; accepted here too when this one runs alone.
        const accept = dialog.getByRole('button', { name: 'Accept key and connect' });
        await Promise.race([
          dialog.waitFor({ state: 'detached', ...WAIT }),
          accept.waitFor(WAIT).then(() => accept.click()),
        ]);
        await dialog.waitFor({ state: 'detached', ...WAIT });

        const row = sources.getByRole('list', { name: 'Live sources' }).getByText(/\?journal&dir=/);
        await row.waitFor(WAIT);
        expect(await row.textContent()).toContain(journalDir);
        // A first run starts at the journal's end: write probes until remote journalctl is following.
        let probes = 0;
        const end = Date.now() + WAIT.timeout;
        let seen = before;
        while (seen === before && Date.now() < end) {
          writeJournal(journal, [`probe ${++probes}`]);
          await new Promise((r) => setTimeout(r, 500));
          seen = await waitForCount(page, () => true, 'the count');
        }
        expect(seen).toBeGreaterThan(before);
        // Probes written before it followed are not read (they are before the end it started at): let the last
        // ones that were read arrive, then count from there.
        await page.waitForTimeout(1500);
        const settled = await waitForCount(page, () => true, 'the count after the probes');
        writeJournal(
          journal,
          Array.from({ length: 20 }, (_, i) => `journal seq=${i + 1} entry`),
        );
        await waitForCount(page, (n) => n === settled + 20, '20 journal entries');
        await page.screenshot({ path: path.join(tmp, 'live-ssh-journal.png') });
        expect(browser.pageErrors, browser.pageErrors.join('\n')).toEqual([]);
      },
    );
  },
);
