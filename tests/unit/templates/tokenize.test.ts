import { describe, expect, it } from 'vitest';
import { maskTokens } from '../../../shared/templates/index.ts';

function mask(message: string): string[] {
  const out: string[] = [];
  const n = maskTokens(message, out);
  return out.slice(0, n);
}

describe('maskTokens', () => {
  it('splits on runs of whitespace and keeps plain words', () => {
    expect(mask('  Receiving   block\tsrc ')).toEqual(['Receiving', 'block', 'src']);
  });

  it('masks numbers, IPs with ports, hex ids and UUIDs as whole variables', () => {
    expect(
      mask('size 67108864 from /10.250.19.102:54106 id 0x1F3a uuid 550e8400-e29b-41d4-a716-446655440000'),
    ).toEqual(['size', '<*>', 'from', '/<*>:<*>', 'id', '<*>', 'uuid', '<*>']);
    expect(mask('10.0.0.1 deadbeefcafe')).toEqual(['<*>', '<*>']);
  });

  it('masks dates, times and month or weekday names', () => {
    expect(mask('at Fri Jun 17 07:07:00 2005 on 2015-10-18')).toEqual([
      'at',
      '<*>',
      '<*>',
      '<*>',
      '<*>:<*>:<*>',
      '<*>',
      'on',
      '<*>',
    ]);
  });

  it('masks paths and URLs whole', () => {
    expect(mask("creating '/udev/sda' hdfs://host/a/b")).toEqual(['creating', '<*>', '<*>']);
  });

  it('keeps the constant part of block ids, key=value pairs and bracketed values', () => {
    expect(mask('blk_-1608999687919862906 rhost=218.188.2.4 (uid=0) user=root node-127')).toEqual([
      'blk_-<*>',
      'rhost=<*>',
      '(uid=<*>)',
      'user=root',
      'node-<*>',
    ]);
  });

  it('keeps words that merely contain a digit', () => {
    expect(mask('via interface alt0 ssh2 isBluetoothA2dpOn...')).toEqual([
      'via',
      'interface',
      'alt0',
      'ssh2',
      'isBluetoothA2dpOn...',
    ]);
  });

  it('reuses the output array and reports only the current count', () => {
    const out: string[] = [];
    expect(maskTokens('a b c d', out)).toBe(4);
    expect(maskTokens('x 1', out)).toBe(2);
    expect(out.slice(0, 2)).toEqual(['x', '<*>']);
  });
});
