// Issue 2: hostile archives, binary files, invalid UTF-8 and a 100 MB line get clear errors or bounded handling,
// and the other sources in the same ingest still land.
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countOf, runFlumen, tempDir } from '../../helpers/cli.ts';

describe('bad input next to good input', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  const dir = path.join(tmp.dir, 'in');
  let out = '';
  let code: number | null = null;

  beforeAll(async () => {
    fs.mkdirSync(dir);
    const good = Array.from(
      { length: 500 },
      (_, i) => `2024-03-01T10:00:${String(i % 60).padStart(2, '0')}Z INFO good line ${i}`,
    );
    fs.writeFileSync(path.join(dir, 'good.log'), good.join('\n') + '\n');
    // Zip with a path-traversal entry next to a normal one.
    fs.writeFileSync(
      path.join(dir, 'traversal.zip'),
      zipSync({
        '../../evil.log': new TextEncoder().encode('evil\n'),
        'ok.log': new TextEncoder().encode('zip ok line\n'),
      }),
    );
    // Zip bomb: 300 MB of zeros compresses to a few hundred KB.
    fs.writeFileSync(
      path.join(dir, 'bomb.zip'),
      zipSync({ 'bomb.log': new Uint8Array(300 * 1024 * 1024) }, { level: 9 }),
    );
    // An executable-looking binary.
    fs.writeFileSync(
      path.join(dir, 'program.bin'),
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(4096, 1)]),
    );
    // Invalid UTF-8 inside otherwise normal lines.
    fs.writeFileSync(
      path.join(dir, 'latin1.log'),
      Buffer.concat([
        Buffer.from('2024-03-01T10:00:00Z WARN caf'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from(' invalid bytes\n'),
      ]),
    );
    // One 100 MB line followed by a normal one, written in chunks.
    const fd = fs.openSync(path.join(dir, 'huge-line.log'), 'w');
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 100; i++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '\n2024-03-01T10:00:01Z INFO after the huge line\n');
    fs.closeSync(fd);
    const r = await runFlumen(['ingest', '--workspace', ws, dir]);
    out = r.stdout + r.stderr;
    code = r.code;
  });
  afterAll(() => tmp.cleanup());

  it('exits non-zero and names each bad input with its reason', () => {
    expect(code).not.toBe(0);
    expect(out).toMatch(/evil\.log.*(\.\.|outside|traversal)/i);
    expect(out).toMatch(/bomb\.zip.*(ratio|cap|bomb|limit)/i);
    expect(out).toMatch(/program\.bin.*binary/i);
  });

  it('still ingests every good source', async () => {
    expect(await countOf(ws, 'source:*good.log')).toBe(500);
    expect(await countOf(ws, '"zip ok line"')).toBe(1);
    expect(await countOf(ws, '"after the huge line"')).toBe(1);
  });

  it('keeps a line with invalid UTF-8, with the bad bytes replaced', async () => {
    expect(await countOf(ws, '"invalid bytes"')).toBe(1);
    expect(out).toMatch(/invalid UTF-8/);
  });

  it('cuts the 100 MB line at the cap instead of holding it', async () => {
    expect(out).toMatch(/over-long lines cut/);
    expect(await countOf(ws, 'source:*huge-line.log')).toBe(2);
  });
});
