import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import tarStream from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, tempDir } from './collect.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function writeTar(
  path: string,
  entries: Array<{ name: string; body?: string; type?: 'symlink'; linkname?: string }>,
) {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else pack.entry({ name: e.name }, e.body ?? '');
  }
  pack.finalize();
  await once(pack, 'end');
  await writeFile(path, Buffer.concat(chunks));
}

/** A zip holding `mb` MiB of one repeated text line (zeros would be skipped as binary) deflated at level 9, written in 1 MiB steps (never whole in memory). */
async function writeZeroZip(path: string, mb: number): Promise<void> {
  const ws = createWriteStream(path);
  const zip = new Zip((err, data) => {
    if (err) throw err;
    ws.write(data);
  });
  const member = new ZipDeflate('zeros.log', { level: 9 });
  zip.add(member);
  const block = Buffer.alloc(1024 * 1024, 'bomb line\n');
  for (let i = 0; i < mb; i++) member.push(block, i === mb - 1);
  zip.end();
  ws.end();
  await once(ws, 'finish');
}

describe('hostile and broken inputs', () => {
  it('refuses tar entries with .. or absolute paths, names them, and still yields the other members', async () => {
    const tar = join(dir, 'evil.tar');
    await writeTar(tar, [
      { name: '../../etc/evil', body: 'pwned\n' },
      { name: 'good.log', body: 'fine\n' },
      { name: '/abs/evil', body: 'pwned\n' },
      { name: 'later.log', body: 'also fine\n' },
    ]);
    const r = await collect([tar]);
    expect(r.errors).toEqual([
      { uri: `${tar}!/../../etc/evil`, reason: 'path escapes the archive (..), refused', severity: 'error' },
      { uri: `${tar}!//abs/evil`, reason: 'absolute path in archive, refused', severity: 'error' },
    ]);
    expect(r.items.map((i) => [i.uri, i.text])).toEqual([
      [`${tar}!/good.log`, 'fine\n'],
      [`${tar}!/later.log`, 'also fine\n'],
    ]);
    // Nothing was written next to the archive or above it.
    expect((await readdir(dir)).sort()).toEqual(['evil.tar']);
  });

  it('refuses a zip entry climbing out with .. and keeps the other members', async () => {
    const zip = join(dir, 'evil.zip');
    await writeFile(
      zip,
      zipSync({ '../../evil.log': Buffer.from('pwned\n'), 'ok.log': Buffer.from('ok\n') }),
    );
    const r = await collect([zip]);
    expect(r.errors).toEqual([
      { uri: `${zip}!/../../evil.log`, reason: 'path escapes the archive (..), refused', severity: 'error' },
    ]);
    expect(r.items.map((i) => [i.uri, i.text])).toEqual([[`${zip}!/ok.log`, 'ok\n']]);
  });

  it('skips a symlink member of a tar', async () => {
    const tar = join(dir, 'link.tar');
    await writeTar(tar, [
      { name: 'shadow', type: 'symlink', linkname: '/etc/shadow' },
      { name: 'app.log', body: 'hello\n' },
    ]);
    const r = await collect([tar]);
    expect(r.skipped).toEqual([
      {
        uri: `${tar}!/shadow`,
        reason: 'symbolic link in archive (to /etc/shadow), not followed',
        severity: 'skipped',
      },
    ]);
    expect(r.items.map((i) => i.text)).toEqual(['hello\n']);
  });

  it('stops a zip bomb at the ratio cap with bounded memory, and the next input is still read', async () => {
    const bomb = join(dir, 'bomb.zip');
    await writeZeroZip(bomb, 64);
    const next = join(dir, 'next.log');
    await writeFile(next, 'next input\n');
    const r = await collect([bomb, next], { maxRatio: 100 }, false);
    expect(r.readErrors).toHaveLength(1);
    expect(r.readErrors[0].uri).toBe(`${bomb}!/zeros.log`);
    expect(r.readErrors[0].reason).toMatch(/maxRatio/);
    expect(r.items.map((i) => i.uri)).toEqual([next]);
    expect(r.peakRssGrowth).toBeLessThan(60 * 1024 * 1024);
  });

  it('stops expansion at the total-bytes cap inside a tar.gz and reports the archive', async () => {
    const tgz = join(dir, 'big.tar.gz');
    const pack = tarStream.pack();
    const chunks: Buffer[] = [];
    pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
    pack.entry({ name: 'a.log' }, 'x\n'.repeat(3 * 1024 * 1024));
    pack.entry({ name: 'b.log' }, 'after\n');
    pack.finalize();
    await once(pack, 'end');
    await writeFile(tgz, gzipSync(Buffer.concat(chunks), { level: 9 }));
    const r = await collect(
      [tgz, join(dir, 'next.log')],
      { maxArchiveBytes: 1024 * 1024, maxRatio: 1e9 },
      false,
    );
    expect(r.readErrors.map((e) => e.uri)).toEqual([`${tgz}!/a.log`]);
    expect(r.readErrors[0].reason).toMatch(/maxArchiveBytes/);
    expect(r.errors.map((e) => e.uri)).toEqual([tgz]);
    expect(r.errors[0].reason).toMatch(/maxArchiveBytes/);
    expect(r.items.map((i) => i.uri)).toEqual([join(dir, 'next.log')]);
  });

  it('gives a clear error for a truncated .gz and for a .zip that is not a zip, then goes on', async () => {
    const gz = gzipSync('line one\nline two\n'.repeat(5000));
    const truncated = join(dir, 'cut.log.gz');
    await writeFile(truncated, gz.subarray(0, gz.length >> 1));
    const fake = join(dir, 'fake.zip');
    await writeFile(fake, 'I am plain text\n');
    const ok = join(dir, 'ok2.log');
    await writeFile(ok, 'fine\n');
    const r = await collect([truncated, fake, ok], {}, false);
    expect(r.readErrors).toEqual([
      { uri: truncated, reason: 'corrupt or truncated gzip data (unexpected end of file)' },
    ]);
    expect(r.errors).toEqual([
      { uri: fake, reason: 'named like a zip file but is not one (content is text)', severity: 'error' },
    ]);
    expect(r.items.map((i) => i.uri)).toEqual([truncated, ok].slice(1));
  });

  it('reports a truncated tar and a zip with a broken directory as errors', async () => {
    const tar = join(dir, 'good.tar');
    await writeTar(tar, [{ name: 'a.log', body: 'a\n'.repeat(2000) }]);
    const whole = await readFile(tar);
    const cutTar = join(dir, 'cut.tar');
    await writeFile(cutTar, whole.subarray(0, 1500));
    const cutZip = join(dir, 'cut.zip');
    await writeFile(cutZip, zipSync({ 'a.log': Buffer.from('a\n'.repeat(2000)) }).subarray(0, 60));
    const r = await collect([cutTar, cutZip], {}, false);
    // The member fails while being sniffed, so it is reported as an error item rather than as a read error.
    expect(r.errors.map((e) => e.uri)).toEqual([`${cutTar}!/a.log`, cutTar, cutZip]);
    expect(r.errors[1].reason).toBe(
      'stopped reading the tar archive: corrupt or truncated tar (Unexpected end of data)',
    );
    expect(r.errors[2].reason).toMatch(/not a valid zip archive/);
    expect(r.items).toEqual([]);
  });

  it('refuses archives nested deeper than maxDepth', async () => {
    const inner = gzipSync(gzipSync(gzipSync('deep\n')));
    const f = join(dir, 'deep.log.gz');
    await writeFile(f, inner);
    const r = await collect([f], { maxDepth: 2 });
    expect(r.errors).toEqual([
      { uri: f, reason: 'archives nested deeper than 2 levels (maxDepth)', severity: 'error' },
    ]);
    const ok = await collect([f], { maxDepth: 3 });
    expect(ok.items.map((i) => i.text)).toEqual(['deep\n']);
  });
});
