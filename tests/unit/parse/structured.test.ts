// JSON lines and logfmt: any key names, every key a field, numbers as numbers.
import { describe, expect, it } from 'vitest';
import { iso, parseLines } from './run-lines.ts';

describe('json', () => {
  it('finds time, level and message under their common names and flattens nested objects', () => {
    const { parser, events } = parseLines([
      '{"ts":"2024-05-01T10:00:00.250Z","level":"warn","msg":"slow query","db":{"name":"orders","ms":812},"tags":["a"]}',
      '{"@timestamp":"2024-05-01T12:00:00+02:00","severity":"ERROR","message":"boom","host":{"name":"api-3"}}',
      '{"time":1714557600,"lvl":"debug","text":"epoch seconds"}',
      '{"timestamp":1714557600123,"level":50,"msg":"pino error"}',
      '{"t":"2024-05-01 10:00:00","log_level":"info","message":"zone-less"}',
    ]);
    expect(parser.format).toBe('json');
    expect(iso(events[0].ts)).toBe('2024-05-01T10:00:00.250Z');
    expect(events[0]).toMatchObject({ severity: 'warn', message: 'slow query' });
    expect(events[0].fields).toEqual({
      ts: '2024-05-01T10:00:00.250Z',
      level: 'warn',
      'db.name': 'orders',
      'db.ms': 812,
      tags: '["a"]',
    });
    expect(iso(events[1].ts)).toBe('2024-05-01T10:00:00.000Z');
    expect(events[1]).toMatchObject({ severity: 'error', message: 'boom', host: 'api-3' });
    expect(iso(events[2].ts)).toBe('2024-05-01T10:00:00.000Z');
    expect(events[2].severity).toBe('debug');
    expect(events[2].message).toBe('epoch seconds');
    expect(iso(events[3].ts)).toBe('2024-05-01T10:00:00.123Z');
    expect(events[3].severity).toBe('error');
    expect(iso(events[4].ts)).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps a line that is not JSON as its own event without a time', () => {
    const { events } = parseLines(['{"msg":"a"}', '{"msg":"b"}', 'not json {', '{"msg":"c"}']);
    expect(events.map((e) => e.message)).toEqual(['a', 'b', 'not json {', 'c']);
    expect(events[2].ts).toBeNull();
  });
});

describe('logfmt', () => {
  it('makes every key a field, with quoted values and numbers', () => {
    const { parser, events } = parseLines([
      'time=2024-05-01T10:00:00Z level=info msg="request done" method=GET status=200 latency_ms=12.5 id=007',
      'ts=2024-05-01T10:00:01Z lvl=error message="db \\"down\\"" retry=true host=db-1',
    ]);
    expect(parser.format).toBe('logfmt');
    expect(iso(events[0].ts)).toBe('2024-05-01T10:00:00.000Z');
    expect(events[0]).toMatchObject({ severity: 'info', message: 'request done' });
    expect(events[0].fields).toEqual({
      time: '2024-05-01T10:00:00Z',
      level: 'info',
      method: 'GET',
      status: 200,
      latency_ms: 12.5,
      id: '007',
    });
    expect(events[1]).toMatchObject({ severity: 'error', message: 'db "down"', host: 'db-1' });
    expect(events[1].fields.retry).toBe('true');
  });
});
