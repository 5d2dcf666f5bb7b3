// ~/.ssh/config Include and Match, evaluated as ssh(1) does, against config files written by the test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSshConfig, resolveSshConfig } from '../../../electron/engine/sources/live/ssh-config.ts';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

/** A HOME with .ssh/<name> files; returns the path of .ssh/config. */
function home(files: Record<string, string>): { home: string; config: string } {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-sshcfg-'));
  homes.push(h);
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(h, '.ssh', name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return { home: h, config: path.join(h, '.ssh', 'config') };
}

describe('ssh config Include', () => {
  it('reads included files in place, relative to ~/.ssh, globs in sorted order', () => {
    const { home: h, config } = home({
      config: 'Include config.d/*.conf\nHost web\n  User late\n  Port 2\n',
      'config.d/20-web.conf': 'Host web\n  Port 2020\n  IdentityFile ~/.ssh/second\n',
      'config.d/10-web.conf': 'Host web\n  HostName web.example\n  IdentityFile ~/.ssh/first\n',
      'config.d/ignored.txt': 'Host web\n  HostName wrong\n',
    });
    const c = readSshConfig(config, 'web', h);
    expect(c).toMatchObject({ hostName: 'web.example', port: 2020, user: 'late' });
    expect(c.identityFiles).toEqual([`${h}/.ssh/first`, `${h}/.ssh/second`]);
  });

  it('takes ~ and absolute paths, ignores globs matching nothing, and nests', () => {
    const { home: h, config } = home({
      config: 'Include ~/.ssh/a nothing-*.conf\n',
      b: 'Host *\n  User nested\n',
    });
    fs.writeFileSync(path.join(h, '.ssh', 'a'), `Include ${path.join(h, '.ssh', 'b')}\n`);
    expect(readSshConfig(config, 'x', h).user).toBe('nested');
  });

  it('applies nothing from an Include inside a block that does not match, and restores the block after it', () => {
    const { home: h, config } = home({
      config: 'Host db\n  Include inc\n  Port 7\nHost *\n  User everyone\n',
      inc: 'User from-inc\nHost *\n  HostName from-inc-any\n',
    });
    expect(readSshConfig(config, 'web', h)).toMatchObject({ user: 'everyone', hostName: 'web', port: null });
    // For db the included file applies, and its own `Host *` does not leak past the Include line.
    expect(readSshConfig(config, 'db', h)).toMatchObject({
      user: 'from-inc',
      hostName: 'from-inc-any',
      port: 7,
    });
  });

  it('refuses Include loops with a clear error instead of recursing forever', () => {
    const { home: h, config } = home({ config: 'Include config\n' });
    expect(() => readSshConfig(config, 'x', h)).toThrow(/config:1: Include nested too deeply/);
  });
});

describe('ssh config Match', () => {
  it('matches host against the HostName set so far and originalhost against the alias', () => {
    const text = [
      'Host web',
      '  HostName web.prod.example',
      'Match host *.prod.example',
      '  User prod',
      'Match originalhost web',
      '  Port 2200',
      'Match host web',
      '  IdentityFile ~/never',
    ].join('\n');
    const c = resolveSshConfig(text, 'web', '/home/u');
    expect(c).toMatchObject({ user: 'prod', port: 2200, identityFiles: [] });
  });

  it('takes comma lists with negation, ANDs criteria, and honours a negated criterion', () => {
    const text = [
      'Match host *.example,!bad.example user ops',
      '  Port 1',
      'Match !host *.example',
      '  Port 2',
      'Match host *.example !user ops',
      '  Port 3',
    ].join('\n');
    expect(resolveSshConfig(text, 'a.example', '/h', { user: 'ops' }).port).toBe(1);
    expect(resolveSshConfig(text, 'bad.example', '/h', { user: 'ops' }).port).toBeNull();
    expect(resolveSshConfig(text, 'other.org', '/h', { user: 'ops' }).port).toBe(2);
    expect(resolveSshConfig(text, 'a.example', '/h', { user: 'dev' }).port).toBe(3);
  });

  it('sees the User from an earlier block when none was asked for, and Match all applies to everyone', () => {
    const text = 'Host h\n  User alice\nMatch user alice\n  Port 11\nMatch all\n  HostName all.example\n';
    expect(resolveSshConfig(text, 'h', '/h')).toMatchObject({ port: 11, hostName: 'all.example' });
    expect(resolveSshConfig(text, 'h', '/h', { user: 'bob' }).port).toBeNull();
  });

  it('a Host line after a Match starts a new block', () => {
    const text = 'Match host nomatch\n  User a\nHost *\n  User b\n';
    expect(resolveSshConfig(text, 'x', '/h').user).toBe('b');
  });

  it.each([
    'exec "test -f /x"',
    'canonical',
    'final',
    'localuser root',
    'localnetwork 10.0.0.0/8',
    'tagged t',
  ])('refuses Match %s with the file and line', (crit) => {
    const { home: h, config } = home({
      config: 'Include extra\n',
      extra: `# comment\nMatch ${crit}\n  User x\n`,
    });
    const name = crit.split(' ')[0];
    expect(() => readSshConfig(config, 'x', h)).toThrow(
      `${path.join(h, '.ssh', 'extra')}:2: Match ${name} is not supported by Flumen`,
    );
  });

  it('does not need to evaluate an unsupported criterion after one that already failed, as OpenSSH skips it', () => {
    const text = 'Match host other exec "false"\n  User x\n';
    expect(resolveSshConfig(text, 'mine', '/h').user).toBeNull();
  });

  it('rejects unknown criteria, a missing pattern list and an empty Match', () => {
    expect(() => resolveSshConfig('Match hots x\n', 'x', '/h')).toThrow(
      'ssh config:1: unknown Match criterion "hots"',
    );
    expect(() => resolveSshConfig('\nMatch host\n', 'x', '/h')).toThrow(
      'ssh config:2: Match host needs a pattern list',
    );
    expect(() => resolveSshConfig('Match\n', 'x', '/h')).toThrow('ssh config:1: Match needs criteria');
  });
});
