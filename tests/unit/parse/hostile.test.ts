// Hostile input: garbage, broken encodings and huge lines must neither throw nor take super-linear time.
import { describe, expect, it } from 'vitest';
import { listFormats } from '../../../electron/engine/parse/index.ts';
import { parseLines } from './run-lines.ts';

function garbage(seed: number, length: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += String.fromCharCode(x % 3 === 0 ? 0xfffd : x % 256);
  }
  return s;
}

describe('hostile input', () => {
  it('parses binary-ish garbage and replacement characters without throwing, one event per line', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      garbage(i + 1, 50 + (i % 300)).replace(/[\r\n]/g, ' '),
    );
    for (const f of listFormats()) {
      const { events } = parseLines(lines, { format: f.name });
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThanOrEqual(lines.length);
    }
    const { parser, events } = parseLines(lines);
    expect(parser.format).toBe('text');
    expect(events.length).toBe(lines.filter((l) => l.length > 0).length);
  });

  it('handles a 5 MB line in every format (anchored regexes, bounded look-ahead)', () => {
    const huge = [
      'Jun 14 15:16:01 host app: ' + 'a'.repeat(5_000_000),
      '2024-01-01 00:00:00 ' + '9'.repeat(5_000_000),
      '[Sun Dec 04 04:47:44 2005] [error] ' + '['.repeat(5_000_000),
      '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "' + '\\"'.repeat(2_500_000),
      '{"msg":"' + 'x'.repeat(5_000_000) + '"}',
      'k=' + '"'.repeat(5_000_000),
      ' '.repeat(5_000_000),
      '1'.repeat(5_000_000),
    ];
    for (const f of listFormats()) {
      const { events } = parseLines(huge, { format: f.name });
      expect(events.length).toBeGreaterThan(0);
    }
    const { events } = parseLines(huge);
    expect(events.length).toBeGreaterThan(0);
  });
});
