// SSH live sources through the service API against a real sshd on 127.0.0.1: an unknown host key comes back with
// its SHA256 fingerprint and is accepted by the person, a changed key is refused even when "accepted", key files
// with a passphrase are checked before connecting, and a passphrase kept across restarts goes through the shell's
// vault (over the real engine worker) and is never written in plain text.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlumenApi, LiveAddResult, LiveSourceStatus } from '../../../shared/api.ts';
import { call } from '../../helpers/api-call.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { LIVE_SOURCES_FILE } from '../../../electron/engine/service/live-store.ts';
import { fakeVault } from '../../helpers/fake-vault.ts';
import { EngineWorkerClient } from '../../../electron/engine/service/worker-client.ts';
import { tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { waitFor } from './collect-process.ts';
import { remoteLines as lines } from './stored-lines.ts';
import { startSshd, type SshdPeer } from './sshd-peer.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach({ restoreHome: true });

const count = (api: FlumenApi) => api.count({ query: '', from: null, to: null });

async function peer(): Promise<{ dir: string; sshd: SshdPeer; remote: string }> {
  const { dir, cleanup } = tempDir('flumen-live-ssh-');
  cleanups.push(cleanup);
  const sshd = await startSshd(dir, { knownHosts: false });
  cleanups.push(() => sshd.stop());
  // The service reads ~/.ssh/config and known_hosts the way the user's ssh would: from this HOME.
  process.env.HOME = sshd.home;
  const remote = path.join(dir, 'remote.log');
  fs.writeFileSync(remote, lines(1, 200));
  return { dir, sshd, remote };
}

function fingerprintOf(pub: string): string {
  const file = path.join(fs.mkdtempSync('/tmp/flumen-fp-'), 'key.pub');
  fs.writeFileSync(file, pub + '\n');
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true });
  return out.split(' ')[1];
}

