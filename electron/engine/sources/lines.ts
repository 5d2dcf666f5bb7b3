// Cuts a byte stream into lines: exact byte offsets, UTF-8 decoding with invalid sequences replaced and
// counted, and bounded memory however long a line is.
import { isAscii, isUtf8 } from 'node:buffer';
import type { PackedLines, RawRecord } from './types.ts';

export interface ReadLinesOptions {
  /** Longer lines are cut here (record.truncated) and the rest of the line is skipped unbuffered. */
  maxLineBytes?: number;
  batchLines?: number;
  /** Byte offset of the stream's first byte within the source (for resumed reads). */
  startOffset?: number;
  /** Line number of the stream's first line (1-based). */
  startLine?: number;
}

export interface LineBatch {
  /** The batch's lines, joined by '\n' in one string (what the parse worker is sent). */
  lines: PackedLines;
  /** Source bytes consumed since the previous batch (lines plus their terminators). */
  bytes: number;
  /** Invalid UTF-8 sequences replaced by U+FFFD in these lines. */
  invalidUtf8: number;
}

/**
 * Buffer's own slice decoders (present in Node 20 and 22, undocumented but stable for a decade): they skip
 * toString's argument checks, which is measurable at one call per line.
 */
interface SliceMethods {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const DEFAULT_MAX_LINE = 1024 * 1024;
const DEFAULT_BATCH = 4096;
const NL = 0x0a;
const CR = 0x0d;

/** A batch's lines as records (tests, and consumers that want one object per line). */
export function unpackLines(p: PackedLines): RawRecord[] {
  const n = p.offsets.length;
  if (n === 0) return [];
  const texts = p.text.split('\n');
  if (texts.length !== n) throw new Error('internal: malformed line batch');
  const out: RawRecord[] = new Array<RawRecord>(n);
  for (let i = 0; i < n; i++) out[i] = { text: texts[i], offset: p.offsets[i], line: p.lines[i] };
  for (const i of p.truncated) out[i].truncated = true;
  return out;
}

/** The first `max` lines of a batch (a format-detection sample). */
export function firstLines(p: PackedLines, max: number): string[] {
  return p.offsets.length === 0 ? [] : p.text.split('\n', Math.min(max, p.offsets.length));
}

export async function* readLines(
  stream: NodeJS.ReadableStream,
  opts: ReadLinesOptions = {},
): AsyncGenerator<LineBatch> {
  const maxLine = Math.max(4, opts.maxLineBytes ?? DEFAULT_MAX_LINE);
  const batchLines = Math.max(1, opts.batchLines ?? DEFAULT_BATCH);
  let lineNo = opts.startLine ?? 1;
  /** Absolute offset of the first byte of the line being assembled. */
  let lineStart = opts.startOffset ?? 0;
  let yieldedUpTo = lineStart;
  // The batch being filled: its text in pieces (a line, or a run of whole lines decoded at once), joined by '\n'.
  let parts: string[] = [];
  let n = 0;
  let offsets = new Float64Array(batchLines);
  let lineNos = new Float64Array(batchLines);
  let truncated: number[] = [];
  let invalid = 0;
  // Bytes of a line that started in an earlier chunk; never more than maxLine bytes.
  let carry: Buffer[] = [];
  let carryLen = 0;
  // After a cut: drop bytes until the line's newline arrives.
  let skipping = false;

  let knownAscii = false;
  const emit = (buf: Buffer, start: number, end: number, cut: boolean, knownValid: boolean): void => {
    if (end > start && buf[end - 1] === CR && !cut) end--;
    // ASCII is decoded as latin1: same characters, and V8 builds the one-byte string without UTF-8 decoding.
    const fast = buf as unknown as SliceMethods;
    const text = knownAscii ? fast.latin1Slice(start, end) : fast.utf8Slice(start, end);
    if (!knownValid && !isUtf8(buf.subarray(start, end))) invalid += countReplacements(text, buf, start, end);
    if (cut) truncated.push(n);
    parts.push(text);
    offsets[n] = lineStart;
    lineNos[n++] = lineNo++;
  };
  const take = (): LineBatch => {
    const lines: PackedLines = {
      text: parts.join('\n'),
      offsets: n === batchLines ? offsets : offsets.slice(0, n),
      lines: n === batchLines ? lineNos : lineNos.slice(0, n),
      truncated,
    };
    const batch = { lines, bytes: lineStart - yieldedUpTo, invalidUtf8: invalid };
    yieldedUpTo = lineStart;
    parts = [];
    n = 0;
    offsets = new Float64Array(batchLines);
    lineNos = new Float64Array(batchLines);
    truncated = [];
    invalid = 0;
    return batch;
  };

  /** Absolute offset of the current chunk's first byte. */
  let base = lineStart;
  for await (const raw of stream as AsyncIterable<Buffer | string>) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let pos = 0;
    // One validity check over the lines wholly inside this chunk lets clean input skip the per-line check.
    const firstNl = chunk.indexOf(NL);
    const lastNl = firstNl < 0 ? -1 : chunk.lastIndexOf(NL);
    const inner = chunk.subarray(firstNl + 1, lastNl + 1);
    const innerAscii = firstNl >= 0 && isAscii(inner);
    const innerValid = innerAscii || (firstNl >= 0 && isUtf8(inner));
    // Valid lines without CR inside the chunk are decoded a run at a time: their bytes, newlines included, are
    // the batch's text already, so no string or object is made per line.
    const runs = innerValid && inner.indexOf(CR) < 0;
    while (pos < chunk.length) {
      const nl = pos === 0 ? firstNl : chunk.indexOf(NL, pos);
      if (nl < 0) {
        if (!skipping) stash(chunk.subarray(pos));
        break;
      }
      if (skipping) {
        skipping = false;
      } else if (carryLen === 0) {
        if (nl - pos > maxLine) emit(chunk, pos, pos + cutPoint(chunk, pos, maxLine), true, false);
        else if (runs && pos > firstNl) {
          const runStart = pos;
          let end = nl;
          for (;;) {
            offsets[n] = base + pos;
            lineNos[n++] = lineNo++;
            pos = end + 1;
            if (n >= batchLines) break;
            const next = chunk.indexOf(NL, pos);
            if (next < 0 || next - pos > maxLine) break;
            end = next;
          }
          const fast = chunk as unknown as SliceMethods;
          parts.push(innerAscii ? fast.latin1Slice(runStart, pos - 1) : fast.utf8Slice(runStart, pos - 1));
          lineStart = base + pos;
          if (n >= batchLines) yield take();
          continue;
        } else {
          knownAscii = innerAscii && pos > firstNl;
          emit(chunk, pos, nl, false, innerValid && pos > firstNl);
          knownAscii = false;
        }
      } else {
        const whole = joinCarry(chunk.subarray(pos, nl));
        if (whole.length > maxLine) emit(whole, 0, cutPoint(whole, 0, maxLine), true, false);
        else emit(whole, 0, whole.length, false, false);
      }
      lineStart = base + nl + 1;
      pos = nl + 1;
      if (n >= batchLines) yield take();
    }
    base += chunk.length;
  }
  // A last line without a newline is still a line.
  if (carryLen > 0) {
    const whole = joinCarry(Buffer.alloc(0));
    emit(whole, 0, whole.length, false, false);
  }
  lineStart = base;
  if (n > 0 || lineStart > yieldedUpTo) yield take();

