// Time handling: the layout catalogue, epochs, explicit offsets, per-source zones with DST, and year inference.
import { describe, expect, it } from 'vitest';
import { iso, parseLines } from './run-lines.ts';

describe('generic timestamp layouts', () => {
  const cases: [string, string, number | null][] = [
    ['2015-10-18 18:01:47,978 INFO [main] started', '2015-10-18T18:01:47.978Z', Date.UTC(2016, 0, 1)],
    ['2024-01-02T03:04:05.678Z INFO iso with zone', '2024-01-02T03:04:05.678Z', null],
    ['081109 203615 148 INFO dfs.DataNode: done', '2008-11-09T20:36:15.000Z', null],
    ['17/06/09 20:10:40 INFO spark.SecurityManager: acls', '2017-06-09T20:10:40.000Z', null],
    [
      '03-17 16:13:38.811  1702  2395 D WindowManager: freeze',
      '2017-03-17T16:13:38.811Z',
      Date.UTC(2017, 5, 1),
    ],
    ['2016-09-28 04:30:30, Info                  CBS    Loaded', '2016-09-28T04:30:30.000Z', null],
    ['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', '2017-12-23T22:15:29.606Z', null],
    [
      '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open',
      '2017-10-30T16:49:06.000Z',
      Date.UTC(2017, 11, 1),
    ],
    ['2005-06-03-15.42.50.675872 R02-M1-N0 RAS KERNEL INFO parity', '2005-06-03T15:42:50.675Z', null],
    ['1700000000 job finished', '2023-11-14T22:13:20.000Z', null],
    ['1700000000123 job finished', '2023-11-14T22:13:20.123Z', null],
  ];
  for (const [line, want, mtime] of cases) {
    it(`reads "${line.slice(0, 30)}…"`, () => {
      const { parser, events } = parseLines([line], { mtimeMs: mtime ?? Date.UTC(2024, 0, 1) });
      expect(parser.format).toBe('generic');
      expect(iso(events[0].ts)).toBe(want);
    });
  }

  it('takes the text after the timestamp and a level word as the message', () => {
    const { events } = parseLines([
      '2024-01-02 03:04:05 ERROR disk full',
      '2024-01-02 03:04:06 WARN nearly full',
    ]);
    expect(events[0]).toMatchObject({ severity: 'error', message: 'disk full' });
    expect(events[1]).toMatchObject({ severity: 'warn', message: 'nearly full' });
  });

  it('prefers the epoch when a line carries both an epoch and a local time', () => {
    const { parser, events } = parseLines(
      ['- 1117838570 2005.06.03 n1 2005-06-03-15.42.50.675872 n1 RAS KERNEL INFO x'],
      {
        timezone: 'Asia/Tokyo',
      },
    );
    expect(parser.reason).toContain('epoch-s');
    expect(iso(events[0].ts)).toBe('2005-06-03T22:42:50.000Z');
  });
});

describe('zones', () => {
  it('honours explicit offsets whatever the source zone', () => {
    const { events } = parseLines(['2024-01-02T03:04:05+05:30 x', '2024-01-02T03:04:05-0800 y'], {
      timezone: 'America/New_York',
    });
    expect(iso(events[0].ts)).toBe('2024-01-01T21:34:05.000Z');
    expect(iso(events[1].ts)).toBe('2024-01-02T11:04:05.000Z');
  });

  it('reads zone-less times in the source zone, across daylight saving time', () => {
    const { events } = parseLines(
      [
        '2024-01-15 12:00:00 winter',
        '2024-07-15 12:00:00 summer',
        '2024-03-10 01:30:00 before jump',
        '2024-03-10 03:30:00 after jump',
      ],
      { timezone: 'America/New_York' },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-01-15T17:00:00.000Z',
      '2024-07-15T16:00:00.000Z',
      '2024-03-10T06:30:00.000Z',
      '2024-03-10T07:30:00.000Z',
    ]);
  });

  it('reads a repeated fall-back hour as its first pass, and a skipped spring-forward hour with the old offset', () => {
    const { events } = parseLines(
      [
        '2024-10-27 02:30:00 paris overlap',
        '2024-10-27 03:00:00 paris after overlap',
        '2024-03-31 02:30:00 paris gap',
        '2024-03-31 03:00:00 paris after gap',
      ],
      { timezone: 'Europe/Paris' },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-10-27T00:30:00.000Z', // 02:30 CEST: the earlier of 00:30 and 01:30 UTC
      '2024-10-27T02:00:00.000Z',
      '2024-03-31T01:30:00.000Z', // 02:30 never happened; read with CET's +01:00
      '2024-03-31T01:00:00.000Z',
    ]);
    const ny = parseLines(['2024-11-03 01:30:00 new york overlap', '2024-03-10 02:30:00 new york gap'], {
      timezone: 'America/New_York',
    });
    expect(ny.events.map((e) => iso(e.ts))).toEqual(['2024-11-03T05:30:00.000Z', '2024-03-10T07:30:00.000Z']);
  });

  it('accepts a fixed offset as the source zone', () => {
    const { events } = parseLines(['2024-01-15 12:00:00 x'], { timezone: '-03:00' });
    expect(iso(events[0].ts)).toBe('2024-01-15T15:00:00.000Z');
  });

  it('rejects an unknown zone with a clear error', () => {
    expect(() => parseLines(['2024-01-15 12:00:00 x'], { timezone: 'Mars/Olympus' })).toThrow(
      /unknown time zone "Mars\/Olympus"/,
    );
  });

  it('rolls year-less generic lines back across a new year', () => {
    const { events } = parseLines(['12-31 23:59:59.000 1 1 I a: b', '01-01 00:00:01.000 1 1 I a: c'], {
      mtimeMs: Date.UTC(2021, 0, 1, 1),
    });
    expect(events.map((e) => iso(e.ts))).toEqual(['2020-12-31T23:59:59.000Z', '2021-01-01T00:00:01.000Z']);
  });
});
