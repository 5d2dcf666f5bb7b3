// Syslog in both RFC flavours: times, years, hosts, tags and structured data.
import { describe, expect, it } from 'vitest';
import { iso, parseLines } from './run-lines.ts';

describe('syslog-rfc3164', () => {
  it('reads host, app, pid and message, and takes the year from the file time', () => {
    const { parser, events } = parseLines(
      [
        'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown',
        'Jun  3 09:00:00 web-1 kernel: oops',
      ],
      { mtimeMs: Date.UTC(2023, 6, 1) },
    );
    expect(parser.format).toBe('syslog-rfc3164');
    expect(parser.reason).toBe('detected: 2/2 sample lines match syslog-rfc3164');
    expect(iso(events[0].ts)).toBe('2023-06-14T15:16:01.000Z');
    expect(events[0]).toMatchObject({ host: 'combo', message: 'check pass; user unknown' });
    expect(events[0].fields).toEqual({ app: 'sshd(pam_unix)', pid: 19939 });
    expect(iso(events[1].ts)).toBe('2023-06-03T09:00:00.000Z');
    expect(events[1]).toMatchObject({ host: 'web-1', message: 'oops', fields: { app: 'kernel' } });
  });

  it('honours a year written before or after the time, whatever the file time', () => {
    const { events } = parseLines(['Mar  1 2019 10:00:00 h1 app: a', 'Mar  1 10:00:00 2018 h1 app: b'], {
      mtimeMs: Date.UTC(2024, 0, 1),
    });
    expect(iso(events[0].ts)).toBe('2019-03-01T10:00:00.000Z');
    expect(iso(events[1].ts)).toBe('2018-03-01T10:00:00.000Z');
  });

  it('maps the PRI to severity and facility, and copes with a missing host', () => {
    const { events } = parseLines([
      '<11>Jan 10 10:00:00 myhost app[7]: disk failed',
      '<14>Jan 10 10:00:01 app: no host',
    ]);
    expect(events[0]).toMatchObject({
      severity: 'error',
      host: 'myhost',
      fields: { app: 'app', pid: 7, facility: 1 },
    });
    expect(events[1]).toMatchObject({
      severity: 'info',
      host: null,
      message: 'no host',
      fields: { app: 'app' },
    });
  });

  it('reads the ISO 8601 variant with its offset', () => {
    const { parser, events } = parseLines([
      '2024-03-05T10:11:12.345+02:00 gw dnsmasq[99]: query A example.org',
    ]);
    expect(parser.format).toBe('syslog-rfc3164');
    expect(iso(events[0].ts)).toBe('2024-03-05T08:11:12.345Z');
    expect(events[0]).toMatchObject({
      host: 'gw',
      message: 'query A example.org',
      fields: { app: 'dnsmasq', pid: 99 },
    });
  });

  it("reads journalctl's short-iso output, whose offset has no colon, as syslog", () => {
    const { parser, events } = parseLines([
      '2024-03-05T10:11:12+0100 web-01 systemd[1]: Started Session 5 of user bob.',
      '2024-03-05T10:11:13-0530 web-01 CRON[999]: (root) CMD (true)',
    ]);
    expect(parser.format).toBe('syslog-rfc3164');
    expect(events.map((e) => iso(e.ts))).toEqual(['2024-03-05T09:11:12.000Z', '2024-03-05T15:41:13.000Z']);
    expect(events[0]).toMatchObject({
      host: 'web-01',
      message: 'Started Session 5 of user bob.',
      fields: { app: 'systemd', pid: 1 },
    });
  });

  it('puts December lines of a file last written in January into the previous year', () => {
    const { events } = parseLines(
      [
        'Dec 30 23:59:58 h app: old year',
        'Dec 31 23:59:59 h app: last second',
        'Jan  1 00:00:01 h app: new year',
      ],
      { mtimeMs: Date.UTC(2025, 0, 2, 12) },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-12-30T23:59:58.000Z',
      '2024-12-31T23:59:59.000Z',
      '2025-01-01T00:00:01.000Z',
    ]);
  });
});

describe('syslog-rfc5424', () => {
  it('reads header fields, structured data and the message', () => {
    const line =
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 ' +
      '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][meta x="a \\"q\\" \\]"] An application event';
    const { parser, events } = parseLines([line]);
    expect(parser.format).toBe('syslog-rfc5424');
    const e = events[0];
    expect(iso(e.ts)).toBe('2003-10-11T22:14:15.003Z');
    expect(e.host).toBe('mymachine.example.com');
    expect(e.severity).toBe('notice');
    expect(e.message).toBe('An application event');
    expect(e.fields).toEqual({
      app: 'evntslog',
      pid: 1234,
      msgid: 'ID47',
      facility: 20,
      'sd.exampleSDID@32473.iut': 3,
      'sd.exampleSDID@32473.eventSource': 'Application',
      'sd.exampleSDID@32473.eventID': 1011,
      'sd.meta.x': 'a "q" ]',
    });
  });

  it('handles nil values, offsets and a BOM before the message', () => {
    const { events } = parseLines(['<34>1 2024-01-15T08:00:00.5-05:00 - su - - - \uFEFFfailed for root']);
    expect(iso(events[0].ts)).toBe('2024-01-15T13:00:00.500Z');
    expect(events[0]).toMatchObject({
      host: null,
      severity: 'critical',
      message: 'failed for root',
      fields: { app: 'su' },
    });
  });
});
