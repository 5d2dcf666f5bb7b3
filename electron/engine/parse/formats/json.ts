// JSON lines with any keys: time, level, message and host are found under their common names; every scalar
// becomes a field (nested objects flattened with dots).
import { normalizeSeverity, severityFromSyslog, type Severity } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { flattenInto } from '../field-values.ts';
import type { SourceClock } from '../time-zone.ts';
import { findTimestamp, LAYOUTS } from '../timestamps.ts';

export const TIME_KEYS = [
  'ts',
  'time',
  '@timestamp',
  'timestamp',
  'datetime',
  'date',
  't',
  'eventTime',
  'asctime',
  '@t',
  'Timestamp',
  'Time',
  'time_local',
  '__REALTIME_TIMESTAMP',
];
export const LEVEL_KEYS = [
  'level',
  'severity',
  'lvl',
  'loglevel',
  'log_level',
  'levelname',
  'level_name',
  '@l',
  'Level',
  'Severity',
  'log.level',
  'PRIORITY',
];
export const MESSAGE_KEYS = [
  'msg',
  'message',
  '@message',
  '@m',
  '@mt',
  'log',
  'text',
  'Message',
  'MESSAGE',
  'event',
];
const HOST_KEYS = ['host', 'hostname', 'host.name', 'host.hostname', '_HOSTNAME', 'Hostname', 'Host'];

/** A time value: ISO/any catalogue layout string, or a number in seconds, ms, µs or ns since the epoch. */
export function timeValue(v: FieldValue | undefined, clock: SourceClock): number | null {
  if (typeof v === 'number') return epochNumber(v);
  if (typeof v !== 'string' || v.length === 0) return null;
  if (/^\d{9,19}(?:\.\d+)?$/.test(v)) return epochNumber(Number(v));
  const f = findTimestamp(v, LAYOUTS, clock);
  return f && f.start <= 1 ? f.ms : null;
}

function epochNumber(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  if (n < 1e17) return Math.round(n / 1000);
  return Math.round(n / 1e6);
}

/** Level values: words, pino/bunyan numbers (10..60) and syslog numbers (0..7). */
export function levelValue(v: FieldValue | undefined): Severity | null {
  if (typeof v === 'string') {
    if (/^\d{1,2}$/.test(v)) return levelValue(Number(v));
    return normalizeSeverity(v);
  }
  if (typeof v !== 'number') return null;
  if (v >= 0 && v <= 7 && Number.isInteger(v)) return severityFromSyslog(v);
  if (v >= 10 && v <= 60)
    return (['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const)[Math.floor(v / 10) - 1];
  return null;
}

export function firstKey(fields: Record<string, FieldValue>, keys: readonly string[]): string | null {
  for (const k of keys) if (fields[k] !== undefined && fields[k] !== null) return k;
  return null;
}

/**
 * The message key flattening would find (firstKey over MESSAGE_KEYS), read off the parsed object: a top-level
 * scalar or array (an object value is flattened into dotted keys instead). Valid when the object has no empty key.
 */
function topMessageKey(top: Record<string, unknown>): string | null {
  for (const k of MESSAGE_KEYS) {
    const v = top[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object' || Array.isArray(v)) return k;
  }
  return null;
}

export function createJsonParser(clock: SourceClock): LineParser {
  return (line) => {
    let start = 0;
    while (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9) start++;
    if (line.charCodeAt(start) !== 123) return null;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return null;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
    const top = obj as Record<string, unknown>;
    const fields: Record<string, FieldValue> = {};
    let message = line;
    // An empty key lifts its object's keys to the top (flattenInto): only the general path knows the message then.
    const mk = '' in top ? null : topMessageKey(top);
    if (mk === null) {
      flattenInto(fields, '', obj);
      const k = firstKey(fields, MESSAGE_KEYS);
      if (k) {
        const v = fields[k];
        message = typeof v === 'string' ? v : String(v);
        delete fields[k];
      }
    } else {
      // The message is left out while flattening rather than deleted after: a delete turns the fields object
      // into a slow dictionary for everything that reads it later (identifiers, the store's JSON).
      const v = top[mk];
      message = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
      for (const k of Object.keys(top)) if (k !== mk) flattenInto(fields, k, top[k], 1);
    }
    const tk = firstKey(fields, TIME_KEYS);
    const lk = firstKey(fields, LEVEL_KEYS);
    const hk = firstKey(fields, HOST_KEYS);
    return {
      ts: tk ? timeValue(fields[tk], clock) : null,
      host: hk ? String(fields[hk]) : null,
      severity: lk ? levelValue(fields[lk]) : null,
      message,
      fields,
    };
  };
}

export const json: FormatDef = {
  name: 'json',
  description: 'JSON lines with any keys (time, level, message found by common names)',
  multiline: false,
  test: (line) => {
    const s = line.trim();
    if (s.length < 2 || s[0] !== '{' || s[s.length - 1] !== '}') return false;
    try {
      const v = JSON.parse(s);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    } catch {
      return false;
    }
  },
  create: (_sample, clock) => createJsonParser(clock),
};
