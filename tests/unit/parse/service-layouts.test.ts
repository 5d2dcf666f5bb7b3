// Layouts an on-call engineer meets beyond Loghub, recognised without configuration: each line's time, its level
// (the layout's own words and letters) and a message that starts after the header.
import { describe, expect, it } from 'vitest';
import { iso, parseLines } from './run-lines.ts';

interface Case {
  lines: [string, string];
  format: string;
  severities: [string | null, string | null];
  messages: [string, string];
}

const CASES: Record<string, Case> = {
  'Kubernetes klog / glog': {
    lines: [
      'I0102 03:04:05.678901   12345 server.go:123] Starting server',
      'E0102 03:04:06.000001   12345 reflector.go:138] Failed to watch *v1.Pod: connection refused',
    ],
    format: 'glog',
    severities: ['info', 'error'],
    messages: ['Starting server', 'Failed to watch *v1.Pod: connection refused'],
  },
  'PostgreSQL (LOG is its ordinary level)': {
    lines: [
      '2024-01-02 03:04:05.678 UTC [1234] LOG:  database system is ready to accept connections',
      '2024-01-02 03:04:06.001 UTC [1235] ERROR:  relation "orders" does not exist',
    ],
    format: 'generic',
    severities: ['info', 'error'],
    messages: ['database system is ready to accept connections', 'relation "orders" does not exist'],
  },
  'MySQL 8 ([System] is its start-up level)': {
    lines: [
      '2024-01-02T03:04:05.678901Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld starting as process 1',
      '2024-01-02T03:04:06.000001Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.',
    ],
    format: 'generic',
    severities: ['notice', 'warn'],
    messages: [
      '[MY-010116] [Server] /usr/sbin/mysqld starting as process 1',
      '[MY-010068] [Server] CA certificate ca.pem is self signed.',
    ],
  },
  'Elasticsearch (level in brackets against the time)': {
    lines: [
      '[2024-01-02T03:04:05,678][INFO ][o.e.n.Node               ] [node-1] started',
      '[2024-01-02T03:04:06,001][WARN ][o.e.c.r.a.DiskThresholdMonitor] [node-1] high disk watermark exceeded',
    ],
    format: 'generic',
    severities: ['info', 'warn'],
    messages: [
      '[o.e.n.Node               ] [node-1] started',
      '[o.e.c.r.a.DiskThresholdMonitor] [node-1] high disk watermark exceeded',
    ],
  },
  'Redis (its level is a mark: * notice, # warning)': {
    lines: [
      '1234:M 02 Jan 2024 03:04:05.678 * Ready to accept connections',
      '1234:M 02 Jan 2024 03:04:06.001 # WARNING overcommit_memory is set to 0!',
    ],
    format: 'redis',
    severities: ['notice', 'warn'],
    messages: ['Ready to accept connections', 'WARNING overcommit_memory is set to 0!'],
  },
  'a generic line with a day, month name and year': {
    lines: ['02 Jan 2024 03:04:05.678 worker started', '02 Jan 2024 03:04:06.001 ERROR worker stopped'],
    format: 'generic',
    severities: [null, 'error'],
    messages: ['worker started', 'worker stopped'],
  },
  'nginx error log': {
    lines: [
      '2024/01/02 03:04:05 [error] 1234#0: *1 open() "/srv/x" failed (2: No such file or directory)',
      '2024/01/02 03:04:06 [warn] 1234#0: *2 an upstream response is buffered to a temporary file',
    ],
    format: 'generic',
    severities: ['error', 'warn'],
    messages: [
      '1234#0: *1 open() "/srv/x" failed (2: No such file or directory)',
      '1234#0: *2 an upstream response is buffered to a temporary file',
    ],
  },
};

describe('service log layouts, without configuration', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: time, level and message`, () => {
      const { parser, events } = parseLines(c.lines, { timezone: 'UTC', mtimeMs: Date.UTC(2024, 5, 1) });
      expect(parser.format).toBe(c.format);
      expect(events.map((e) => iso(e.ts))).toEqual([
        expect.stringMatching(/^2024-01-02T03:04:05\.\d{3}Z$/),
        expect.stringMatching(/^2024-01-02T03:04:06\.\d{3}Z$/),
      ]);
      expect(events.map((e) => e.severity)).toEqual(c.severities);
      expect(events.map((e) => e.message)).toEqual(c.messages);
    });
  }

  it('reads the UTC or GMT word after a time whatever the source zone (PostgreSQL), and leaves other words alone', () => {
    const { events } = parseLines(
      [
        '2024-01-02 03:04:05.678 UTC [1234] LOG:  checkpoint starting: time',
        '2024-01-02 03:04:06.001 GMT [1234] LOG:  checkpoint complete',
        '2024-01-02 03:04:07.002 CET [1234] LOG:  zone word left to the source zone',
      ],
      { timezone: 'Europe/Paris' },
    );
    expect(events.map((e) => iso(e.ts))).toEqual([
      '2024-01-02T03:04:05.678Z',
      '2024-01-02T03:04:06.001Z',
      '2024-01-02T02:04:07.002Z',
    ]);
    expect(events.map((e) => e.message)).toEqual([
      'checkpoint starting: time',
      'checkpoint complete',
      'zone word left to the source zone',
    ]);
  });

  it('keeps klog thread, file and line as fields, and a panic after a Fatal line with it', () => {
    const { events } = parseLines(
      [
        'F0102 03:04:07.000001   12345 main.go:42] cannot start: port in use',
        'goroutine 1 [running]:',
        '\tmain.main()',
      ],
      { timezone: 'UTC', mtimeMs: Date.UTC(2024, 5, 1) },
    );
    expect(events.length).toBe(1);
    expect(events[0]).toMatchObject({
      severity: 'critical',
      fields: { thread: 12345, file: 'main.go', line: 42 },
    });
    expect(events[0].raw).toContain('goroutine 1 [running]:');
  });
});
