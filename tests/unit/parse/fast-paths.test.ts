// The parse stage's regex-free fast paths (BSD syslog time, ISO 8601 time, pids, continuation lines, JSON message
// keys, the per-date time cache) give exactly what the general paths give, and hand everything unusual to them.
import { describe, expect, it } from 'vitest';
import { readIsoTime, isoEnd } from '../../../electron/engine/parse/iso-time.ts';
import { isContinuation } from '../../../electron/engine/parse/multiline.ts';
import { SourceClock } from '../../../electron/engine/parse/time-zone.ts';
import { LAYOUTS } from '../../../electron/engine/parse/timestamps.ts';
import { iso, parseLines } from './run-lines.ts';

describe('BSD syslog fast time', () => {
  it('reads single-digit days and keeps lines of one second apart by month', () => {
    const { events } = parseLines(
      [
        'Jun  4 10:00:00 h a: one',
        'Jun  4 10:00:00 h a: same second',
        'Jul  4 10:00:00 h a: same time, next month',
        'Jun 14 10:00:00 h a: two-digit day',
        'Jun 04 10:00:00 h a: zero-padded day',
      ],
      { mtimeMs: Date.UTC(2024, 7, 1) },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-06-04T10:00:00.000Z',
      '2024-06-04T10:00:00.000Z',
      '2024-07-04T10:00:00.000Z',
      '2024-06-14T10:00:00.000Z',
      '2024-06-04T10:00:00.000Z',
    ]);
  });

  it('rolls December lines back a year when the file was written in January', () => {
    const { events } = parseLines(
      ['Dec 31 23:59:59 h a: old year', 'Jan  1 00:00:00 h a: new year', 'Dec 31 23:59:59 h a: again'],
      { mtimeMs: Date.UTC(2024, 0, 1, 12) },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2023-12-31T23:59:59.000Z',
      '2024-01-01T00:00:00.000Z',
      '2023-12-31T23:59:59.000Z',
    ]);
  });

  it('converts in the source zone, across a DST change, second by second', () => {
    const { events } = parseLines(
      [
        'Mar 31 01:59:59 h a: before',
        'Mar 31 02:30:00 h a: in the gap',
        'Mar 31 03:00:00 h a: after',
        'Oct 27 12:00:00 h a: winter time',
      ],
      { mtimeMs: Date.UTC(2024, 11, 1), timezone: 'Europe/Paris' },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-03-31T00:59:59.000Z',
      '2024-03-31T01:30:00.000Z', // a time that never happened, read with the offset before the change (+01:00)
      '2024-03-31T01:00:00.000Z',
      '2024-10-27T11:00:00.000Z',
    ]);
  });

  it('leaves invalid or unusual headers to the regex (invalid times, years, fractions, PRI, bad months)', () => {
    const { events } = parseLines(
      [
        'Jun 14 10:00:00 h a: plain',
        'Jun 14 25:00:00 h a: hour 25',
        'Jun 14 10:00:00 2018 h a: year after',
        'Jun 14 10:00:00.250 h a: fraction',
        '<11>Jun 14 10:00:00 h a: pri',
        'Jux 14 10:00:00 h a: not a month',
      ],
      { mtimeMs: Date.UTC(2024, 7, 1) },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-06-14T10:00:00.000Z',
      null,
      '2018-06-14T10:00:00.000Z',
      '2024-06-14T10:00:00.250Z',
      '2024-06-14T10:00:00.000Z',
      null,
    ]);
    expect(events[1]).toMatchObject({ host: 'h', message: 'hour 25', fields: { app: 'a' } });
    expect(events[4]).toMatchObject({ severity: 'error', fields: { app: 'a', facility: 1 } });
    expect(events[5]).toMatchObject({ host: null, message: 'Jux 14 10:00:00 h a: not a month', fields: {} });
  });
});

describe('syslog tags', () => {
  it('reads pids as Number() does and keeps the field order app, pid, facility', () => {
    const { events } = parseLines([
      'Jun 14 10:00:00 h a[007]: leading zeros',
      'Jun 14 10:00:00 h a[0x1f]: hex',
      'Jun 14 10:00:00 h a[1234567890123456]: 16 digits',
      'Jun 14 10:00:00 h a[12345678901234567890]: beyond 2^53',
      'Jun 14 10:00:00 h a[]: empty',
      'Jun 14 10:00:00 h a[1 2]: space',
      '<13>Jun 14 10:00:00 h a[5]: with pri',
    ]);
    expect(events.map((e) => e.fields)).toEqual([
      { app: 'a', pid: 7 },
      { app: 'a', pid: 31 },
      { app: 'a', pid: 1234567890123456 },
      { app: 'a', pid: '12345678901234567890' },
      {},
      {},
      { app: 'a', pid: 5, facility: 1 },
    ]);
    expect(Object.keys(events[6].fields)).toEqual(['app', 'pid', 'facility']);
    expect(events[4].message).toBe('a[]: empty');
  });

  it('takes no host when the first word holds a bracket or ends in a colon', () => {
    const { events } = parseLines(['Jun 14 10:00:00 app[5]: no host', 'Jun 14 10:00:00 ho[st app: x']);
    expect(events[0]).toMatchObject({ host: null, message: 'no host', fields: { app: 'app', pid: 5 } });
    expect(events[1]).toMatchObject({ host: null, message: 'ho[st app: x', fields: {} });
  });
});

