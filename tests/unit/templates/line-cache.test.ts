import { describe, expect, it } from 'vitest';
import { LineCache } from '../../../shared/templates/line-cache.ts';
import { MaskedLine, maskLine } from '../../../shared/templates/index.ts';

function lineOf(message: string): MaskedLine {
  const line = new MaskedLine();
  maskLine(message, line);
  return line;
}

describe('LineCache', () => {
  it('returns the remembered answer for the same masked line while its leaf is unchanged', () => {
    const cache = new LineCache<string>(64);
    const leaf = { version: 3 };
    cache.set(lineOf('session opened for user 1000'), leaf, 3, 'T1');
    expect(cache.get(lineOf('session  opened for user 77'))).toBe('T1');
    expect(cache.get(lineOf('session closed for user 77'))).toBeNull();
  });

  it('lets an answer lapse once its leaf has changed', () => {
    const cache = new LineCache<string>(64);
    const leaf = { version: 0 };
    const line = lineOf('connect from 10.0.0.1');
    cache.set(line, leaf, 0, 'T1');
    leaf.version++;
    expect(cache.get(line)).toBeNull();
    cache.set(line, leaf, 1, 'T2');
    expect(cache.get(line)).toBe('T2');
  });

  it('keeps two lines of one set and replaces the one used least recently by a third', () => {
    const cache = new LineCache<string>(2); // one set of two slots: every line shares it
    const leaf = { version: 0 };
    const [a, b, c] = ['alpha 1', 'beta 2', 'gamma 3'].map(lineOf);
    cache.set(a, leaf, 0, 'A');
    cache.set(b, leaf, 0, 'B');
    expect(cache.get(a)).toBe('A');
    expect(cache.get(b)).toBe('B');
    expect(cache.get(a)).toBe('A'); // b is now the older
    cache.set(c, leaf, 0, 'C');
    expect([cache.get(a), cache.get(b), cache.get(c)]).toEqual(['A', null, 'C']);
  });

  it('does not keep masked lines longer than 512 code units', () => {
    const cache = new LineCache<string>(64);
    const long = lineOf('word '.repeat(103));
    expect(long.length).toBeGreaterThan(512);
    cache.set(long, { version: 0 }, 0, 'T');
    expect(cache.get(long)).toBeNull();
  });

  it('keeps nothing when it has no slots', () => {
    const cache = new LineCache<string>(0);
    const line = lineOf('a b c');
    cache.set(line, { version: 0 }, 0, 'T');
    expect(cache.get(line)).toBeNull();
  });
});
