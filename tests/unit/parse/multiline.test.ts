// Multi-line events: stack traces join their first line, with the timeless lines inside them; nothing else is merged.
import { describe, expect, it } from 'vitest';
import { MAX_JOINED_CHARS, MAX_JOINED_LINES } from '../../../electron/engine/parse/source-parser.ts';
import { parseLines } from './run-lines.ts';

describe('multi-line events', () => {
  it('joins a Java stack trace (frames, Caused by, ... more) to the line that logged it', () => {
    const lines = [
      '2024-02-01 10:00:00,001 INFO  [main] com.acme.App: starting',
      '2024-02-01 10:00:01,002 ERROR [main] com.acme.App: request failed',
      'java.lang.IllegalStateException: pool exhausted',
      '\tat com.acme.db.Pool.take(Pool.java:42)',
      '\tat com.acme.App.handle(App.java:17)',
      'Caused by: java.net.SocketTimeoutException: connect timed out',
      '\tat java.base/java.net.Socket.connect(Socket.java:633)',
      '\t... 12 more',
      '2024-02-01 10:00:02,003 INFO  [main] com.acme.App: recovered',
    ];
    const { events } = parseLines(lines);
    expect(events).toHaveLength(3);
    expect(events[1].line).toBe(2);
    expect(events[1].severity).toBe('error');
    expect(events[1].raw).toBe(lines.slice(1, 8).join('\n'));
    expect(events[1].message.split('\n')[0]).toBe('[main] com.acme.App: request failed');
    expect(events[1].message).toContain('Caused by: java.net.SocketTimeoutException');
    expect(events[2]).toMatchObject({ line: 9, raw: lines[8] });
  });

  it('keeps timestamp-less lines that are not clear continuations as their own events', () => {
    const { events } = parseLines(['2024-02-01 10:00:00 INFO a', 'plain line', '2024-02-01 10:00:01 INFO b']);
    expect(events.map((e) => e.raw)).toEqual([
      '2024-02-01 10:00:00 INFO a',
      'plain line',
      '2024-02-01 10:00:01 INFO b',
    ]);
    expect(events[1].ts).toBeNull();
  });

  it("keeps a Python traceback's closing exception line and a Go panic's frames with the event", () => {
    const python = [
      '2024-02-01 10:00:00,001 ERROR app: request failed',
      'Traceback (most recent call last):',
      '  File "app.py", line 12, in handle',
      '    return pool.take()',
      'ValueError: pool exhausted',
      '2024-02-01 10:00:01,002 INFO app: recovered',
      'a plain line after it',
    ];
    const py = parseLines(python).events;
    expect(py.map((e) => e.raw)).toEqual([python.slice(0, 5).join('\n'), python[5], python[6]]);

    const go = [
      'F0201 10:00:00.000001   12345 main.go:42] cannot start: port in use',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/src/main.go:42 +0x1d',
      'exit status 255',
      'I0201 10:00:01.000001   12346 main.go:10] started again',
    ];
    const g = parseLines(go, { mtimeMs: Date.UTC(2024, 5, 1) }).events;
    expect(g.map((e) => e.raw)).toEqual([go.slice(0, 5).join('\n'), go[5]]);
  });

  it('joins at most MAX_JOINED_LINES lines to one event (a file of indented lines is not one event)', () => {
    const lines = ['2024-02-01 10:00:00,001 ERROR app: dump follows'];
    for (let i = 0; i < 2 * MAX_JOINED_LINES + 10; i++) lines.push(`    frame ${i}`);
    const { events } = parseLines(lines);
    expect(events.map((e) => e.raw.split('\n').length)).toEqual([
      MAX_JOINED_LINES + 1,
      MAX_JOINED_LINES + 1,
      9,
    ]);
    expect(events.reduce((n, e) => n + e.raw.split('\n').length, 0)).toBe(lines.length);
  });

  it('joins at most MAX_JOINED_CHARS characters to one event, however few the lines', () => {
    const big = ' ' + 'x'.repeat(1024 * 1024 - 1); // indented lines at the 1 MiB line cap
    const lines = ['2024-02-01 10:00:00,001 ERROR app: dump follows'];
    for (let i = 0; i < 10; i++) lines.push(big);
    const { events } = parseLines(lines);
    for (const e of events) expect(e.raw.length).toBeLessThanOrEqual(MAX_JOINED_CHARS + 1024 * 1024 + 20);
    expect(events.length).toBeGreaterThan(1);
    expect(events.reduce((n, e) => n + e.raw.split('\n').length, 0)).toBe(lines.length);
  });

  it('does not join lines of line-per-event formats such as JSON', () => {
    const { events } = parseLines(['{"msg":"a"}', '  {"msg":"indented"}']);
    expect(events).toHaveLength(2);
  });

  it('emits the last pending event on flush', () => {
    const { events } = parseLines(['Jan  1 00:00:00 h app: x', '    continued']);
    expect(events).toHaveLength(1);
    expect(events[0].message).toBe('x\n    continued');
  });
});
