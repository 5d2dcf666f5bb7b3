import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines } from '../../../electron/engine/sources/index.ts';
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
    records.push(...b.records);
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

describe('readLines', () => {
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
      batches.push(b.records.length);
      if (b.records[0]?.text === 'a') expect(b.records[0]).toEqual({ text: 'a', offset: 100, line: 10 });
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
        records.push(...b.records);
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
