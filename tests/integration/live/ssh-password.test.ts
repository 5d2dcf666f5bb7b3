// Password login against a real OpenSSH sshd on 127.0.0.1: a temporary system user with a random password (sshd
// checks it in /etc/shadow), allowed password login by a Match block while everyone else keeps key login only.
// `flumen collect` with FLUMEN_SSH_PASSWORD and the app's SSH source with a password both store the remote lines
// exactly once; a wrong password fails at once with one line that names no password; the password is written
// nowhere in the workspace. Creating the user needs root: skipped elsewhere, a failure in CI.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveAddResult, LiveSourceStatus } from '../../../shared/api.ts';
import { call } from '../../helpers/api-call.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { fakeVault } from '../../helpers/fake-vault.ts';
import { countOf, tempDir } from '../../helpers/cli.ts';
import { requireProgram, requireRoot } from '../../helpers/require-program.ts';
import { collectFailure, startCollect, waitFor } from './collect-process.ts';
import { startSshd, type SshdPeer } from './sshd-peer.ts';
import { exactlyOnce, remoteLines as lines, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach({ restoreHome: true });

interface PasswordPeer {
  dir: string;
  sshd: SshdPeer;
  user: string;
  password: string;
  /** A file the password user can read, in a folder readable by all. */
  remote: string;
}

/**
 * A system user `flumen-pw-XXXXXXXX` with a random password, its home a world-readable folder holding the remote
 * file (so sshd has somewhere to chdir), and an sshd that lets only that user log in with a password. The user is
 * deleted after the test, whatever happened (the cleanups run in reverse: sshd stops first).
 */
async function passwordPeer(): Promise<PasswordPeer> {
  const { dir, cleanup } = tempDir('flumen-ssh-pw-');
  cleanups.push(cleanup);
  const remoteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-pw-remote-'));
  cleanups.push(() => fs.rmSync(remoteDir, { recursive: true, force: true }));
  fs.chmodSync(remoteDir, 0o755);
  const remote = path.join(remoteDir, 'app.log');
  fs.writeFileSync(remote, lines(1, 500), { mode: 0o644 });

  const user = `flumen-pw-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(18).toString('base64url')}`;
  execFileSync('useradd', ['-M', '-d', remoteDir, '-s', '/bin/sh', user]);
  // -f: a session sshd has not reaped yet must not keep the user on the system.
  cleanups.push(() => void execFileSync('userdel', ['-f', user], { stdio: 'ignore' }));
  execFileSync('chpasswd', [], { input: `${user}:${password}\n` });

  const sshd = await startSshd(dir, { passwordUsers: [user] });
  cleanups.push(() => sshd.stop());
  return { dir, sshd, user, password, remote };
}

/** Paths of the files under `dir` that contain `needle` (grep exits 1 when none does). */
function filesContaining(dir: string, needle: string): string[] {
  try {
    return execFileSync('grep', ['-rlF', '--', needle, dir], { encoding: 'utf8' }).trim().split('\n');
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

// No agent and no key files reach the password user: what logs in is the password, or nothing.
const NO_AGENT = { SSH_AUTH_SOCK: '' };

describe.runIf(
  requireProgram('/usr/sbin/sshd') &&
    requireProgram('ssh-keygen') &&
    requireProgram('useradd') &&
    requireProgram('chpasswd') &&
    requireRoot('the SSH password login test (it creates a temporary system user)'),
)('SSH password login against a real sshd', () => {
  it('flumen collect logs in with FLUMEN_SSH_PASSWORD and stores the remote lines exactly once, writing the password nowhere', async () => {
    const { dir, sshd, user, password, remote } = await passwordPeer();
    const ws = path.join(dir, 'ws');
    const uri = `ssh://${user}@127.0.0.1:${sshd.port}${remote}`;
    const collect = await startCollect(['--workspace', ws, '--ssh', uri], {
      ...NO_AGENT,
      HOME: sshd.home,
      FLUMEN_SSH_PASSWORD: password,
    });
    await waitFor('the remote lines', async () => (await countOf(ws, '').catch(() => 0)) >= 500);
    fs.appendFileSync(remote, lines(501, 800));
    await waitFor('lines appended on the remote host', async () => (await countOf(ws, '')) >= 800);
    expect(await collect.stop(), collect.stderr()).toBe(0);

    const events = await storedEvents(ws);
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        800,
      ),
      collect.stderr(),
    ).toEqual({ lost: [], duplicated: [] });
    expect(events.length).toBe(800);
    expect(String(events[0].source)).toBe(uri);
    expect(filesContaining(ws, password)).toEqual([]);
    expect(collect.stderr() + collect.stdout()).not.toContain(password);
  }, 120_000);

  it('a wrong password fails collect at start with one line that names neither password', async () => {
    const { dir, sshd, user, password, remote } = await passwordPeer();
    const ws = path.join(dir, 'ws');
    const wrong = `wrong-${randomBytes(12).toString('base64url')}`;
    const r = await collectFailure(
      ['--workspace', ws, '--ssh', `ssh://${user}@127.0.0.1:${sshd.port}${remote}`],
      { ...NO_AGENT, HOME: sshd.home, FLUMEN_SSH_PASSWORD: wrong },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `flumen: ssh ${user}@[127.0.0.1]:${sshd.port}: the server refused the login (tried password, keyboard-interactive)`,
    ]);
    expect(r.stderr).not.toContain(wrong);
    expect(r.stderr).not.toContain(password);
    expect(filesContaining(dir, wrong)).toEqual([]);

    // Without any password, nothing is tried, and the message says what was missing.
    const none = await collectFailure(
      ['--workspace', ws, '--ssh', `ssh://${user}@127.0.0.1:${sshd.port}${remote}`],
      { ...NO_AGENT, HOME: sshd.home, FLUMEN_SSH_PASSWORD: '' },
    );
    expect(none.code, none.stderr).toBe(1);
    expect(none.stderr).toContain('no login to try');
    expect(none.stderr).toContain('FLUMEN_SSH_PASSWORD');
  }, 120_000);

  it("the app's SSH source logs in with a password, keeps it only sealed, and refuses a wrong one at once", async () => {
    const { dir, sshd, user, password, remote } = await passwordPeer();
    // The service reads ~/.ssh/config and known_hosts the way the user's ssh would: from this HOME.
    process.env.HOME = sshd.home;
    const ws = path.join(dir, 'ws');
    const vault = fakeVault();
    const service = await EngineService.open(ws, { create: true, liveCommitEveryMs: 100, vault });
    cleanups.push(() => service.close());
    const req = {
      kind: 'ssh',
      destination: `${user}@127.0.0.1:${sshd.port}`,
      path: remote,
      auth: 'password',
    };

    const wrong = `wrong-${randomBytes(12).toString('base64url')}`;
    const refused = call(service, 'addLiveSource', { ...req, password: wrong });
    await expect(refused).rejects.toThrow(
      `invalid-request: ssh ${user}@[127.0.0.1]:${sshd.port}: the server refused the login (tried password, keyboard-interactive)`,
    );
    await expect(refused).rejects.not.toThrow(wrong);
    expect(await call<LiveSourceStatus[]>(service, 'liveSources')).toEqual([]);

    const added = await call<LiveAddResult>(service, 'addLiveSource', { ...req, password });
    if (!('added' in added)) throw new Error('expected the source to be added');
    expect(added.added).toMatchObject({ kind: 'ssh', state: 'running' });
    const count = () => service.count({ query: '', from: null, to: null });
    await waitFor('the remote lines', async () => (await count()) === 500);
    fs.appendFileSync(remote, lines(501, 600));
    await waitFor('lines appended on the remote host', async () => (await count()) === 600);
    const listed = await call<LiveSourceStatus[]>(service, 'liveSources');
    expect(JSON.stringify([added, listed])).not.toContain(password);
    await service.close();

    expect(vault.sealed).toEqual([JSON.stringify({ password })]);
    expect(filesContaining(ws, password)).toEqual([]);
    expect(filesContaining(ws, wrong)).toEqual([]);
    const events = await storedEvents(ws);
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        600,
      ),
    ).toEqual({ lost: [], duplicated: [] });
  }, 120_000);
});
