// glog / klog lines, what Kubernetes components (kubelet, kube-apiserver, …) and many Go and C++ services write:
// `I0102 03:04:05.678901   12345 server.go:123] message`. The letter is the level (Info, Warning, Error, Fatal),
// then month and day without a year (inferred like syslog's), the time, the thread id and the source file:line.
import type { Severity } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { fractionMs, type SourceClock } from '../time-zone.ts';

// Groups: 1 level, 2 month, 3 day, 4 h, 5 m, 6 s, 7 fraction, 8 thread, 9 file, 10 line.
const HEAD_RE =
  /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? +(\d{1,10}) ([^\s:\]]{1,256}):(\d{1,9})\] ?/;

const LEVELS: Record<string, Severity> = { I: 'info', W: 'warn', E: 'error', F: 'critical' };

export function createGlogParser(clock: SourceClock): LineParser {
  return (line) => {
    const m = HEAD_RE.exec(line);
    if (!m) return null;
    const ts = clock.toMs(null, +m[2], +m[3], +m[4], +m[5], +m[6], fractionMs(m[7]), null);
    const fields: Record<string, FieldValue> = { thread: Number(m[8]), file: m[9], line: Number(m[10]) };
    return { ts, host: null, severity: LEVELS[m[1]], message: line.slice(m[0].length), fields };
  };
}

export const glog: FormatDef = {
  name: 'glog',
  description:
    'glog / klog (Kubernetes, Go and C++ services): Lmmdd hh:mm:ss.uuuuuu thread file:line] message',
  // Stack traces and panics after a Fatal line are continuation lines.
  multiline: true,
  test: (line) => HEAD_RE.test(line),
  create: (_sample, clock) => createGlogParser(clock),
};
