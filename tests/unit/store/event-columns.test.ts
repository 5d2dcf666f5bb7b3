// packEvents: the columns and text a batch of events travels in to a segment builder, read back row by row.
import { describe, expect, it } from 'vitest';
import type { FieldValue, LogEvent } from '../../../shared/event.ts';
import { SEVERITIES } from '../../../shared/severity.ts';
import { packEvents, sliceColumns, type EventColumns } from '../../../electron/engine/store/event-columns.ts';
import { syntheticBatch } from './synthetic-events.ts';

interface Row {
  ts: number | null;
  line: number | null;
  offset: number;
  sourceId: number;
  template: number | null;
  anomaly: number;
  sev: number;
  host: string | null;
  raw: string;
  /** The message text, whether stored apart or as the raw line's tail. */
  message: string;
  messageApart: boolean;
  /** The fields' JSON text as packed, or null. */
  fields: string | null;
}

/** Reads a batch back the way the segment builder does: columns by index, text by the length columns. */
function unpack(cols: EventColumns): Row[] {
  const { n, nums, ints, hosts, text } = cols;
  const nul = (v: number) => (Number.isNaN(v) ? null : v);
  const rows: Row[] = [];
  let pos = 0;
  const take = (len: number) => text.slice(pos, (pos += len));
  for (let i = 0; i < n; i++) {
    const raw = take(ints[2 * n + i]);
    const msgLen = ints[3 * n + i];
    const message = msgLen >= 0 ? take(msgLen) : raw.slice(ints[4 * n + i]);
    const fieldsLen = ints[5 * n + i];
    rows.push({
      ts: nul(nums[i]),
      line: nul(nums[n + i]),
      offset: nums[2 * n + i],
      sourceId: nums[3 * n + i],
      template: nul(nums[4 * n + i]),
      anomaly: nums[5 * n + i],
      sev: ints[i],
      host: ints[n + i] < 0 ? null : hosts[ints[n + i]],
      raw,
      message,
      messageApart: msgLen >= 0,
      fields: fieldsLen >= 0 ? take(fieldsLen) : null,
    });
  }
  expect(pos).toBe(text.length);
  return rows;
}

function event(k: number, fields: Record<string, FieldValue>, over: Partial<LogEvent> = {}): LogEvent {
  const message = `message ${k}`;
  return {
    ts: 1_700_000_000_000 + k,
    host: `h${k % 2}`,
    sourceId: 3,
    line: k + 1,
    offset: k * 40,
    severity: 'info',
    message,
    raw: `Jan  1 00:00:00 h${k % 2} app: ${message}`,
    fields,
    template: k,
    anomaly: 0.5,
    ...over,
  };
}

/** Each row's fields text must be exactly what JSON.stringify gives for its event on its own. */
function expectFieldsAsStringified(events: LogEvent[]): void {
  const rows = unpack(packEvents(events, 0, events.length).cols);
  expect(rows.map((r) => r.fields)).toEqual(
    events.map((e) => (Object.keys(e.fields).length ? JSON.stringify(e.fields) : null)),
  );
}

