// Counts and sizes read the same on the command line and in the app (shared/quantities.ts serves both).
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../../shared/quantities.ts';

describe('counts and sizes as a person reads them', () => {
  it('groups thousands and rounds rates to whole events', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(146_201.6)).toBe('146,202');
  });

  it('gives bytes below 1 KiB as they are, one decimal below 10 of a unit, none above', () => {
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(90.4 * 1024 * 1024)).toBe('90 MiB');
    expect(formatBytes(9.5 * 1024 ** 3)).toBe('9.5 GiB');
    expect(formatBytes(3 * 1024 ** 5)).toBe('3072 TiB');
  });
});
