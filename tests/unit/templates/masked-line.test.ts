import { describe, expect, it } from 'vitest';
import { lineTokens, MaskedLine, maskLine, maskTokens } from '../../../shared/templates/index.ts';
import { edgeLines, loghubLines } from './edge-lines.ts';
import { referenceMaskTokens } from './reference-tokenize.ts';

function masked(message: string): { text: string; hash: number } {
  const line = new MaskedLine();
  maskLine(message, line);
  return { text: String.fromCharCode(...line.codes.subarray(0, line.length)), hash: line.hash };
}

describe('maskLine', () => {
  it('masks every Loghub line and generated edge case exactly as the string-building reference', () => {
    const lines = [...loghubLines(), ...edgeLines(20_000, 5)];
    const got: string[] = [];
    const want: string[] = [];
    let differ = 0;
    for (const message of lines) {
      const n = maskTokens(message, got);
      const m = referenceMaskTokens(message, want);
      if (n !== m || got.slice(0, n).join('\u0001') !== want.slice(0, m).join('\u0001')) differ++;
    }
    expect(differ).toBe(0);
  });

  it('writes the masked tokens joined by one space, and gives lines of one masked form one hash', () => {
    const a = masked('Failed password for root from 10.0.0.1 port 22 ssh2');
    const b = masked('Failed  password for root\tfrom 192.168.7.200 port 60222 ssh2 ');
    expect(a.text).toBe('Failed password for root from <*> port <*> ssh2');
    expect(b).toEqual(a);
    expect(masked('Failed password for admin from 10.0.0.1 port 22 ssh2').text).not.toBe(a.text);
  });

  it('keeps non-ASCII text and lone surrogates as they are', () => {
    expect(masked('Größe 12 \ud800x 日本').text).toBe('Größe <*> \ud800x 日本');
  });

  it('grows its buffer for a line whose masked form is three times as long as the line', () => {
    const message = `a${'1,'.repeat(50_000)}`;
    const out: string[] = [];
    expect(maskTokens(message, out)).toBe(1);
    expect(out[0]).toBe(`<*>,${'<*>,'.repeat(49_999)}`);
    const want: string[] = [];
    referenceMaskTokens(message, want);
    expect(out[0]).toBe(want[0]);
  });

  it('reads back no tokens from an empty or blank line', () => {
    const line = new MaskedLine();
    for (const message of ['', '   ', '\t\n']) {
      maskLine(message, line);
      expect(line.length).toBe(0);
      expect(lineTokens(message, line, [])).toBe(0);
    }
  });
});
