import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, unpackLines } from '../../../electron/engine/sources/index.ts';
import type { RawRecord } from '../../../electron/engine/sources/types.ts';
import { tempDir } from './collect.ts';

async function lines(
  chunks: Buffer[],
  opts = {},
): Promise<{ records: RawRecord[]; bytes: number; invalid: number }> {
  const records: RawRecord[] = [];
  let bytes = 0;
  let invalid = 0;
  for await (const b of readLines(Readable.from(chunks), opts)) {
    records.push(...unpackLines(b.lines));
    bytes += b.bytes;
    invalid += b.invalidUtf8;
  }
  return { records, bytes, invalid };
}

/** Every possible split point of one buffer into two chunks. */
function splits(buf: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let i = 0; i <= buf.length; i++) out.push([buf.subarray(0, i), buf.subarray(i)]);
  return out;
}

/** What readLines must give for `input`: split on '\n', one CR before it dropped, byte offsets, lines 1.. */
function reference(input: Buffer): RawRecord[] {
  const out: RawRecord[] = [];
  let start = 0;
  while (start < input.length) {
    let nl = input.indexOf(0x0a, start);
    const end = nl < 0 ? input.length : nl;
    const cut = end > start && input[end - 1] === 0x0d && nl >= 0 ? end - 1 : end;
    out.push({ text: input.toString('utf8', start, cut), offset: start, line: out.length + 1 });
    if (nl < 0) nl = input.length;
    start = nl + 1;
  }
  return out;
}

/** Deterministic chunkings of `input`: fixed sizes from tiny to whole, plus pseudo-random cuts. */
function chunkings(input: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (const size of [1, 7, 64, 1000, 65536, input.length || 1]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += size) chunks.push(input.subarray(i, i + size));
    out.push(chunks);
  }
  let seed = 11;
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length;) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const size = 1 + (seed % 3000);
    chunks.push(input.subarray(i, i + size));
    i += size;
  }
  out.push(chunks);
  return out;
}

describe('readLines', () => {
  it.each([
    [
      'ASCII lines',
      () => Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`).join('\n') + '\n',
    ],
    [
      'UTF-8 lines',
      () => Array.from({ length: 2000 }, (_, i) => `é ${i} 日本 🎉 ${'ü'.repeat(i % 13)}`).join('\n'),
    ],
    ['CRLF lines', () => Array.from({ length: 2000 }, (_, i) => `crlf ${i}`).join('\r\n') + '\r\n'],
    ['empty lines and a lone CR', () => '\n\n a\rb \n\n\nlast\n\n'.repeat(400)],
    [
      'mixed ASCII and UTF-8 chunks',
      () => Array.from({ length: 3000 }, (_, i) => (i % 500 < 250 ? `a${i}` : `ö${i}`)).join('\n'),
    ],
  ])('cuts %s in runs exactly as line by line, however the stream is chunked', async (_name, make) => {
    const input = Buffer.from(make());
    const want = reference(input);
    for (const chunks of chunkings(input)) {
      for (const batchLines of [1, 5, 4096]) {
        const { records, bytes } = await lines(chunks, { batchLines });
        expect(records).toEqual(want);
        expect(bytes).toBe(input.length);
      }
    }
  });

  it('strips CRLF, yields a final line without newline, and gives exact byte offsets and line numbers', async () => {
    const input = Buffer.from('first\r\nsecond line\n\nlast');
    for (const chunks of splits(input)) {
      const { records, bytes } = await lines(chunks);
      expect(records.map((r) => r.text)).toEqual(['first', 'second line', '', 'last']);
      expect(records.map((r) => r.offset)).toEqual([0, 7, 19, 20]);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4]);
      expect(bytes).toBe(input.length);
    }
  });

  it('decodes multibyte characters split across chunk boundaries', async () => {
    const input = Buffer.from('héllo wörld\n日本語のログ\n🎉 done\n');
    for (const chunks of splits(input)) {
      const { records, invalid } = await lines(chunks);
      expect(records.map((r) => r.text)).toEqual(['héllo wörld', '日本語のログ', '🎉 done']);
      expect(records.map((r) => r.offset)).toEqual([0, 14, 33]);
      expect(invalid).toBe(0);
    }
  });

  it('replaces and counts invalid UTF-8 but not a literal U+FFFD', async () => {
    const input = Buffer.concat([
      Buffer.from('ok\nbad '),
      Buffer.from([0xff, 0x41, 0xc3]),
      Buffer.from('\nlit \uFFFD\n'),
    ]);
    const { records, invalid } = await lines([input]);
    expect(records.map((r) => r.text)).toEqual(['ok', 'bad \uFFFDA\uFFFD', 'lit \uFFFD']);
    expect(invalid).toBe(2);
  });

  it('honours startOffset, startLine and batch sizes', async () => {
    const input = Buffer.from('a\nb\nc\nd\ne\n');
    const batches: number[] = [];
    for await (const b of readLines(Readable.from([input]), {
      batchLines: 2,
      startOffset: 100,
      startLine: 10,
    })) {
      const recs = unpackLines(b.lines);
      batches.push(recs.length);
      if (recs[0]?.text === 'a') expect(recs[0]).toEqual({ text: 'a', offset: 100, line: 10 });
    }
    expect(batches).toEqual([2, 2, 1]);
  });

  it('cuts a line at maxLineBytes without splitting a character and keeps the next lines', async () => {
    const long = 'é'.repeat(10); // 20 bytes
    const { records, invalid } = await lines([Buffer.from(`${long}\nafter\n`)], { maxLineBytes: 7 });
    expect(records[0]).toEqual({ text: 'ééé', offset: 0, line: 1, truncated: true });
    expect(records[1]).toEqual({ text: 'after', offset: 21, line: 2 });
    expect(invalid).toBe(0);
  });

  describe('a 100 MB single line', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir());
    });
    afterAll(() => cleanup());

    it('gives one truncated record, keeps memory bounded and the lines after it intact', async () => {
      const file = join(dir, 'huge.log');
      const ws = createWriteStream(file);
      ws.write('before\n');
      const block = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 100; i++) if (!ws.write(block)) await once(ws, 'drain');
      ws.write('\nafter 1\nafter 2\n');
      ws.end();
      await once(ws, 'finish');

      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      let peak = 0;
      const records: RawRecord[] = [];
      for await (const b of readLines(createReadStream(file), { maxLineBytes: 1024 * 1024 })) {
        records.push(...unpackLines(b.lines));
        peak = Math.max(peak, process.memoryUsage().rss - rss0);
      }
      expect(records.map((r) => [r.text.length, r.line, r.truncated ?? false])).toEqual([
        [6, 1, false],
        [1024 * 1024, 2, true],
        [7, 3, false],
        [7, 4, false],
      ]);
      expect(records[2].offset).toBe(7 + 100 * 1024 * 1024 + 1);
      expect(records[3].text).toBe('after 2');
      expect(peak).toBeLessThan(40 * 1024 * 1024);
    });
  });
});
