// Apache httpd error log: `[Sun Dec 04 04:47:44 2005] [notice] message` (2.2) and
// `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 1.2.3.4:5] AH00124: msg` (2.4).
import { normalizeSeverity } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { fractionMs, MONTHS, type SourceClock } from '../time-zone.ts';

// Groups: 1 month, 2 day, 3 h, 4 m, 5 s, 6 frac, 7 year, 8 module, 9 level.
const HEAD_RE =
  /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})\] \[(?:([\w.-]{1,64}):)?([a-z]{1,10}\d?)\] ?/;
const PID_RE = /^\[pid (\d{1,10})(?::tid (\d{1,24}))?\] ?/;
const CLIENT_RE = /^\[(?:client|remote) ([^\]\s]{1,128})\] ?/;

export function createApacheErrorParser(clock: SourceClock): LineParser {
  return (line) => {
    const m = HEAD_RE.exec(line);
    if (!m) return null;
    const mo = MONTHS[m[1]];
    const ts = mo ? clock.toMs(+m[7], mo, +m[2], +m[3], +m[4], +m[5], fractionMs(m[6]), null) : null;
    const fields: Record<string, FieldValue> = {};
    if (m[8]) fields.module = m[8];
    let i = m[0].length;
    const pid = PID_RE.exec(line.slice(i, i + 64));
    if (pid) {
      fields.pid = Number(pid[1]);
      if (pid[2]) fields.tid = pid[2];
      i += pid[0].length;
    }
    const client = CLIENT_RE.exec(line.slice(i, i + 160));
    if (client) {
      fields.client = client[1];
      i += client[0].length;
    }
    const level = m[9].replace(/\d$/, '');
    return { ts, host: null, severity: normalizeSeverity(level), message: line.slice(i), fields };
  };
}

export const apacheError: FormatDef = {
  name: 'apache-error',
  description: 'Apache httpd error log: [ctime] [module:level] [pid …] [client …] message',
  multiline: true,
  test: (line) => HEAD_RE.test(line),
  create: (_sample, clock) => createApacheErrorParser(clock),
};
