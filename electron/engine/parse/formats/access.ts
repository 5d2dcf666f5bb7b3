// Apache/nginx access logs, common and combined: `client ident user [time] "request" status bytes` plus, for
// combined, `"referer" "user agent"`, and optionally a trailing request time (nginx $request_time, Apache %D).
// The line grammar lives in access-scan.ts; this file turns a scanned line into the event.
import type { Severity } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import type { SourceClock } from '../time-zone.ts';
import { AccessScan } from './access-scan.ts';

function statusSeverity(status: number): Severity {
  return status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

/** Whether line[start, end) is exactly `-`, the access log's "no value". */
function isDash(line: string, start: number, end: number): boolean {
  return end - start === 1 && line.charCodeAt(start) === 45;
}

function create(combined: boolean, clock: SourceClock): LineParser {
  const s = new AccessScan();
  return (line) => {
    if (!s.scan(line, combined)) return null;
    const ts = s.month
      ? clock.toMs(s.year, s.month, s.day, s.hour, s.minute, s.second, s.ms, s.offset)
      : null;
    const status = s.status;
    // Keys are added in a fixed order: the event's fields keep the order they always had.
    const fields: Record<string, FieldValue> = { client: line.slice(0, s.clientEnd) };
    if (!isDash(line, s.userStart, s.userEnd)) fields.user = line.slice(s.userStart, s.userEnd);
    if (s.methodEnd >= 0) {
      fields.method = line.slice(s.reqStart, s.methodEnd);
      fields.path = line.slice(s.methodEnd + 1, s.pathEnd);
      if (s.protocolStart >= 0) fields.protocol = line.slice(s.protocolStart, s.reqEnd);
    } else {
      fields.request = line.slice(s.reqStart, s.reqEnd);
    }
    fields.status = status;
    fields.bytes = s.bytes;
    if (combined) {
      if (!isDash(line, s.refererStart, s.refererEnd))
        fields.referer = line.slice(s.refererStart, s.refererEnd);
      if (!isDash(line, s.agentStart, s.agentEnd)) fields.user_agent = line.slice(s.agentStart, s.agentEnd);
    }
    if (s.requestTime >= 0) fields.request_time = s.requestTime;
    return { ts, host: null, severity: statusSeverity(status), message: line, fields };
  };
}

// Detection reads only a source's first lines; it shares one scanner.
const detectScan = new AccessScan();

function probe(combined: boolean, line: string): boolean {
  return line.length <= 65536 && detectScan.scan(line, combined);
}

export const accessCombined: FormatDef = {
  name: 'access-combined',
  description: 'Apache/nginx combined access log (with referer and user agent)',
  multiline: false,
  test: (line) => probe(true, line),
  create: (_sample, clock) => create(true, clock),
};

export const accessCommon: FormatDef = {
  name: 'access-common',
  description: 'Apache/nginx common access log',
  multiline: false,
  test: (line) => probe(false, line),
  create: (_sample, clock) => create(false, clock),
};
