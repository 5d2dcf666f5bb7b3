// Web server logs: access logs (combined, common) and the Apache error log.
import { describe, expect, it } from 'vitest';
import { iso, parseLines } from './run-lines.ts';

describe('access logs', () => {
  it('reads a combined line with referer, user agent and request time', () => {
    const { parser, events } = parseLines([
      '203.0.113.9 - alice [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)" 0.045',
      '198.51.100.2 - - [10/Oct/2000:13:55:37 -0700] "POST /api/login HTTP/1.1" 503 - "-" "curl/8.0"',
    ]);
    expect(parser.format).toBe('access-combined');
    expect(iso(events[0].ts)).toBe('2000-10-10T20:55:36.000Z');
    expect(events[0].fields).toEqual({
      client: '203.0.113.9',
      user: 'alice',
      method: 'GET',
      path: '/apache_pb.gif?x=1',
      protocol: 'HTTP/1.0',
      status: 200,
      bytes: 2326,
      referer: 'http://www.example.com/start.html',
      user_agent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
      request_time: 0.045,
    });
    expect(events[0].severity).toBe('info');
    expect(events[1].severity).toBe('error');
    expect(events[1].fields).toMatchObject({ status: 503, bytes: 0, user_agent: 'curl/8.0' });
    expect(events[1].fields.referer).toBeUndefined();
  });

  it('reads a common line and marks 4xx as warnings', () => {
    const { parser, events } = parseLines([
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 +0000] "GET /missing HTTP/1.0" 404 512',
    ]);
    expect(parser.format).toBe('access-common');
    expect(events[0]).toMatchObject({
      severity: 'warn',
      fields: { client: '127.0.0.1', status: 404, bytes: 512, path: '/missing' },
    });
    expect(iso(events[0].ts)).toBe('2000-10-10T13:55:36.000Z');
  });
});

describe('apache-error', () => {
  it('reads 2.2 and 2.4 error lines with level, module, pid and client', () => {
    const { parser, events } = parseLines(
      [
        '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
        '[Wed Oct 11 14:32:52.123456 2000] [core:crit] [pid 35708:tid 4328636416] [client 72.15.99.187:5123] AH00124: Request exceeded the limit',
      ],
      { timezone: '+01:00' },
    );
    expect(parser.format).toBe('apache-error');
    expect(iso(events[0].ts)).toBe('2005-12-04T03:47:44.000Z');
    expect(events[0]).toMatchObject({
      severity: 'error',
      message: 'mod_jk child workerEnv in error state 6',
    });
    expect(iso(events[1].ts)).toBe('2000-10-11T13:32:52.123Z');
    expect(events[1]).toMatchObject({
      severity: 'critical',
      message: 'AH00124: Request exceeded the limit',
      fields: { module: 'core', pid: 35708, tid: '4328636416', client: '72.15.99.187:5123' },
    });
  });
});
