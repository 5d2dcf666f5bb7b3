import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileFingerprint } from '../../../electron/engine/sources/index.ts';
import { collect, tempDir } from './collect.ts';

const LINUX = '/work/shared/data/loghub/Linux/Linux_2k.log';
let dir: string;
let cleanup: () => Promise<void>;
let syslog: string;

const sh = (cmd: string, args: string[], cwd = dir): void => {
  execFileSync(cmd, args, { cwd, stdio: 'ignore' });
};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  syslog = (await readFile(LINUX, 'utf8')).split('\n').slice(0, 200).join('\n') + '\n';
  // A fake /var/log: text logs, a compressed rotation, and binaries that must be skipped by content.
  const log = join(dir, 'root/var/log');
  await mkdir(log, { recursive: true });
  await writeFile(join(log, 'syslog'), syslog);
  await writeFile(join(log, 'dpkg.log'), '2024-01-02 10:00:00 startup archives unpack\n');
  await writeFile(join(log, 'auth.log.2.gz'), gzipSync('Jan  1 00:00:01 host sshd[1]: Accepted publickey\n'));
  const wtmp = Buffer.alloc(384 * 4);
  wtmp.write('pts/0', 8);
  await writeFile(join(log, 'wtmp'), wtmp);
  await writeFile(
    join(log, 'system.journal'),
    Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(200, 1)]),
  );
  await writeFile(join(log, 'screen.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  sh('tar', ['cf', '../varlog.tar', 'var'], join(dir, 'root'));
  sh('tar', ['czf', '../varlog.tar.gz', 'var'], join(dir, 'root'));
  sh('tar', ['czf', '../varlog.tgz', 'var'], join(dir, 'root'));
  sh('zip', ['-qr', '../varlog.zip', 'var'], join(dir, 'root'));
  // Nested: inner.log.gz inside mid.tar inside outer.zip.
  await mkdir(join(dir, 'nest'));
  await writeFile(join(dir, 'nest/inner.log'), 'nested line 1\nnested line 2\n');
  sh('gzip', ['inner.log'], join(dir, 'nest'));
  sh('tar', ['cf', 'mid.tar', 'inner.log.gz'], join(dir, 'nest'));
  sh('zip', ['-q', 'outer.zip', 'mid.tar'], join(dir, 'nest'));
  // Single compressed logs.
  await mkdir(join(dir, 'single'));
  await writeFile(join(dir, 'single/syslog.2'), syslog);
  await writeFile(join(dir, 'single/kern.log'), syslog);
  sh('gzip', ['syslog.2'], join(dir, 'single'));
  sh('bzip2', ['kern.log'], join(dir, 'single'));
});
afterAll(() => cleanup());

