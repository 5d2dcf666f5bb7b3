// A batch of events packed into columns for the trip to a segment-builder worker. Structured-cloning 10k event
// objects costs more than building them; typed arrays are transferred (no copy) and the text of the whole
// batch travels as one string.
import type { LogEvent } from '../../../shared/event.ts';
import { severityRank } from '../../../shared/severity.ts';

export interface EventColumns {
  n: number;
  /** ts, line, offset, sourceId, template, anomaly: n each, in that order; NaN stands for null. */
  nums: Float64Array;
  /** sev (-1 null), host index (-1 null), raw length, message length (-1: message is raw from msgAt),
   *  msgAt, fields length (-1 null): n each, in that order. */
  ints: Int32Array;
  hosts: string[];
  /** Per event: raw, then the message when stored apart, then the fields' JSON when there are fields. */
  text: string;
}

export const NUM_COLUMNS = 6;
export const INT_COLUMNS = 6;

export interface PackedBatch {
  cols: EventColumns;
  transfer: ArrayBuffer[];
  /** Sum of raw lengths (UTF-16 units): what bounds a segment's size. */
  rawChars: number;
}

/** Packs events[start, end) into columns. */
export function packEvents(events: LogEvent[], start: number, end: number): PackedBatch {
  const n = end - start;
  const nums = new Float64Array(n * NUM_COLUMNS);
  const ints = new Int32Array(n * INT_COLUMNS);
  const hosts: string[] = [];
  const hostIndex = new Map<string, number>();
  const parts: string[] = [];
  // The events with fields: their objects, their rows, and their texts' places in `parts` (filled in at the end).
  const objects: object[] = [];
  const rows: number[] = [];
  const places: number[] = [];
  let rawChars = 0;
  for (let i = 0; i < n; i++) {
    const e = events[start + i];
    nums[i] = e.ts ?? NaN;
    nums[n + i] = e.line ?? NaN;
    nums[2 * n + i] = e.offset;
    nums[3 * n + i] = e.sourceId;
    nums[4 * n + i] = e.template ?? NaN;
    nums[5 * n + i] = e.anomaly;
    ints[i] = e.severity == null ? -1 : severityRank(e.severity); // -1 for a name off the scale too
    if (e.host == null) ints[n + i] = -1;
    else {
      let h = hostIndex.get(e.host);
      if (h === undefined) {
        h = hosts.length;
        hosts.push(e.host);
        hostIndex.set(e.host, h);
      }
      ints[n + i] = h;
    }
    const raw = e.raw;
    const msg = e.message;
    parts.push(raw);
    ints[2 * n + i] = raw.length;
    rawChars += raw.length;
    // The common case: the message is the raw line's tail, so only where it starts is kept.
    if (msg.length <= raw.length && raw.endsWith(msg)) {
      ints[3 * n + i] = -1;
      ints[4 * n + i] = raw.length - msg.length;
    } else {
      parts.push(msg);
      ints[3 * n + i] = msg.length;
    }
    ints[5 * n + i] = -1;
    const f = e.fields;
    for (const _ in f) {
      objects.push(f);
      rows.push(i);
      places.push(parts.length);
      parts.push('');
      break;
    }
  }
  if (objects.length > 0) {
    const all = JSON.stringify(objects);
    const ends = objectEnds(all, objects.length);
    for (let k = 0, at = 1; k < objects.length; k++) {
      parts[places[k]] = all.slice(at, ends[k]);
      ints[5 * n + rows[k]] = ends[k] - at;
      at = ends[k] + 1;
    }
  }
  return {
    cols: { n, nums, ints, hosts, text: parts.join('') },
    transfer: [nums.buffer, ints.buffer],
    rawChars,
  };
}

/**
 * Where each of the `count` objects of a JSON array ends (exclusive) in `json`, JSON.stringify's text of them; the
 * next starts past the `,`. One JSON.stringify per batch costs less than one per event, and an object's text inside
 * the array is the same as on its own (no indentation; fields are plain objects, without toJSON).
 *
 * When no value holds a `}` (no brace in a string, no nested object), each object's text ends at its first `}`, and
 * then the array's count-th `}` is its last, right before the closing `]`. With any other count the texts are cut by
 * reading them (objectEnd).
 */
function objectEnds(json: string, count: number): Int32Array {
  const ends = new Int32Array(count);
  let at = 0;
  for (let k = 0; k < count && at >= 0; k++) {
    at = json.indexOf('}', at + 1);
    ends[k] = at + 1;
  }
  if (at !== json.length - 2) {
    at = 1;
    for (let k = 0; k < count; k++) {
      ends[k] = objectEnd(json, at);
      at = ends[k] + 1;
    }
  }
  return ends;
}

/** The end (exclusive) of the JSON object whose `{` is at `at` in JSON.stringify's text, by its nesting. */
function objectEnd(json: string, at: number): number {
  let depth = 0;
  for (let i = at; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34) {
      // A string, to its closing quote: an escaped character (`\"` among them) is stepped over.
      for (i++; i < json.length && json.charCodeAt(i) !== 34; i++) if (json.charCodeAt(i) === 92) i++;
    } else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return i + 1;
  }
  throw new Error('internal: fields JSON cut short');
}

/** Characters of each row's text (raw, then message and fields when stored apart), from the length columns. */
function rowChars(cols: EventColumns, i: number): number {
  const { n, ints } = cols;
  return ints[2 * n + i] + Math.max(0, ints[3 * n + i]) + Math.max(0, ints[5 * n + i]);
}

/** Rows [start, end) of a batch as a batch of their own (a batch that crosses a segment boundary is cut). */
export function sliceColumns(cols: EventColumns, start: number, end: number): EventColumns {
  if (start === 0 && end === cols.n) return cols;
  const { n } = cols;
  const m = end - start;
  const nums = new Float64Array(m * NUM_COLUMNS);
  const ints = new Int32Array(m * INT_COLUMNS);
  for (let c = 0; c < NUM_COLUMNS; c++) nums.set(cols.nums.subarray(c * n + start, c * n + end), c * m);
  for (let c = 0; c < INT_COLUMNS; c++) ints.set(cols.ints.subarray(c * n + start, c * n + end), c * m);
  let from = 0;
  for (let i = 0; i < start; i++) from += rowChars(cols, i);
  let to = from;
  for (let i = start; i < end; i++) to += rowChars(cols, i);
  return { n: m, nums, ints, hosts: cols.hosts, text: cols.text.slice(from, to) };
}
