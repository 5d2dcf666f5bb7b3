// The parse worker's packed batches (lines joined by '\n' with offset and line columns) give the same events as
// record batches: same multi-line joining across batch edges, truncation marks, flush at the end.
import { describe, expect, it } from 'vitest';
import { createSourceParser } from '../../../electron/engine/parse/index.ts';
import { BatchParser } from '../../../electron/engine/pipeline/batch-parser.ts';
import type { PackedLines } from '../../../electron/engine/pipeline/parse-protocol.ts';
import type { RawRecord } from '../../../electron/engine/sources/types.ts';
import { TemplateMiner } from '../../../shared/templates/index.ts';

const LINES = [
  '2024-02-01 10:00:00,001 INFO  [main] com.acme.App: starting',
  '2024-02-01 10:00:01,002 ERROR [main] com.acme.App: request failed',
  'java.lang.IllegalStateException: pool exhausted',
  '\tat com.acme.db.Pool.take(Pool.java:42)',
  '',
  '\tat com.acme.App.handle(App.java:17)\r',
  '2024-02-01 10:00:02,003 INFO  [main] com.acme.App: recovered user 42',
  '2024-02-01 10:00:03,004 WARN  [main] com.acme.App: slow call 812 ms',
  '2024-02-01 10:00:04,005 INFO  [main] com.acme.App: done',
];
const CUT = new Set([1, 7]);

function records(from: number, to: number): RawRecord[] {
  return LINES.slice(from, to).map((text, k) => {
    const i = from + k;
    return CUT.has(i)
      ? { text, offset: i * 100, line: i + 1, truncated: true }
      : { text, offset: i * 100, line: i + 1 };
  });
}

function packed(from: number, to: number): PackedLines {
  const part = LINES.slice(from, to);
  return {
    text: part.join('\n'),
    offsets: Float64Array.from(part, (_, k) => (from + k) * 100),
    lines: Float64Array.from(part, (_, k) => from + k + 1),
    truncated: part
      .map((_, k) => from + k)
      .filter((i) => CUT.has(i))
      .map((i) => i - from),
  };
}

function open(): BatchParser {
  const batches = new BatchParser(new TemplateMiner(), null);
  batches.openSource(
    7,
    'app.log',
    createSourceParser(LINES.slice(0, 50), { uri: 'app.log', mtimeMs: 0, timezone: 'UTC' }),
  );
  return batches;
}

describe('packed line batches', () => {
  it('give the same events as record batches, joined across batch edges', () => {
    const a = open();
    const b = open();
    const cuts = [0, 3, 5, 9];
    const viaRecords = [];
    const viaPacked = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const end = k + 2 === cuts.length;
      viaRecords.push(...a.parse(7, records(cuts[k], cuts[k + 1]), { end }));
      viaPacked.push(...b.parsePacked(7, packed(cuts[k], cuts[k + 1]), { end }));
    }
    expect(viaPacked).toEqual(viaRecords);
    expect(viaPacked.map((e) => [e.line, e.offset, e.sourceId])).toEqual([
      [1, 0, 7],
      [2, 100, 7],
      [7, 600, 7],
      [8, 700, 7],
      [9, 800, 7],
    ]);
    expect(viaPacked[1].raw).toBe(
      LINES.slice(1, 6)
        .filter((l) => l)
        .join('\n')
        .replace('\r', ''),
    );
    expect(viaPacked.map((e) => e.fields.truncated === true)).toEqual([false, true, false, true, false]);
    expect(viaPacked.every((e) => e.template != null)).toBe(true);
    expect(b.finishedSources()).toEqual(a.finishedSources());
    expect(b.finishedSources()[0]).toMatchObject({ uri: 'app.log', format: 'generic', events: 5 });
  });

  it('an empty batch is nothing until it ends the source, which flushes the pending event', () => {
    const batches = open();
    const none: PackedLines = {
      text: '',
      offsets: new Float64Array(0),
      lines: new Float64Array(0),
      truncated: [],
    };
    expect(batches.parsePacked(7, packed(0, 2), {})).toHaveLength(1);
    expect(batches.parsePacked(7, none, {})).toEqual([]);
    const last = batches.parsePacked(7, none, { end: true });
    expect(last.map((e) => e.line)).toEqual([2]);
    expect(batches.finishedSources()[0].events).toBe(2);
  });

  it('refuses a batch whose text and columns disagree', () => {
    const batches = open();
    const bad = { ...packed(0, 3), offsets: new Float64Array(2) };
    expect(() => batches.parsePacked(7, bad, {})).toThrow('internal: malformed line batch');
  });
});