  // Keeps a partial line; once it passes the cap, emits the cut record and skips the rest of the line.
  function stash(part: Buffer): void {
    if (carryLen + part.length <= maxLine) {
      // Copy: the stream may reuse or retain its chunk; a partial line is small relative to the chunk.
      carry.push(Buffer.from(part));
      carryLen += part.length;
      return;
    }
    const whole = joinCarry(part.subarray(0, maxLine - carryLen + 4));
    emit(whole, 0, cutPoint(whole, 0, maxLine), true, false);
    carry = [];
    carryLen = 0;
    skipping = true;
  }

  function joinCarry(tail: Buffer): Buffer {
    const whole = carry.length === 1 && tail.length === 0 ? carry[0] : Buffer.concat([...carry, tail]);
    carry = [];
    carryLen = 0;
    return whole;
  }
}

/** Longest prefix of at most `max` bytes that does not split a UTF-8 character. */
function cutPoint(buf: Buffer, start: number, max: number): number {
  let len = max;
  while (len > max - 4 && len > 0 && start + len < buf.length && (buf[start + len] & 0xc0) === 0x80) len--;
  return len;
}

/** Replacement characters the decoder produced (literal U+FFFD already in the input does not count). */
function countReplacements(text: string, buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) n++;
  for (let i = buf.indexOf(LITERAL_FFFD, start); i >= 0 && i + 3 <= end; i = buf.indexOf(LITERAL_FFFD, i + 3))
    n--;
  return n;
}

const LITERAL_FFFD = Buffer.from([0xef, 0xbf, 0xbd]);
