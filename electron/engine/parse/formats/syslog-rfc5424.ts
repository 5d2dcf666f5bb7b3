// RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD-ID k="v"…] MSG`; structured data becomes fields
// named `sd.<id>.<param>`.
import { severityFromSyslog } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { toFieldValue } from '../field-values.ts';
import { fractionMs, type SourceClock } from '../time-zone.ts';

// Groups: 1 pri, 2 timestamp or '-', 3 host, 4 app, 5 procid, 6 msgid; the SD and message follow at lastIndex.
const HEAD_RE = /^(?:<(\d{1,3})>)?1 (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses `[id k="v" …]…` starting at i into fields; returns the index after the SD, or -1 when malformed. */
export function parseStructuredData(s: string, i: number, fields: Record<string, FieldValue>): number {
  if (s[i] === '-') return i + 1;
  const len = s.length;
  while (i < len && s[i] === '[') {
    let j = i + 1;
    while (j < len && s[j] !== ' ' && s[j] !== ']') j++;
    const id = s.slice(i + 1, j);
    if (!id) return -1;
    while (j < len && s[j] === ' ') {
      j++;
      const eq = s.indexOf('=', j);
      if (eq < 0 || s[eq + 1] !== '"') return -1;
      const name = s.slice(j, eq);
      let k = eq + 2;
      let value = '';
      let chunk = k;
      for (; k < len; k++) {
        const c = s[k];
        if (c === '\\' && k + 1 < len && (s[k + 1] === '"' || s[k + 1] === '\\' || s[k + 1] === ']')) {
          value += s.slice(chunk, k);
          chunk = ++k;
        } else if (c === '"') break;
      }
      if (k >= len) return -1;
      value += s.slice(chunk, k);
      fields[`sd.${id}.${name}`] = toFieldValue(value);
      j = k + 1;
    }
    if (s[j] !== ']') return -1;
    i = j + 1;
  }
  return i;
}

export function createRfc5424Parser(clock: SourceClock): LineParser {
  return (line) => {
    const m = HEAD_RE.exec(line);
    if (!m) return null;
    let ts: number | null = null;
    if (m[2] !== '-') {
      const t = TS_RE.exec(m[2]);
      if (!t) return null;
      const z = t[8];
      const off = !z
        ? null
        : z === 'Z'
          ? 0
          : (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6)));
      ts = clock.toMs(+t[1], +t[2], +t[3], +t[4], +t[5], +t[6], fractionMs(t[7]), off);
    }
    const fields: Record<string, FieldValue> = {};
    if (m[4] !== '-') fields.app = m[4];
    if (m[5] !== '-') fields.pid = toFieldValue(m[5]);
    if (m[6] !== '-') fields.msgid = m[6];
    if (m[1] !== undefined) fields.facility = Number(m[1]) >> 3;
    let i = parseStructuredData(line, m[0].length, fields);
    if (i < 0) i = m[0].length;
    if (line[i] === ' ') i++;
    if (line.charCodeAt(i) === 0xfeff) i++;
    return {
      ts,
      host: m[3] === '-' ? null : m[3],
      severity: m[1] !== undefined ? severityFromSyslog(Number(m[1])) : null,
      message: line.slice(i),
      fields,
    };
  };
}

export const syslogRfc5424: FormatDef = {
  name: 'syslog-rfc5424',
  description: 'RFC 5424 syslog: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG',
  multiline: true,
  test: (line) => {
    const m = HEAD_RE.exec(line.length > 1024 ? line.slice(0, 1024) : line);
    return m != null && (m[2] === '-' || TS_RE.test(m[2]));
  },
  create: (_sample, clock) => createRfc5424Parser(clock),
};
