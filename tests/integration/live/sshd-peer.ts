// A real OpenSSH server on 127.0.0.1 for the tests: a temporary host key, an authorized client key, and a client
// side in ~/.ssh/config format (its own HOME), so Flumen is reached the way a user's ssh would reach the host.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from '../../helpers/cli.ts';
import { freePort, waitFor } from './collect-process.ts';

export interface SshdPeer {
  port: number;
  /** A HOME with .ssh/config (Host flumen-test), the client key and, unless told otherwise, known_hosts. */
  home: string;
  hostKeyPub: string;
  /** Kills the per-connection sshd processes (the listener stays): the client sees its connection drop. */
  killSessions(): Promise<number>;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Write the host key to the client's known_hosts (default true). */
  knownHosts?: boolean;
  /**
   * Users who may log in with their system password (checked in /etc/shadow: UsePAM stays off); everyone else keeps
   * key login only.
   */
  passwordUsers?: string[];
}

export async function startSshd(dir: string, opts: SshdOptions = {}): Promise<SshdPeer> {
  const port = await freePort();
  const home = path.join(dir, 'home');
  const sshDir = path.join(home, '.ssh');
  fs.mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = path.join(dir, 'host_key');
  const clientKey = path.join(sshDir, 'id_test');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'LogLevel ERROR',
      // Match blocks go last: everything after one applies only to what it matches.
      ...(opts.passwordUsers?.length
        ? [`Match User ${opts.passwordUsers.join(',')}`, '  PasswordAuthentication yes']
        : []),
      '',
    ].join('\n'),
  );
  const hostKeyPub = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim();
  fs.writeFileSync(
    path.join(sshDir, 'config'),
    `# written by the test\nHost flumen-test\n  HostName 127.0.0.1\n  Port ${port}\n  User ${user}\n  IdentityFile ~/.ssh/id_test\n\nHost *\n  ServerAliveInterval 30\n`,
  );
  if (opts.knownHosts !== false) {
    const [type, key] = hostKeyPub.split(' ');
    fs.writeFileSync(path.join(sshDir, 'known_hosts'), `[127.0.0.1]:${port} ${type} ${key}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', path.join(sshDir, 'known_hosts')], { stdio: 'ignore' });
  }
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  await waitFor(`sshd on port ${port} (${log})`, () => canConnect(port), 10_000);
  return {
    port,
    home,
    hostKeyPub,
    async killSessions() {
      const sessions = () => {
        const out = execFileSync('sh', ['-c', `pgrep -P ${child.pid} || true`], { encoding: 'utf8' }).trim();
        return out ? out.split('\n').map(Number) : [];
      };
      // A collector between two connections (reconnecting after a drop) has no session yet: wait for its next one.
      let pids = sessions();
      await waitFor('an SSH session to kill', () => (pids = sessions()).length > 0, 30_000).catch(() => {});
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      return pids.length;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A sshd in a new temporary folder; `cleanups` (run in reverse) stops it, then removes the folder. */
export async function sshdInTempDir(
  prefix: string,
  cleanups: (() => void | Promise<void>)[],
  opts: SshdOptions = {},
): Promise<{ dir: string; sshd: SshdPeer }> {
  const { dir, cleanup } = tempDir(prefix);
  cleanups.push(cleanup);
  const sshd = await startSshd(dir, opts);
  cleanups.push(() => sshd.stop());
  return { dir, sshd };
}
