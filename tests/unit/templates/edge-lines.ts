// Seeded generated lines for differential tests: Loghub lines as they are, plus lines glued together from pieces that
// sit on the edges of masking and identifier extraction (numbers and hex next to delimiters and joiners, ids, IPs,
// keys with odd spacing and case, non-ASCII text and lone surrogates, random characters).
import fs from 'node:fs';
import path from 'node:path';
import { LOGHUB } from '../../helpers/cli.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every line of every Loghub 2k raw log. */
export function loghubLines(): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(LOGHUB).sort()) {
    const file = path.join(LOGHUB, d, `${d}_2k.log`);
    if (fs.existsSync(file)) out.push(...fs.readFileSync(file, 'utf8').split(/\r?\n/));
  }
  return out;
}

const PIECES = [
  ...[
    'blk_',
    'blk_-12',
    'xblk_3',
    '123',
    '0',
    '007',
    '-',
    '--',
    '_',
    '.',
    '..',
    ',',
    ';',
    '=',
    ':',
    '::',
    '/',
    '//',
  ],
  ...[
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '"',
    "'",
    '<',
    '>',
    '@',
    '#',
    '&',
    '?',
    '|',
    '<*>',
    ' ',
    '  ',
    '\t',
    '\u00a0',
  ],
  ...[
    '\u2003',
    'deadbeef',
    'deadbeefcafe',
    'DEADBEEF12',
    'cafe',
    'A2dp',
    'ssh2',
    'eth0',
    'x86_64',
    '0x1F',
    'v1.2',
  ],
  ...[
    'Jan',
    'Mon',
    'Sun',
    'Jun',
    'jan',
    'JAN',
    '/a/b',
    'http://h/p',
    'a/b',
    '1/5',
    'é',
    'ü1',
    '日本',
    '\ud800',
    '\udc00',
  ],
  ...['550e8400-e29b-41d4-a716-446655440000', 'ABCDEF12-3456-7890-ABCD-EF1234567890', '4bf92f35-77b3-4da6'],
  ...[
    'trace',
    'Trace_Id',
    'TRACE-ID',
    'traceid',
    'traceparent',
    'TraceParent: ',
    '00-',
    '-01',
    'req',
    'REQ_ID',
  ],
  ...[
    'request-id',
    'x-request-id',
    'X-Request-ID',
    'requestid',
    'user',
    'User',
    'USERNAME',
    'usereq_id=',
    'for ',
  ],
  ...[
    'for user ',
    'from ',
    ' from',
    'Invalid user ',
    'nvalid user ',
    'illegal user ',
    'invalid',
    'unknown',
    'n/a',
  ],
  ...[
    '1.2.3.4',
    '10.0.0.1',
    '256.1.1.1',
    '1.2.3',
    'v1.2.3.4',
    '1.2.3.4.5',
    '1234.5.6.7',
    'fe80::1',
    '::1',
    'std::x',
  ],
  ...[
    '1:2:3:4:5:6:7:8',
    'a:b:c:d:e:f:1:2',
    '00:1a:2b:3c:4d:5e',
    'root',
    'bob',
    'rhost=',
    'uid=0',
    '4bf92f3577b34da6',
  ],
];

/** `count` lines glued from PIECES, and a tenth as many of random characters. */
export function edgeLines(count: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 14);
    for (let j = 0; j < n; j++) s += PIECES[Math.floor(rnd() * PIECES.length)];
    out.push(s);
  }
  for (let i = 0; i < count / 10; i++) {
    let s = '';
    const n = Math.floor(rnd() * 40);
    for (let j = 0; j < n; j++) {
      s += String.fromCharCode(rnd() < 0.9 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 0x10000));
    }
    out.push(s);
  }
  return out;
}
