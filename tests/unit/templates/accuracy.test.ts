import { describe, expect, it } from 'vitest';
import { csvRecords, groupingAccuracy, parseCsv } from '../../../shared/templates/index.ts';

describe('groupingAccuracy', () => {
  it('is 1 when the grouping equals the truth, whatever the labels', () => {
    expect(groupingAccuracy([7, 7, 9], ['A', 'A', 'B'])).toBe(1);
  });

  it('counts every line of a predicted group that mixes two truth events as wrong', () => {
    // Lines 0-2 are grouped together but line 2 belongs to B: none of the three is correct; line 3 is.
    expect(groupingAccuracy([1, 1, 1, 2], ['A', 'A', 'B', 'C'])).toBe(0.25);
  });

  it('counts the lines of a truth event split over two groups as wrong', () => {
    // A is split over groups 1 and 2; B alone in group 3 is correct.
    expect(groupingAccuracy([1, 2, 3, 3], ['A', 'A', 'B', 'B'])).toBe(0.5);
  });

  it('is 0 when everything lands in one group over several events', () => {
    expect(groupingAccuracy([1, 1, 1, 1], ['A', 'B', 'C', 'D'])).toBe(0);
  });

  it('rejects inputs of different lengths', () => {
    expect(() => groupingAccuracy([1], ['A', 'B'])).toThrow(/1 predictions, 2 truths/);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks, with CRLF rows', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\r\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
  });

  it('maps rows to records by header', () => {
    expect(csvRecords('LineId,Content\n1,"acquire lock=1, flags=0x1"\n')).toEqual([
      { LineId: '1', Content: 'acquire lock=1, flags=0x1' },
    ]);
  });
});
