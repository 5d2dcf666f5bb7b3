// logfmt: `key=value key2="quoted value" flag`. Every key becomes a field; time, level and message are found under
// the same common names as for JSON.
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { toFieldValue } from '../field-values.ts';
import type { SourceClock } from '../time-zone.ts';
import { firstKey, levelValue, MESSAGE_KEYS, LEVEL_KEYS, TIME_KEYS, timeValue } from './json.ts';

const HOST_KEYS = ['host', 'hostname'];

/** Reads logfmt pairs into fields; returns how many `key=value` pairs were seen, or -1 on a malformed line. */
export function readLogfmt(s: string, fields: Record<string, FieldValue>): number {
  const len = s.length;
  let i = 0;
  let pairs = 0;
  while (i < len) {
    while (i < len && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (i >= len) break;
    const keyStart = i;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 61 || c === 32 || c === 9 || c === 34) break;
      i++;
    }
    if (i === keyStart) return -1;
    const key = s.slice(keyStart, i);
    if (s.charCodeAt(i) !== 61) {
      if (s.charCodeAt(i) === 34) return -1;
      fields[key] = true;
      continue;
    }
    i++;
    if (s.charCodeAt(i) === 34) {
      let value = '';
      let chunk = ++i;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c === 92 && i + 1 < len) {
          value += s.slice(chunk, i);
          const e = s[i + 1];
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          chunk = ++i + 1;
        } else if (c === 34) break;
      }
      if (i >= len) return -1;
      value += s.slice(chunk, i);
      i++;
      fields[key] = value;
    } else {
      const vs = i;
      while (i < len && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9) i++;
      fields[key] = toFieldValue(s.slice(vs, i));
    }
    pairs++;
  }
  return pairs;
}

export function createLogfmtParser(clock: SourceClock): LineParser {
  return (line) => {
    const fields: Record<string, FieldValue> = {};
    if (readLogfmt(line, fields) < 1) return null;
    const tk = firstKey(fields, TIME_KEYS);
    const lk = firstKey(fields, LEVEL_KEYS);
    const mk = firstKey(fields, MESSAGE_KEYS);
    const hk = firstKey(fields, HOST_KEYS);
    let message = line;
    if (mk) {
      message = String(fields[mk]);
      delete fields[mk];
    }
    return {
      ts: tk ? timeValue(fields[tk], clock) : null,
      host: hk ? String(fields[hk]) : null,
      severity: lk ? levelValue(fields[lk]) : null,
      message,
      fields,
    };
  };
}

const KEY_START = /^[A-Za-z_@][\w.@-]{0,63}=/;

export const logfmt: FormatDef = {
  name: 'logfmt',
  description: 'logfmt key=value pairs (every key becomes a field)',
  multiline: false,
  test: (line) => {
    if (!KEY_START.test(line)) return false;
    const fields: Record<string, FieldValue> = {};
    if (readLogfmt(line.length > 4096 ? line.slice(0, 4096) : line, fields) < 2) return false;
    // Bare words would be flags in logfmt, but many of them mean prose that merely contains `a=b`.
    let flags = 0;
    for (const k in fields) if (fields[k] === true) flags++;
    return flags <= 1;
  },
  create: (_sample, clock) => createLogfmtParser(clock),
};
