// Host key checking against real known_hosts files written by OpenSSH's own ssh-keygen (hashed with -H).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import {
  addHostKey,
  checkHostKey,
  fingerprintOf,
} from '../../../electron/engine/sources/live/known-hosts.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

function keyPair(dir: string, name: string): { blob: Buffer; line: string; fingerprint: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  const line = fs.readFileSync(`${file}.pub`, 'utf8').trim();
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], {
    encoding: 'utf8',
  }).split(' ')[1];
  return { blob: Buffer.from(line.split(' ')[1], 'base64'), line, fingerprint: fp };
}

describe.runIf(requireProgram('ssh-keygen'))('known_hosts', () => {
  it('prints the same SHA256 fingerprint as ssh-keygen -l', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const k = keyPair(dir, 'a');
    expect(fingerprintOf(k.blob)).toBe(k.fingerprint);
  });

  it('knows a host from a hashed entry, by [host]:port for a non-22 port', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const k = keyPair(dir, 'a');
    const file = path.join(dir, 'known_hosts');
    const [type, b64] = k.line.split(' ');
    fs.writeFileSync(file, `[db.example]:2222 ${type} ${b64}\nweb.example ${type} ${b64}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    expect(fs.readFileSync(file, 'utf8')).not.toContain('example');
    expect(checkHostKey([file], 'db.example', 2222, k.blob).verdict).toBe('known');
    expect(checkHostKey([file], 'web.example', 22, k.blob).verdict).toBe('known');
    expect(checkHostKey([file], 'db.example', 22, k.blob).verdict).toBe('unknown');
  });

  it('calls a different key of the same type for a known host "changed", and names the line', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const old = keyPair(dir, 'old');
    const now = keyPair(dir, 'new');
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `# comment\nhost1,10.0.0.1 ${old.line.split(' ').slice(0, 2).join(' ')}\n`);
    const check = checkHostKey([file], '10.0.0.1', 22, now.blob);
    expect(check.verdict).toBe('changed');
    expect(check.conflict).toBe(`${file}:2`);
    expect(check.fingerprint).toBe(now.fingerprint);
  });

  it('matches wildcard and negated patterns as OpenSSH does', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const k = keyPair(dir, 'a');
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `*.corp,!bad.corp ${k.line.split(' ').slice(0, 2).join(' ')}\n`);
    expect(checkHostKey([file], 'app.corp', 22, k.blob).verdict).toBe('known');
    expect(checkHostKey([file], 'bad.corp', 22, k.blob).verdict).toBe('unknown');
  });

  it('writes an accepted key hashed, in a form ssh-keygen -F finds', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const k = keyPair(dir, 'a');
    const file = path.join(dir, 'ssh', 'known_hosts');
    addHostKey(file, '127.0.0.1', 2022, k.blob);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    expect(checkHostKey([file], '127.0.0.1', 2022, k.blob).verdict).toBe('known');
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2022', '-f', file], { encoding: 'utf8' });
    expect(found).toContain('ssh-ed25519');
  });
});
