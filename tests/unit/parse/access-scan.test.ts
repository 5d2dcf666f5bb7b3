// The hand-written access-log scanner: the tricky lines it must read (or reject) exactly as the regular
// expressions it replaced did, and a randomized comparison against those expressions kept here as the reference.
import { describe, expect, it } from 'vitest';
import type { LineParser, LineResult } from '../../../electron/engine/parse/format.ts';
import { isJsSpace } from '../../../shared/words.ts';
import { accessCombined, accessCommon } from '../../../electron/engine/parse/formats/access.ts';
import { fractionMs, MONTHS, SourceClock } from '../../../electron/engine/parse/time-zone.ts';

const MTIME = Date.UTC(2024, 5, 30);
const combined = (): LineParser => accessCombined.create([], new SourceClock('UTC', MTIME));
const common = (): LineParser => accessCommon.create([], new SourceClock('UTC', MTIME));

const TIME = '[10/Oct/2000:13:55:36 -0700]';
const T_MS = Date.UTC(2000, 9, 10, 20, 55, 36);

// The grammar as it was written before the scanner, and the event it gave: the reference for the comparisons.
const HEAD =
  '^(\\S{1,255}) (\\S{1,128}) (\\S{1,255}) \\[(\\d{2})/([A-Z][a-z]{2})/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))? ?([+-]\\d{4})?\\] "((?:[^"\\\\]|\\\\.){0,65536})" (\\d{3}) (\\d{1,15}|-)';
const COMMON_RE = new RegExp(`${HEAD}(?: (\\d{1,9}(?:\\.\\d{1,6})?))?$`);
const COMBINED_RE = new RegExp(
  `${HEAD} "((?:[^"\\\\]|\\\\.){0,65536})" "((?:[^"\\\\]|\\\\.){0,65536})"(?: (\\d{1,9}(?:\\.\\d{1,6})?))?`,
);
const REQUEST_RE = /^([A-Z]{1,16}) (\S+)(?: (\S+))?$/;

function referenceParser(isCombined: boolean): LineParser {
  const re = isCombined ? COMBINED_RE : COMMON_RE;
  const clock = new SourceClock('UTC', MTIME);
  return (line) => {
    const m = re.exec(line);
    if (!m) return null;
    const mo = MONTHS[m[5]];
    const zone = m[11];
    const off = zone
      ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
      : null;
    const ts = mo ? clock.toMs(+m[6], mo, +m[4], +m[7], +m[8], +m[9], fractionMs(m[10]), off) : null;
    const status = Number(m[13]);
    const fields: LineResult['fields'] = { client: m[1] };
    if (m[3] !== '-') fields.user = m[3];
    const req = REQUEST_RE.exec(m[12]);
    if (req) {
      fields.method = req[1];
      fields.path = req[2];
      if (req[3]) fields.protocol = req[3];
    } else {
      fields.request = m[12];
    }
    fields.status = status;
    fields.bytes = m[14] === '-' ? 0 : Number(m[14]);
    const rt = isCombined ? m[17] : m[15];
    if (isCombined) {
      if (m[15] !== '-') fields.referer = m[15];
      if (m[16] !== '-') fields.user_agent = m[16];
    }
    if (rt) fields.request_time = Number(rt);
    const severity = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    return { ts, host: null, severity, message: line, fields };
  };
}

/** JSON keeps key order, so equal strings mean the same fields in the same order. */
const asJson = (r: LineResult | null): string => JSON.stringify(r);

