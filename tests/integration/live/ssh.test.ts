// `flumen collect --ssh`: a real OpenSSH sshd on 127.0.0.1, reached through a ~/.ssh/config entry; sessions killed
// mid-stream; host keys unknown, accepted by fingerprint, and changed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countOf } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { collectFailure, startCollect, waitFor } from './collect-process.ts';
import { sshdInTempDir } from './sshd-peer.ts';
import { exactlyOnce, remoteLines as lines, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

const peer = (opts: { knownHosts?: boolean } = {}) => sshdInTempDir('flumen-ssh-', cleanups, opts);

describe.runIf(requireProgram('/usr/sbin/sshd') && requireProgram('ssh-keygen'))(
  'flumen collect --ssh',
  () => {
    it('stores every line of three batches exactly once while the SSH session is killed twice and the file rotates', async () => {
      const { dir, sshd } = await peer();
      const remote = path.join(dir, 'remote', 'app.log');
      fs.mkdirSync(path.dirname(remote));
      const ws = path.join(dir, 'ws');
      fs.writeFileSync(remote, lines(1, 3000));
      const collect = await startCollect(['--workspace', ws, '--ssh', `ssh://flumen-test${remote}`], {
        HOME: sshd.home,
      });
      await waitFor('batch 1', async () => (await countOf(ws, '').catch(() => 0)) >= 3000);

      for (let i = 3001; i <= 6000; i += 500) fs.appendFileSync(remote, lines(i, i + 499));
      expect(await sshd.killSessions(), collect.stderr()).toBeGreaterThan(0); // mid-batch: some lines sent, some not
      await waitFor('batch 2', async () => (await countOf(ws, '')) >= 6000);

      fs.renameSync(remote, `${remote}.1`); // rotation on the remote host, then a kill while it is drained
      fs.appendFileSync(`${remote}.1`, lines(6001, 6500));
      fs.writeFileSync(remote, lines(6501, 9000));
      expect(await sshd.killSessions(), collect.stderr()).toBeGreaterThan(0);
      await waitFor('batch 3', async () => (await countOf(ws, '')) >= 9000, 100_000).catch(() => {});
      expect(await collect.stop(), collect.stderr()).toBe(0);

      const events = await storedEvents(ws);
      const once = exactlyOnce(
        events.map((e) => String(e.message)),
        9000,
      );
      // On a failure, what the collector said (reconnects, rotations) is what explains it.
      expect(once, collect.stderr()).toEqual({ lost: [], duplicated: [] });
      expect(events.length).toBe(9000);
      expect(String(events[0].source)).toMatch(/^ssh:\/\/[^@]+@127\.0\.0\.1:\d+\//);
    }, 200_000);

    it('follows a remote glob and a second target given as user@host:port at once, new files included', async () => {
      const { dir, sshd } = await peer();
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      fs.writeFileSync(path.join(logs, 'a.log'), lines(1, 100));
      fs.writeFileSync(path.join(logs, 'b.log'), lines(101, 200));
      fs.writeFileSync(path.join(dir, 'c.txt'), lines(201, 300));
      const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
      const ws = path.join(dir, 'ws');
      const collect = await startCollect(
        [
          '--workspace',
          ws,
          '--ssh',
          `ssh://flumen-test${logs}/*.log`,
          '--ssh',
          `ssh://${user}@127.0.0.1:${sshd.port}${dir}/c.txt`,
          '--identity',
          path.join(sshd.home, '.ssh', 'id_test'),
        ],
        { HOME: sshd.home },
        2,
      );
      await waitFor('both targets', async () => (await countOf(ws, '').catch(() => 0)) >= 300);
      fs.writeFileSync(path.join(logs, 'd.log'), lines(301, 400)); // found by the next remote glob expansion
      await waitFor('the new file', async () => (await countOf(ws, '')) >= 400, 30_000);
      expect(await collect.stop(), collect.stderr()).toBe(0);
      const events = await storedEvents(ws);
      expect(
        exactlyOnce(
          events.map((e) => String(e.message)),
          400,
        ),
      ).toEqual({ lost: [], duplicated: [] });
      expect(new Set(events.map((e) => e.source)).size).toBe(4);
    }, 60_000);

    it('refuses an unknown host key and prints its SHA256 fingerprint; accepts it when named', async () => {
      const { dir, sshd } = await peer({ knownHosts: false });
      const remote = path.join(dir, 'r.log');
      fs.writeFileSync(remote, lines(1, 10));
      const ws = path.join(dir, 'ws');
      const expected = execFileSync(
        'ssh-keygen',
        ['-l', '-E', 'sha256', '-f', path.join(dir, 'host_key.pub')],
        {
          encoding: 'utf8',
        },
      ).split(' ')[1];
      const refused = await collectFailure(['--workspace', ws, '--ssh', `ssh://flumen-test${remote}`], {
        HOME: sshd.home,
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`--accept-host-key ${expected}`);

      const accepted = await startCollect(
        ['--workspace', ws, '--ssh', `ssh://flumen-test${remote}`, '--accept-host-key', expected],
        { HOME: sshd.home },
      );
      await waitFor('lines', async () => (await countOf(ws, '').catch(() => 0)) === 10);
      expect(await accepted.stop()).toBe(0);
      // Written hashed to known_hosts: the next run needs no acceptance.
      const known = fs.readFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), 'utf8');
      expect(known).toMatch(/^\|1\|/);
      expect(known).not.toContain('127.0.0.1');
      const again = await startCollect(['--workspace', ws, '--ssh', `ssh://flumen-test${remote}`], {
        HOME: sshd.home,
      });
      expect(await again.stop()).toBe(0);
    }, 60_000);

    it('refuses a changed host key with a warning, even when told to accept an unknown one', async () => {
      const { dir, sshd } = await peer({ knownHosts: false });
      const other = path.join(dir, 'other_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const [type, key] = fs.readFileSync(`${other}.pub`, 'utf8').split(' ');
      fs.writeFileSync(
        path.join(sshd.home, '.ssh', 'known_hosts'),
        `[127.0.0.1]:${sshd.port} ${type} ${key}\n`,
      );
      const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'host_key.pub')], {
        encoding: 'utf8',
      }).split(' ')[1];
      const r = await collectFailure(
        [
          '--workspace',
          path.join(dir, 'ws'),
          '--ssh',
          `ssh://flumen-test${dir}/x.log`,
          '--accept-host-key',
          fp,
        ],
        { HOME: sshd.home },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
      expect(r.stderr).toContain(`known_hosts:1`);
    }, 60_000);
  },
);
