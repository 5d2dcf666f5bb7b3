// The cheap tests in identifiers.ts decide, without a regex, which lines the key regexes (KEYED, TRACEPARENT) and
// the user-phrase regex run on and where the phrase regex starts. These lines sit on the edges of those tests:
// every character in and around the keys (case folding, JavaScript's \s, quotes), and phrases that overlap, repeat
// or name no user. Each must give exactly what the regex-only extraction gives (reference-identifiers.ts).
import { describe, expect, it } from 'vitest';
import { addIdentifierFields, extractIdentifiers } from '../../../shared/analysis/identifiers.ts';
import type { FieldValue } from '../../../shared/event.ts';
import { mulberry32 } from '../templates/edge-lines.ts';
import { referenceAddIdentifierFields, referenceExtractIdentifiers } from './reference-identifiers.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const KEY_LINES = [
  `trace_id=${TRACE}`,
  `trace-id: ${TRACE}`,
  `traceid=${TRACE}`,
  'x-request-id=abcd-1',
  'request_id = abcd-2',
  'request-id:abcd-3',
  'requestid="abcd-4"',
  'req_id=abcd-5',
  'req-id: abcd-6',
  'reqid=abcd-7',
  'user=carol',
  '"username": "dave"',
  `traceparent: 00-${TRACE}-00f067aa0ba902b7-01`,
  `"traceparent"= 00-${TRACE}-00f067aa0ba902b7-01`,
];

/** Code units worth putting anywhere: ASCII and Latin-1, the \s set, and letters that case-fold oddly. */
const ODD_UNITS = [
  ...Array.from({ length: 0x180 }, (_, i) => i),
  0x1680,
  ...Array.from({ length: 11 }, (_, i) => 0x2000 + i),
  0x2028,
  0x2029,
  0x202f,
  0x205f,
  0x3000,
  0xfeff,
  0x200b, // zero-width space: not \s
  0x0130, // İ
  0x0131, // ı
  0x017f, // ſ (upper-cases to S)
  0x212a, // Kelvin sign
  0xd800,
  0xdc00,
];

/** How many lines give fields other than the regex-only extraction's. */
function differences(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const a: Record<string, FieldValue> = { app: 'x' };
    const b: Record<string, FieldValue> = { app: 'x' };
    addIdentifierFields(line, a);
    referenceAddIdentifierFields(line, b);
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(line);
    if (JSON.stringify(extractIdentifiers(line)) !== JSON.stringify(referenceExtractIdentifiers(line)))
      out.push(line);
  }
  return out;
}

describe('identifier pre-checks on the edges of the key and user-phrase regexes', () => {
  it('reads the same keys whatever character replaces, follows or precedes each character of a key', () => {
    const lines: string[] = [];
    for (const line of KEY_LINES) {
      const sep = line.search(/[=:]/);
      for (let at = 0; at <= sep; at++) {
        for (const u of ODD_UNITS) {
          const c = String.fromCharCode(u);
          lines.push(line.slice(0, at) + c + line.slice(at + 1)); // replaced
          lines.push(line.slice(0, at) + c + line.slice(at)); // inserted
        }
      }
    }
    expect(lines.length).toBeGreaterThan(100_000);
    expect(differences(lines)).toEqual([]);
  });

  it('takes exactly JavaScript white space between a key, its quote and its = or :', () => {
    const lines: string[] = [];
    for (let u = 0; u < 0x10000; u++) {
      const c = String.fromCharCode(u);
      lines.push(`user${c}=bob`, `"trace_id"${c}: "${TRACE}"`, `x-request-id'${c}${c}=abcd`);
    }
    expect(differences(lines)).toEqual([]);
    expect(extractIdentifiers('user\u3000=bob').user).toBe('bob');
    expect(extractIdentifiers('user\u200b=bob').user).toBeUndefined();
  });

  it('finds keys in any case, and no key in look-alikes', () => {
    expect(extractIdentifiers('TRACE_ID=4BF92F3577B34DA6 ReQ-Id: r-7788')).toEqual({
      trace: '4bf92f3577b34da6',
      request: 'r-7788',
    });
    expect(extractIdentifiers('uid=0 pid=12 status=200 user_agent=curl Username: eve')).toEqual({
      user: 'eve',
    });
    expect(differences(['uid=0 pid=12 status=200 user_agent=curl Username: eve', 'reqid=\u017fx'])).toEqual(
      [],
    );
  });

  it('reads the first user phrase that matches, however phrases overlap, repeat or name no user', () => {
    const pieces = [
      'for ',
      'For ',
      'xfor ',
      'Invalid user ',
      'invalid user ',
      'Illegal user ',
      'illegal user ',
      'INVALID user ',
      'nvalid user ',
      'user ',
      'from',
      ' from',
      'from ',
      ' fromage',
      'root',
      'unknown',
      'Unknown',
      'NULL',
      'None',
      'nonE',
      'n/a',
      '-',
      'a.b@c$d-e_f',
      ' ',
      '  ',
      'r ',
      'fo',
      'er ',
      '.',
      '1.2.3.4',
      'é',
      'invalid',
      'illegal',
    ];
    const rnd = mulberry32(7);
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      let s = '';
      const n = 1 + Math.floor(rnd() * 9);
      for (let j = 0; j < n; j++) s += pieces[Math.floor(rnd() * pieces.length)];
      lines.push(s);
    }
    expect(differences(lines)).toEqual([]);
    expect(lines.filter((l) => extractIdentifiers(l).user !== undefined).length).toBeGreaterThan(10_000);
  });

  it('names the user of each sshd phrase, and none for the placeholder names', () => {
    const cases: [string, string | undefined][] = [
      ['Failed password for invalid user admin from 1.2.3.4 port 22', 'admin'],
      ['Failed password for root from 1.2.3.4 port 22', 'root'],
      ['session opened for user deploy by (uid=0)', 'deploy'],
      ['Invalid user webmaster from 1.2.3.4', 'webmaster'],
      ['Illegal user from 1.2.3.4', undefined],
      ['error: for x from 10.0.0.9; Invalid user zed from 1.2.3.4', 'x'],
      ['error: for x from y; Invalid user zed from 1.2.3.4', 'zed'],
      ['pam: auth failed for unknown from 1.2.3.4', undefined],
      ['pam: auth failed for NULL from 1.2.3.4', undefined],
      ['pam: auth failed for - from 1.2.3.4', undefined],
      ['pam: auth failed for None from 1.2.3.4 user=ann', 'ann'],
      ['Connection closed by 1.2.3.4 [preauth] for user ann', 'ann'],
      ['waiting for 5 s before retrying', undefined],
      ['waiting for connections from clients', undefined],
      ['Accepted publickey for git from gw.example.com port 22 ssh2', 'git'],
      ['Failed password for root from gateway port 22', 'root'],
      ['Accepted password for ann from ::1 port 50022', 'ann'],
      ['performed for user', undefined],
    ];
    for (const [line, user] of cases) {
      expect(extractIdentifiers(line).user, line).toBe(user);
      expect(extractIdentifiers(line), line).toEqual(referenceExtractIdentifiers(line));
    }
  });
});