describe('access-log scanner', () => {
  it('treats exactly the JavaScript \\s units as white space', () => {
    const wrong: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isJsSpace(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  it('keeps escaped quotes inside the request and the user agent', () => {
    const line = `::1 - - ${TIME} "GET /q?x=\\"y\\" HTTP/1.1" 200 5 "-" "Agent \\"quoted\\" 1.0" 0.5`;
    expect(combined()(line)).toEqual({
      ts: T_MS,
      host: null,
      severity: 'info',
      message: line,
      fields: {
        client: '::1',
        method: 'GET',
        path: '/q?x=\\"y\\"',
        protocol: 'HTTP/1.1',
        status: 200,
        bytes: 5,
        user_agent: 'Agent \\"quoted\\" 1.0',
        request_time: 0.5,
      },
    });
  });

  it('reads IPv6 clients, `-` bytes as 0, and leaves out `-` user, referer and agent', () => {
    const r = combined()(`2001:db8::1 - - ${TIME} "POST /api HTTP/2.0" 503 - "-" "-"`);
    expect(Object.keys(r!.fields)).toEqual(['client', 'method', 'path', 'protocol', 'status', 'bytes']);
    expect(r!.fields).toMatchObject({ client: '2001:db8::1', bytes: 0, status: 503 });
    expect(r!.severity).toBe('error');
  });

  it('keeps a request that is not `METHOD path [protocol]` whole, and a path without protocol', () => {
    const p = combined();
    const tls = p(`1.2.3.4 - - ${TIME} "\\x16\\x03\\x01" 400 0 "-" "-"`);
    expect(tls!.fields.request).toBe('\\x16\\x03\\x01');
    expect(tls!.fields.method).toBeUndefined();
    expect(p(`1.2.3.4 - - ${TIME} "GET  /double-space" 200 1 "-" "-"`)!.fields.request).toBe(
      'GET  /double-space',
    );
    expect(p(`1.2.3.4 - - ${TIME} "ABCDEFGHIJKLMNOPQ /a" 200 1 "-" "-"`)!.fields.request).toBeDefined();
    const bare = p(`1.2.3.4 - - ${TIME} "GET /" 200 1 "-" "-"`);
    expect(bare!.fields).toMatchObject({ method: 'GET', path: '/' });
    expect(bare!.fields.protocol).toBeUndefined();
  });

  it('reads fractional seconds, a `-0000` zone and a zone-less time, and rejects 7 fraction digits', () => {
    const p = common();
    expect(p('h - - [10/Oct/2000:13:55:36.1234 -0000] "GET / HTTP/1.1" 200 1')!.ts).toBe(
      Date.UTC(2000, 9, 10, 13, 55, 36, 123),
    );
    expect(p('h - - [10/Oct/2000:13:55:36] "GET / HTTP/1.1" 200 1')!.ts).toBe(
      Date.UTC(2000, 9, 10, 13, 55, 36),
    );
    expect(p('h - - [10/Oct/2000:13:55:36.1234567 +0000] "GET / HTTP/1.1" 200 1')).toBeNull();
  });

  it('still reads a line whose month name is unknown, without a time', () => {
    const r = common()('h - - [10/Foo/2000:13:55:36 +0000] "GET / HTTP/1.1" 404 1');
    expect(r).toMatchObject({ ts: null, severity: 'warn', fields: { status: 404 } });
  });

  it('takes the trailing request time greedily on combined lines and only as the whole rest on common lines', () => {
    const base = `h - - ${TIME} "GET / HTTP/1.1" 200 1`;
    expect(combined()(`${base} "-" "-" 1.1234567 upstream`)!.fields.request_time).toBe(1.123456);
    expect(combined()(`${base} "-" "-" 1234567890`)!.fields.request_time).toBe(123456789);
    expect(combined()(`${base} "-" "-"  1`)!.fields.request_time).toBeUndefined();
    expect(common()(`${base} 0.045`)!.fields.request_time).toBe(0.045);
    expect(common()(`${base} 1.1234567`)).toBeNull();
    expect(common()(`${base} 1.`)).toBeNull();
    expect(common()(`${base} `)).toBeNull();
  });

  it('enforces the token length limits: client and user 255 units, ident 128', () => {
    const line = (c: string, i: string, u: string) => `${c} ${i} ${u} ${TIME} "GET / HTTP/1.1" 200 1`;
    const p = common();
    expect(p(line('a'.repeat(255), '-', '-'))).not.toBeNull();
    expect(p(line('a'.repeat(256), '-', '-'))).toBeNull();
    expect(p(line('h', 'i'.repeat(128), '-'))).not.toBeNull();
    expect(p(line('h', 'i'.repeat(129), '-'))).toBeNull();
    expect(p(line('h', '-', 'u'.repeat(255)))).not.toBeNull();
    expect(p(line('h', '-', 'u'.repeat(256)))).toBeNull();
  });

  it('enforces 65536 units per quoted part, an escape counting as one', () => {
    const line = (req: string) => `h - - ${TIME} "${req}" 200 1 "-" "-"`;
    const p = combined();
    expect(p(line('x'.repeat(65536)))).not.toBeNull();
    expect(p(line('x'.repeat(65537)))).toBeNull();
    expect(p(line('\\"'.repeat(65536)))).not.toBeNull();
    expect(p(line('\\"'.repeat(65537)))).toBeNull();
  });

  it('rejects extra spaces, tabs, non-breaking spaces, unterminated quotes and escaped line ends', () => {
    const p = combined();
    const ok = `h - - ${TIME} "GET / HTTP/1.1" 200 1 "-" "-"`;
    expect(p(ok)).not.toBeNull();
    for (const bad of [
      ok.replace(' - - ', ' -  - '),
      ok.replace(' 200 ', '\t200 '),
      ok.replace('h - ', 'h\u00a0- '),
      ok.replace('HTTP/1.1"', 'HTTP/1.1\\"'),
      ok.replace('"-" "-"', '"-" "a\\\nb"'),
      ok.replace('"-" "-"', '"-" "a\\\u2028b"'),
      ok.replace(' 1 "', ' 1234567890123456 "'),
      ok.replace(' 200 ', ' 20 '),
    ])
      expect(p(bad), bad).toBeNull();
  });

  it('reads non-ASCII text and lines longer than its reusable buffer', () => {
    const p = combined();
    const agent = 'ünï 😀 '.repeat(2000);
    const r = p(`h - jösé ${TIME} "GET /é HTTP/1.1" 200 1 "-" "${agent}"`);
    expect(r!.fields).toMatchObject({ user: 'jösé', path: '/é', user_agent: agent });
  });

  it('rejects every truncation of a line read just before (nothing left over from the previous line)', () => {
    const p = combined();
    const q = common();
    const full = `203.0.113.9 - alice ${TIME} "GET /a HTTP/1.1" 200 2326 "http://x/" "curl/8" 0.045`;
    const ref = referenceParser(true);
    const refCommon = referenceParser(false);
    for (let k = full.length; k >= 0; k--) {
      p(full);
      q(full);
      const cut = full.slice(0, k);
      expect(asJson(p(cut)), cut).toBe(asJson(ref(cut)));
      expect(asJson(q(cut)), cut).toBe(asJson(refCommon(cut)));
    }
  });

  it('gives the same result as the reference expressions on randomly altered lines', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const bases = [
      `203.0.113.9 - alice ${TIME} "GET /a?b=\\"c\\" HTTP/1.1" 200 2326 "http://x/" "Mozilla/5.0 (X11)" 0.045`,
      `::1 - - [01/Mar/2024:00:00:00.123456 +0000] "POST /api HTTP/2.0" 503 - "-" "-"`,
      `10.0.0.1 - - [01/Mar/2024:00:00:00] "-" 400 0`,
      `h i u [31/Dec/1999:23:59:59 +1400] "GET / HTTP/1.0" 304 0 12.5`,
    ];
    const pieces = [
      ' ',
      '  ',
      '"',
      '\\',
      '\\"',
      '-',
      '[',
      ']',
      '.',
      '0',
      '9',
      'A',
      'z',
      '\t',
      '\n',
      '\u2028',
      '\u00a0',
      'é',
      '😀',
      '\ud800',
    ];
    const pairs = [
      { next: combined(), ref: referenceParser(true), test: accessCombined.test, refTest: COMBINED_RE },
      { next: common(), ref: referenceParser(false), test: accessCommon.test, refTest: COMMON_RE },
    ];
    let accepted = 0;
    for (let i = 0; i < 20000; i++) {
      let line = bases[rnd(bases.length)];
      for (let k = rnd(3); k >= 0; k--) {
        const at = rnd(line.length + 1);
        const kind = rnd(4);
        if (kind === 0) line = line.slice(0, at) + line.slice(at + 1 + rnd(3));
        else if (kind === 1) line = line.slice(0, at) + pieces[rnd(pieces.length)] + line.slice(at);
        else if (kind === 2) line = line.slice(0, at) + pieces[rnd(pieces.length)] + line.slice(at + 1);
        else line = line.slice(0, at);
      }
      for (const pair of pairs) {
        const want = asJson(pair.ref(line));
        if (want !== 'null') accepted++;
        expect(asJson(pair.next(line)), line).toBe(want);
        expect(pair.test(line), line).toBe(pair.refTest.test(line));
      }
    }
    // The alterations must leave many lines readable, or the comparison would only check rejections.
    expect(accepted).toBeGreaterThan(2000);
  });
});