describe.runIf(requireProgram('/usr/sbin/sshd') && requireProgram('ssh-keygen'))(
  'SSH live sources through the service API',
  () => {
    it('shows an unknown host key with its fingerprint, tails after the person accepts it, and refuses a changed key', async () => {
      const { dir, sshd, remote } = await peer();
      const service = await EngineService.open(path.join(dir, 'ws'), {
        create: true,
        liveCommitEveryMs: 100,
      });
      cleanups.push(() => service.close());
      const keyFile = path.join(sshd.home, '.ssh', 'id_test');
      const req = { kind: 'ssh', destination: 'flumen-test', path: remote, auth: 'key', keyFile };

      const first = await call<LiveAddResult>(service, 'addLiveSource', req);
      const expected = fingerprintOf(sshd.hostKeyPub);
      expect(first).toEqual({
        hostKey: {
          host: `[127.0.0.1]:${sshd.port}`,
          keyType: 'ssh-ed25519',
          fingerprint: expected,
          verdict: 'unknown',
          message: `The authenticity of host [127.0.0.1]:${sshd.port} can't be established. Its ssh-ed25519 key fingerprint is ${expected}.`,
        },
      });
      expect(await call<LiveSourceStatus[]>(service, 'liveSources')).toEqual([]);

      const second = await call<LiveAddResult>(service, 'addLiveSource', { ...req, acceptHostKey: expected });
      if (!('added' in second)) throw new Error('expected the source to be added once its key is accepted');
      expect(second.added).toMatchObject({ kind: 'ssh', state: 'running' });
      expect(second.added.spec).toEqual({
        kind: 'ssh',
        destination: 'flumen-test',
        path: remote,
        auth: 'key',
        keyFile,
      });
      expect(fs.readFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), 'utf8')).toContain(
        sshd.hostKeyPub.split(' ')[1],
      );
      await waitFor('the remote lines', async () => (await count(service)) === 200);
      fs.appendFileSync(remote, lines(201, 300));
      await waitFor('lines appended on the remote host', async () => (await count(service)) === 300);
      await call(service, 'removeLiveSource', { id: second.added.id });

      // Another key for the same host: the known one "changed". Refused, even when its fingerprint is accepted.
      const other = path.join(dir, 'other_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const [type, key] = fs.readFileSync(`${other}.pub`, 'utf8').split(' ');
      fs.writeFileSync(
        path.join(sshd.home, '.ssh', 'known_hosts'),
        `[127.0.0.1]:${sshd.port} ${type} ${key}\n`,
      );
      const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
      const uri = { ...req, destination: `ssh://${user}@127.0.0.1:${sshd.port}${remote}`, path: null };
      const changed = await call<LiveAddResult>(service, 'addLiveSource', {
        ...uri,
        acceptHostKey: expected,
      });
      if (!('hostKey' in changed)) throw new Error('a changed host key must be refused');
      expect(changed.hostKey.verdict).toBe('changed');
      expect(changed.hostKey.fingerprint).toBe(expected);
      expect(changed.hostKey.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
      expect(await call<LiveSourceStatus[]>(service, 'liveSources')).toEqual([]);
    });

    it('checks a key file and its passphrase before connecting, and keeps the passphrase only sealed by the vault', async () => {
      const { dir, sshd, remote } = await peer();
      const [type, key] = sshd.hostKeyPub.split(' ');
      fs.writeFileSync(
        path.join(sshd.home, '.ssh', 'known_hosts'),
        `[127.0.0.1]:${sshd.port} ${type} ${key}\n`,
      );
      const locked = path.join(dir, 'id_locked');
      const passphrase = 'correct horse battery staple';
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', locked]);
      fs.appendFileSync(path.join(dir, 'authorized_keys'), fs.readFileSync(`${locked}.pub`));
      const req = { kind: 'ssh', destination: 'flumen-test', path: remote, auth: 'key', keyFile: locked };
      const ws = path.join(dir, 'ws');

      const vault = fakeVault();
      const client = await EngineWorkerClient.start(ws, { create: true, vault });
      cleanups.push(() => client.close());
      await expect(call(client, 'addLiveSource', req)).rejects.toThrow(
        `invalid-request: key file ${locked} is encrypted: give its passphrase`,
      );
      await expect(call(client, 'addLiveSource', { ...req, passphrase: 'wrong' })).rejects.toThrow(
        `invalid-request: key file ${locked}: the passphrase is wrong`,
      );
      await expect(call(client, 'addLiveSource', { ...req, auth: 'agent', passphrase })).rejects.toThrow(
        'addLiveSource: keyFile: a key file is only used with key login',
      );
      const added = await call<LiveAddResult>(client, 'addLiveSource', { ...req, passphrase });
      if (!('added' in added)) throw new Error('expected the source to be added');
      expect(JSON.stringify(added)).not.toContain(passphrase);
      await waitFor('the remote lines', async () => (await count(client)) === 200);
      const listed = await call<LiveSourceStatus[]>(client, 'liveSources');
      expect(JSON.stringify(listed)).not.toContain(passphrase);
      await client.close();

      const saved = fs.readFileSync(path.join(ws, LIVE_SOURCES_FILE), 'utf8');
      expect(saved).not.toContain(passphrase);
      expect(vault.sealed).toEqual([JSON.stringify({ passphrase })]);
      expect(JSON.parse(saved).sources[0].sealed).toMatch(/^v1:/);

      // Reopened with the same vault: the source logs in again with the unsealed passphrase and goes on.
      fs.appendFileSync(remote, lines(201, 250));
      const again = await EngineWorkerClient.start(ws, { vault });
      cleanups.push(() => again.close());
      await waitFor('the source to run again', async () =>
        (await call<LiveSourceStatus[]>(again, 'liveSources')).some((s) => s.state === 'running'),
      );
      await waitFor('the lines appended while closed', async () => (await count(again)) === 250);
      await again.close();

      // Without a vault (serve mode) the sealed passphrase cannot be opened: the source comes back stopped, saying why.
      const plain = await EngineWorkerClient.start(ws, {});
      cleanups.push(() => plain.close());
      await waitFor(
        'the saved source to be listed',
        async () => (await call<LiveSourceStatus[]>(plain, 'liveSources')).length === 1,
      );
      const [stopped] = await call<LiveSourceStatus[]>(plain, 'liveSources');
      expect(stopped.state).toBe('stopped');
      expect(stopped.lastError).toMatch(/cannot be opened here; remove it and add it again/);
      await plain.close();

      // Added where there is no vault (flumen serve): the passphrase is used, kept in memory, and never written.
      const ws2 = path.join(dir, 'ws2');
      const serveLike = await EngineService.open(ws2, { create: true });
      cleanups.push(() => serveLike.close());
      expect(await call<LiveAddResult>(serveLike, 'addLiveSource', { ...req, passphrase })).toHaveProperty(
        'added',
      );
      await waitFor('the remote lines in the second workspace', async () => (await count(serveLike)) === 250);
      await serveLike.close();
      const kept = fs.readFileSync(path.join(ws2, LIVE_SOURCES_FILE), 'utf8');
      expect(kept).not.toContain(passphrase);
      expect(JSON.parse(kept).sources[0]).toMatchObject({ sealed: null, secretsLost: true });
      const reopened = await EngineService.open(ws2);
      cleanups.push(() => reopened.close());
      await waitFor('the saved source to be listed', async () => (await reopened.liveSources()).length === 1);
      const [gone] = await reopened.liveSources();
      expect(gone.state).toBe('stopped');
      expect(gone.lastError).toMatch(/kept in memory only/);
    });
  },
);