describe('packEvents', () => {
  it('keeps every column of every event, nulls included', () => {
    const events = [
      event(0, { app: 'sshd', pid: 12 }),
      event(1, {}, { ts: null, line: null, template: null, severity: null, host: null }),
      event(2, { n: 1.5 }, { severity: 'emergency', host: 'h0' }),
    ];
    const { cols, rawChars } = packEvents(events, 0, events.length);
    const rows = unpack(cols);
    expect(rows.map((r) => [r.ts, r.line, r.offset, r.sourceId, r.template, r.anomaly])).toEqual(
      events.map((e) => [e.ts, e.line, e.offset, e.sourceId, e.template, e.anomaly]),
    );
    expect(rows.map((r) => r.sev)).toEqual([2, -1, 8]);
    expect(rows.map((r) => r.host)).toEqual(['h0', null, 'h0']);
    expect(cols.hosts).toEqual(['h0']);
    expect(rawChars).toBe(events.reduce((s, e) => s + e.raw.length, 0));
  });

  it('ranks every severity by its place on the scale', () => {
    const events = SEVERITIES.map((s, k) => event(k, {}, { severity: s }));
    expect(unpack(packEvents(events, 0, events.length).cols).map((r) => r.sev)).toEqual(
      SEVERITIES.map((_, k) => k),
    );
  });

  it('stores a message that is the raw tail by where it starts, any other apart', () => {
    const events = [
      event(0, {}),
      event(1, {}, { message: 'not in the raw line' }),
      event(2, {}, { raw: 'short', message: 'longer than the raw' }),
      event(3, {}, { raw: 'line one\nline two', message: 'line one\nline two' }),
    ];
    const rows = unpack(packEvents(events, 0, events.length).cols);
    expect(rows.map((r) => r.messageApart)).toEqual([false, true, true, false]);
    expect(rows.map((r) => r.message)).toEqual(events.map((e) => e.message));
    expect(rows.map((r) => r.raw)).toEqual(events.map((e) => e.raw));
  });

  it('packs only the events in [start, end)', () => {
    const events = syntheticBatch(1, 0, 30);
    const rows = unpack(packEvents(events, 10, 25).cols);
    expect(rows.map((r) => r.line)).toEqual(events.slice(10, 25).map((e) => e.line));
    expect(rows.map((r) => r.fields)).toEqual(
      events.slice(10, 25).map((e) => (Object.keys(e.fields).length ? JSON.stringify(e.fields) : null)),
    );
  });

  it("gives each event's fields the JSON text of its own object, events without fields none", () => {
    expectFieldsAsStringified([
      event(0, { app: 'sshd', pid: 41003, 'ids.user': 'deploy' }),
      event(1, {}),
      event(2, { app: 'nginx', 'ids.ip': '10.0.0.1' }),
      event(3, { ok: true, none: null, ratio: -0, big: 1e21, tiny: 5e-7, nan: NaN }),
      event(4, { '10': 'integer-like keys come first', z: 1, a: 2 }),
      event(5, { quote: 'say "hi"', slash: 'a\\b', ctl: 'tab\there\nnewline', uni: 'héllo ☃ 🎉' }),
      event(6, {}),
    ]);
  });

  it('cuts fields right when a value holds braces, however many', () => {
    expectFieldsAsStringified([
      event(0, { app: 'a', pid: 1 }),
      event(1, { json: '{"a":1}', close: '}' }),
      event(2, { open: '{', n: 2 }),
      event(3, { text: 'x},{"y":"z' }),
      event(4, { app: 'b' }),
      event(5, { escaped: 'a \\"} b', trailing: 'ends in a backslash \\', q: '"' }),
      event(6, { app: 'c' }),
    ]);
    expectFieldsAsStringified([event(0, { last: 'ends in }' })]);
    expectFieldsAsStringified([event(0, { first: '}' }), event(1, { app: 'c' })]);
  });

  it('cuts fields right around a nested object or array and a lone surrogate', () => {
    const nested = { inner: { a: 1 }, list: [1, 2] } as unknown as Record<string, FieldValue>;
    expectFieldsAsStringified([
      event(0, { app: 'a' }),
      event(1, nested),
      event(2, { lone: 'x\ud800y' }),
      event(3, { app: 'b' }),
    ]);
  });

  it('leaves a key whose value JSON drops as fields `{}`, like JSON.stringify', () => {
    const dropped = { gone: undefined } as unknown as Record<string, FieldValue>;
    expectFieldsAsStringified([event(0, dropped), event(1, { app: 'a' }), event(2, dropped)]);
  });

  it('packs a batch without any fields, and an empty batch', () => {
    expectFieldsAsStringified(syntheticBatch(1, 1, 2));
    const { cols } = packEvents([], 0, 0);
    expect(cols.n).toBe(0);
    expect(cols.text).toBe('');
  });

  it('cuts a batch into parts that read back as the same rows', () => {
    const events = syntheticBatch(2, 0, 50);
    const { cols } = packEvents(events, 0, events.length);
    const whole = unpack(cols);
    const parts = [
      ...unpack(sliceColumns(cols, 0, 17)),
      ...unpack(sliceColumns(cols, 17, 18)),
      ...unpack(sliceColumns(cols, 18, 50)),
    ];
    expect(parts).toEqual(whole);
    expect(whole.map((r) => r.fields)).toEqual(
      events.map((e) => (Object.keys(e.fields).length ? JSON.stringify(e.fields) : null)),
    );
  });

  it('packs like a plain per-event packing, over many random events', () => {
    // A small deterministic PRNG: the same events every run.
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const ALPHABET = ['a', 'Z', '0', ' ', '{', '}', '[', ']', '"', '\\', ',', ':', 'é', '☃', '\n', '\ud83c'];
    const word = () => Array.from({ length: rnd(8) }, () => ALPHABET[rnd(ALPHABET.length)]).join('');
    const value = (): FieldValue => [word(), rnd(100000), -rnd(100) / 8, true, null][rnd(5)];
    const events: LogEvent[] = [];
    for (let k = 0; k < 3000; k++) {
      const fields: Record<string, FieldValue> = {};
      for (let j = rnd(4); j > 0; j--) fields[rnd(4) === 0 ? String(rnd(20)) : word() || 'k'] = value();
      const message = word();
      events.push(
        event(k, fields, {
          message,
          raw: rnd(3) === 0 ? word() : `${word()} ${message}`,
          host: rnd(5) === 0 ? null : `h${rnd(7)}`,
          severity: rnd(4) === 0 ? null : SEVERITIES[rnd(SEVERITIES.length)],
        }),
      );
    }
    for (const [start, end] of [
      [0, 3000],
      [5, 6],
      [100, 1337],
    ]) {
      const rows = unpack(packEvents(events, start, end).cols);
      const want = events.slice(start, end);
      expect(rows.map((r) => r.fields)).toEqual(
        want.map((e) => (Object.keys(e.fields).length ? JSON.stringify(e.fields) : null)),
      );
      expect(rows.map((r) => [r.raw, r.message, r.host, r.sev])).toEqual(
        want.map((e) => [
          e.raw,
          e.message,
          e.host,
          e.severity === null ? -1 : SEVERITIES.indexOf(e.severity),
        ]),
      );
      expect(rows.map((r) => r.messageApart)).toEqual(want.map((e) => !e.raw.endsWith(e.message)));
    }
  });
});
