import { describe, expect, it } from 'vitest';
import { firstIpv4 } from '../../../shared/analysis/ipv4.ts';
import { mulberry32 } from '../templates/edge-lines.ts';

/** What firstIpv4 must give: the regex loop it replaces. */
function byRegex(message: string): string | null {
  const re = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g;
  for (let m = re.exec(message); m; m = re.exec(message)) {
    if (+m[1] <= 255 && +m[2] <= 255 && +m[3] <= 255 && +m[4] <= 255) return m[0];
  }
  return null;
}

describe('firstIpv4', () => {
  it('takes the first address whose numbers are all at most 255', () => {
    expect(firstIpv4('from 256.1.1.1 then 10.0.0.1 and 10.0.0.2')).toBe('10.0.0.1');
    expect(firstIpv4('peer=010.002.3.4:80')).toBe('010.002.3.4');
    expect(firstIpv4('1.2.3.4')).toBe('1.2.3.4');
  });

  it('refuses numbers glued to letters, dots or more digits', () => {
    for (const s of [
      'v1.2.3.4',
      '1.2.3.4.5',
      '1.2.3',
      '1234.1.1.1',
      '1.1.1.1234',
      '1.2.3.4a',
      'x.1.2.3.4',
      '_1.2.3.4',
    ]) {
      expect(firstIpv4(s), s).toBeNull();
    }
    expect(firstIpv4('1.2.3.4. end')).toBe('1.2.3.4');
  });

  it('goes on after the whole of an address with a number above 255, as the regex does', () => {
    // The regex resumes after `300.1.1.1`; the `1.1.1.2` overlapping it is never tried.
    expect(firstIpv4('300.1.1.1.2 5.6.7.8')).toBe(byRegex('300.1.1.1.2 5.6.7.8'));
    expect(firstIpv4('999.9.9.9 1.1.1.1')).toBe('1.1.1.1');
  });

  it('agrees with the regex loop on generated digit-and-dot soup', () => {
    const rnd = mulberry32(42);
    const pieces = [
      ...[
        '1.',
        '12.',
        '123.',
        '1234.',
        '255.',
        '256.',
        '300.',
        '0.',
        '00.',
        '1',
        '12',
        '255',
        '256',
        '999',
        '1.2.3',
      ],
      ...['.', '..', ' ', 'a', '_', '-', ':', '/', '10.0.0.1', '.4', '4.'],
    ];
    let differ = 0;
    let found = 0;
    for (let i = 0; i < 50_000; i++) {
      let s = '';
      const n = 1 + Math.floor(rnd() * 16);
      for (let j = 0; j < n; j++) s += pieces[Math.floor(rnd() * pieces.length)];
      const want = byRegex(s);
      if (firstIpv4(s) !== want) differ++;
      if (want !== null) found++;
    }
    expect(differ).toBe(0);
    expect(found).toBeGreaterThan(1_000);
  });
});
