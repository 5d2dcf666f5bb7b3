// Apache/nginx access logs, common and combined: `client ident user [time] "request" status bytes` plus, for
// combined, `"referer" "user agent"`, and optionally a trailing request time (nginx $request_time, Apache %D).
import type { Severity } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { fractionMs, MONTHS, type SourceClock } from '../time-zone.ts';

// Groups: 1 client, 2 ident, 3 user, 4 day, 5 mon, 6 year, 7 h, 8 m, 9 s, 10 frac, 11 zone, 12 request, 13 status,
// 14 bytes; the rest of the line is read separately.
const HEAD =
  '^(\\S{1,255}) (\\S{1,128}) (\\S{1,255}) \\[(\\d{2})/([A-Z][a-z]{2})/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))? ?([+-]\\d{4})?\\] "((?:[^"\\\\]|\\\\.){0,65536})" (\\d{3}) (\\d{1,15}|-)';
const COMMON_RE = new RegExp(`${HEAD}(?: (\\d{1,9}(?:\\.\\d{1,6})?))?$`);
const COMBINED_RE = new RegExp(
  `${HEAD} "((?:[^"\\\\]|\\\\.){0,65536})" "((?:[^"\\\\]|\\\\.){0,65536})"(?: (\\d{1,9}(?:\\.\\d{1,6})?))?`,
);
const REQUEST_RE = /^([A-Z]{1,16}) (\S+)(?: (\S+))?$/;

function statusSeverity(status: number): Severity {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

function create(re: RegExp, combined: boolean, clock: SourceClock): LineParser {
  return (line) => {
    const m = re.exec(line);
    if (!m) return null;
    const mo = MONTHS[m[5]];
    const zone = m[11];
    const off = zone
      ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
      : null;
    const ts = mo ? clock.toMs(+m[6], mo, +m[4], +m[7], +m[8], +m[9], fractionMs(m[10]), off) : null;
    const status = Number(m[13]);
    const fields: Record<string, FieldValue> = { client: m[1] };
    if (m[3] !== '-') fields.user = m[3];
    const req = REQUEST_RE.exec(m[12]);
    if (req) {
      fields.method = req[1];
      fields.path = req[2];
      if (req[3]) fields.protocol = req[3];
    } else {
      fields.request = m[12];
    }
    fields.status = status;
    fields.bytes = m[14] === '-' ? 0 : Number(m[14]);
    let rt: string | undefined;
    if (combined) {
      if (m[15] !== '-') fields.referer = m[15];
      if (m[16] !== '-') fields.user_agent = m[16];
      rt = m[17];
    } else {
      rt = m[15];
    }
    if (rt) fields.request_time = Number(rt);
    return { ts, host: null, severity: statusSeverity(status), message: line, fields };
  };
}

function probe(re: RegExp, line: string): boolean {
  return line.length <= 65536 && re.test(line);
}

export const accessCombined: FormatDef = {
  name: 'access-combined',
  description: 'Apache/nginx combined access log (with referer and user agent)',
  multiline: false,
  test: (line) => probe(COMBINED_RE, line),
  create: (_sample, clock) => create(COMBINED_RE, true, clock),
};

export const accessCommon: FormatDef = {
  name: 'access-common',
  description: 'Apache/nginx common access log',
  multiline: false,
  test: (line) => probe(COMMON_RE, line),
  create: (_sample, clock) => create(COMMON_RE, false, clock),
};