describe('expandInputs', () => {
  it('walks a folder recursively in sorted order, skipping dot-folders and naming binaries as skipped', async () => {
    await mkdir(join(dir, 'root/.git'), { recursive: true });
    await writeFile(join(dir, 'root/.git/HEAD'), 'ref: refs/heads/main\n');
    const r = await collect([join(dir, 'root')]);
    const log = join(dir, 'root/var/log');
    expect(r.items.map((i) => i.uri)).toEqual([
      join(log, 'auth.log.2.gz'),
      join(log, 'dpkg.log'),
      join(log, 'syslog'),
    ]);
    expect(r.items[0].text).toBe('Jan  1 00:00:01 host sshd[1]: Accepted publickey\n');
    expect(r.items[2].text).toBe(syslog);
    expect(r.skipped.map((s) => [s.uri.slice(log.length + 1), s.reason])).toEqual([
      ['screen.png', 'binary (PNG image)'],
      ['system.journal', 'binary (systemd journal)'],
      ['wtmp', 'binary (utmp/wtmp login records)'],
    ]);
    expect(r.errors).toEqual([]);
  });

  it('expands globs with *, ?, [..] and **', async () => {
    const star = await collect([join(dir, 'single/*.gz')]);
    expect(star.items.map((i) => i.uri)).toEqual([join(dir, 'single/syslog.2.gz')]);
    const deep = await collect([join(dir, 'root/**/[sd]*.lo?')]);
    expect(deep.items.map((i) => i.uri)).toEqual([join(dir, 'root/var/log/dpkg.log')]);
    const none = await collect([join(dir, 'single/*.nothing')]);
    expect(none.errors).toEqual([
      { uri: join(dir, 'single/*.nothing'), reason: 'no files match this pattern', severity: 'error' },
    ]);
  });

  it('reads standard input, plain or gzip-compressed', async () => {
    const plain = await collect(['-'], { stdin: Readable.from([Buffer.from('a\n'), Buffer.from('b\n')]) });
    expect(plain.items).toEqual([{ uri: 'stdin:', kind: 'stdin', text: 'a\nb\n' }]);
    const gz = await collect(['-'], { stdin: Readable.from([gzipSync(syslog)]) });
    expect(gz.items).toEqual([{ uri: 'stdin:', kind: 'stdin', text: syslog }]);
  });

  it('streams .gz and .bz2 logs under their own URI with exact contents', async () => {
    const r = await collect([join(dir, 'single')]);
    expect(r.items).toEqual([
      { uri: join(dir, 'single/kern.log.bz2'), kind: 'file', text: syslog },
      { uri: join(dir, 'single/syslog.2.gz'), kind: 'file', text: syslog },
    ]);
  });

  for (const name of ['varlog.tar', 'varlog.tar.gz', 'varlog.tgz', 'varlog.zip']) {
    it(`yields the text members of ${name} and names each binary member as skipped`, async () => {
      const top = join(dir, name);
      const r = await collect([top]);
      const byUri = Object.fromEntries(r.items.map((i) => [i.uri, i.text]));
      expect(Object.keys(byUri).sort()).toEqual(
        ['auth.log.2.gz', 'dpkg.log', 'syslog'].map((m) => `${top}!/var/log/${m}`),
      );
      expect(byUri[`${top}!/var/log/syslog`]).toBe(syslog);
      expect(byUri[`${top}!/var/log/auth.log.2.gz`]).toBe(
        'Jan  1 00:00:01 host sshd[1]: Accepted publickey\n',
      );
      expect(r.items.every((i) => i.kind === 'archive-member')).toBe(true);
      expect(r.skipped.map((s) => `${s.uri.slice(top.length)} ${s.reason}`).sort()).toEqual([
        '!/var/log/screen.png binary (PNG image)',
        '!/var/log/system.journal binary (systemd journal)',
        '!/var/log/wtmp binary (utmp/wtmp login records)',
      ]);
      expect([...r.errors, ...r.readErrors]).toEqual([]);
    });
  }

  it('reads a .gz inside a .tar inside a .zip', async () => {
    const top = join(dir, 'nest/outer.zip');
    const r = await collect([top]);
    expect(r.items).toEqual([
      {
        uri: `${top}!/mid.tar!/inner.log.gz`,
        kind: 'archive-member',
        text: 'nested line 1\nnested line 2\n',
      },
    ]);
  });

  it('reads a zip inside a tar.gz through a temporary spill that is removed afterwards', async () => {
    await mkdir(join(dir, 'spill'));
    await mkdir(join(dir, 'zipintar'));
    sh('cp', [join(dir, 'nest/outer.zip'), join(dir, 'zipintar/outer.zip')]);
    sh('tar', ['czf', '../zipintar.tgz', 'outer.zip'], join(dir, 'zipintar'));
    const top = join(dir, 'zipintar.tgz');
    const r = await collect([top], { tempDir: join(dir, 'spill') });
    expect(r.items).toEqual([
      {
        uri: `${top}!/outer.zip!/mid.tar!/inner.log.gz`,
        kind: 'archive-member',
        text: 'nested line 1\nnested line 2\n',
      },
    ]);
    expect(await readdir(join(dir, 'spill'))).toEqual([]);
  });

  it('recognises archives by content, not by name', async () => {
    await writeFile(join(dir, 'bundle.dat'), await readFile(join(dir, 'varlog.tar.gz')));
    const r = await collect([join(dir, 'bundle.dat')]);
    expect(r.items.map((i) => i.uri)).toContain(`${join(dir, 'bundle.dat')}!/var/log/syslog`);
  });

  it('reports missing paths and skips links to folders, then goes on', async () => {
    await mkdir(join(dir, 'links'));
    await symlink(join(dir, 'root'), join(dir, 'links/to-root'));
    await writeFile(join(dir, 'links/real.log'), 'x\n');
    const r = await collect([join(dir, 'missing.log'), join(dir, 'links')]);
    expect(r.errors).toEqual([
      { uri: join(dir, 'missing.log'), reason: 'no such file or folder', severity: 'error' },
    ]);
    expect(r.skipped).toEqual([
      {
        uri: join(dir, 'links/to-root'),
        reason: 'symbolic link to a folder, not followed',
        severity: 'skipped',
      },
    ]);
    expect(r.items.map((i) => i.text)).toEqual(['x\n']);
  });

  it('ingests an empty file as an empty input', async () => {
    await writeFile(join(dir, 'empty.log'), '');
    const r = await collect([join(dir, 'empty.log')]);
    expect(r.items).toEqual([{ uri: join(dir, 'empty.log'), kind: 'file', text: '' }]);
  });

  it('fingerprints by size, mtime and head/tail content', async () => {
    const a = join(dir, 'fp-a.log');
    const b = join(dir, 'fp-b.log');
    await writeFile(a, 'x'.repeat(10000));
    await writeFile(b, 'x'.repeat(9999) + 'y');
    const fa = await fileFingerprint(a);
    expect(fa).toMatch(/^10000:\d+:[0-9a-f]{40}$/);
    expect(await fileFingerprint(a)).toBe(fa);
    expect((await fileFingerprint(b)).split(':')[2]).not.toBe(fa.split(':')[2]);
  });
});

describe('known binary log files', () => {
  it('names an empty wtmp, lastlog and a journal file as binary, not as empty text', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      for (const f of ['wtmp', 'btmp.1', 'lastlog', 'system@0001.journal']) await writeFile(join(dir, f), '');
      await writeFile(join(dir, 'syslog'), 'Jun 14 15:16:01 combo sshd[1]: hello\n');
      const got = await collect([dir]);
      expect(got.items.map((i) => i.uri)).toEqual([join(dir, 'syslog')]);
      expect(got.skipped.map((k) => `${k.uri.slice(dir.length + 1)}: ${k.reason}`).sort()).toEqual([
        'btmp.1: binary (utmp/wtmp login records)',
        'lastlog: binary (login records database)',
        'system@0001.journal: binary (systemd journal)',
        'wtmp: binary (utmp/wtmp login records)',
      ]);
    } finally {
      await cleanup();
    }
  });
});