describe('ISO 8601 fast read', () => {
  const clock = new SourceClock('Europe/Paris', Date.UTC(2024, 5, 1));
  const layout = LAYOUTS.find((l) => l.name === 'iso8601')!;

  /** What the layout's regex alone says: ms and end, or null. */
  function byRegex(s: string): [number, number] | null {
    layout.re.lastIndex = 0;
    const m = layout.re.exec(s);
    if (!m) return null;
    const ms = layout.toMs(m, clock);
    return ms == null || Number.isNaN(ms) ? null : [ms, layout.re.lastIndex];
  }

  const cases = [
    '2024-03-01T00:00:00Z',
    '2024-03-01 00:00:00 INFO x',
    '2024-03-01T00:00:00.1Z',
    '2024-03-01T00:00:00.12+01:00',
    '2024-03-01T00:00:00,978',
    '2024-03-01T00:00:00.123456789Z',
    '2024-03-01T00:00:00.1234567890Z',
    '2024-03-01T00:00:00.Z',
    '2024-03-01T00:00:00+0530',
    '2024-03-01T00:00:00-00:00',
    '2024-03-01T00:00:00+05:3',
    '2024-03-01T00:00:00+05:30x',
    '2024-03-01T00:00:00Zulu',
    '2024-03-01T00:00:00x',
    '2024-03-31 02:30:00',
    '2024-10-27 02:30:00',
    '0099-03-01T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-03-01T24:00:00Z',
    '2024-03-01 00:00:00 UTC [12] LOG:  x',
    '2024-03-01 00:00:00.5 GMT',
    '2024-03-01 00:00:00 UTCX',
    '2024-03-01 00:00:00 UT',
    '2024-03-01T00:00:00Z UTC',
  ];
  for (const s of cases) {
    it(`agrees with the regex or defers to it: ${s}`, () => {
      const fast = readIsoTime(s, 0, clock);
      if (fast !== undefined) expect([fast, isoEnd.at]).toEqual(byRegex(s));
    });
  }

  it('reads the plain cases itself', () => {
    expect(readIsoTime('2024-03-01T00:00:00.5+01:00 x', 0, clock)).toBe(Date.UTC(2024, 1, 29, 23, 0, 0, 500));
    expect(isoEnd.at).toBe(27);
    expect(readIsoTime('2024-03-01 00:00:00 UTC [12] LOG:  x', 0, clock)).toBe(Date.UTC(2024, 2, 1));
    expect(isoEnd.at).toBe(23);
    expect(readIsoTime('x 2024-03-01 10:00:00,12 y', 2, clock)).toBe(Date.UTC(2024, 2, 1, 9, 0, 0, 120));
  });

  it('defers where the regex would backtrack', () => {
    expect(readIsoTime('2024-03-01T00:00:00.1234567890Z', 0, clock)).toBeUndefined();
    expect(readIsoTime('2024-03-01T00:00:00+05:30x', 0, clock)).toBeUndefined();
    expect(readIsoTime('2024-13-01T00:00:00Z', 0, clock)).toBeUndefined();
  });
});

describe('per-date time cache', () => {
  it('gives what Date.UTC gives, day after day and across years', () => {
    const clock = new SourceClock('UTC', Date.UTC(2030, 0, 1));
    for (const [y, mo, d, h, mi, s, ms] of [
      [2024, 2, 29, 0, 0, 0, 0],
      [2024, 2, 29, 23, 59, 60, 999],
      [2024, 2, 29, 24, 0, 0, 0],
      [2023, 2, 29, 12, 0, 0, 0],
      [2023, 2, 29, 12, 0, 1, 5],
      [2024, 2, 29, 12, 0, 1, 5],
    ]) {
      expect(clock.toMs(y, mo, d, h, mi, s, ms, null)).toBe(Date.UTC(y, mo - 1, d, h, mi, s, ms));
    }
  });
});

describe('continuation lines', () => {
  it('joins frames, markers and exception class lines, and nothing that merely looks close', () => {
    const joined = [
      '\tat x',
      ' indented',
      'at com.acme.A(A.java:1)',
      'Caused by: x',
      'Suppressed: y',
      '... 3 more',
      'Traceback (most recent call last):',
      '}',
      'java.lang.IllegalStateException: boom',
      'a.BError',
      `${'a'.repeat(81)}.BException`,
    ];
    const separate = [
      'Mar  1 00:00:00 h a: x',
      'attribute',
      'Caused',
      'IllegalStateException: no package',
      `${'a'.repeat(82)}.BException`,
      'java.lang.Exceptional',
      '2024-01-01 x',
      '<13>x',
    ];
    expect(joined.filter((l) => !isContinuation(l))).toEqual([]);
    expect(separate.filter((l) => isContinuation(l))).toEqual([]);
  });
});

describe('json message keys', () => {
  it('keeps the other fields in their order, with arrays and numbers as message text', () => {
    const { events } = parseLines([
      '{"a":1,"msg":"m","b":{"c":2},"d":3}',
      '{"msg":["x",1],"z":1}',
      '{"message":5,"msg":null}',
      '{"msg":{"nested":"obj"},"text":"t"}',
    ]);
    expect(events.map((e) => e.message)).toEqual(['m', '["x",1]', '5', 't']);
    expect(Object.keys(events[0].fields)).toEqual(['a', 'b.c', 'd']);
    expect(events[2].fields).toEqual({ msg: null });
    expect(events[3].fields).toEqual({ 'msg.nested': 'obj' });
  });

  it('finds a message lifted to the top by an empty key', () => {
    const { events } = parseLines(['{"":{"msg":"lifted","x":1},"y":2}']);
    expect(events[0].message).toBe('lifted');
    expect(events[0].fields).toEqual({ x: 1, y: 2 });
  });
});
