// Syslog stream framing (RFC 6587) and the live line cutter, fed real byte streams split at every position.
import { describe, expect, it } from 'vitest';
import { FrameDecoder, isRfc5424 } from '../../../electron/engine/sources/live/syslog-framing.ts';
import { cutLines } from '../../../electron/engine/sources/live/line-cutter.ts';

const MSGS = [
  '<13>1 2026-11-23T10:00:00Z h app - - - héllo',
  '<14>Nov 23 10:00:00 h app: two\nlines',
  '<15>1 - - - - - - x',
];

function feedSplit(bytes: Buffer, at: number): string[] {
  const d = new FrameDecoder();
  return [...d.push(bytes.subarray(0, at)), ...d.push(bytes.subarray(at)), ...d.end()];
}

describe('syslog framing', () => {
  it('decodes octet-counted frames (embedded newlines kept) whatever the chunking', () => {
    const bytes = Buffer.concat(MSGS.map((m) => Buffer.from(`${Buffer.byteLength(m)} ${m}`)));
    for (let at = 0; at <= bytes.length; at++) expect(feedSplit(bytes, at)).toEqual(MSGS);
  });

  it('decodes newline framing, CRLF included, and keeps a last unterminated line', () => {
    const bytes = Buffer.from('<13>a\r\n<13>b\n<13>c');
    for (let at = 0; at <= bytes.length; at++)
      expect(feedSplit(bytes, at)).toEqual(['<13>a', '<13>b', '<13>c']);
  });

  it('picks the framing from the first byte of the connection', () => {
    const d = new FrameDecoder();
    d.push(Buffer.from('5 <1>ab'));
    expect(d.framing).toBe('octet-counting');
    const n = new FrameDecoder();
    n.push(Buffer.from('<1>ab\n'));
    expect(n.framing).toBe('newline');
  });

  it('tells RFC 5424 from RFC 3164 by the version after the priority', () => {
    expect(MSGS.map(isRfc5424)).toEqual([true, false, true]);
  });
});

describe('live line cutter', () => {
  it('leaves a partial last line for the next read unless the source is final', () => {
    const buf = Buffer.from('one\r\ntwo\nthr');
    const cut = cutLines(buf, buf.length, 100, 7, false);
    expect(cut.records).toEqual([
      { text: 'one', offset: 100, line: 7 },
      { text: 'two', offset: 105, line: 8 },
    ]);
    expect(cut.consumed).toBe(9);
    expect(cutLines(buf, buf.length, 100, 7, true).records[2]).toEqual({ text: 'thr', offset: 109, line: 9 });
  });
});
