// Redis server log: `1234:M 02 Jan 2024 03:04:05.678 * Ready to accept connections`. The pid, the role (M primary,
// S replica, C a child saving the dataset, X sentinel), the time, and a mark that is the level: `.` debug,
// `-` verbose, `*` notice, `#` warning.
import type { Severity } from '../../../../shared/severity.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { fractionMs, MONTHS, type SourceClock } from '../time-zone.ts';

// Groups: 1 pid, 2 role, 3 day, 4 month, 5 year, 6 h, 7 m, 8 s, 9 ms, 10 mark.
const HEAD_RE =
  /^(\d{1,10}):([XCSM]) (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([.\-*#]) /;

const MARKS: Record<string, Severity> = { '.': 'debug', '-': 'trace', '*': 'notice', '#': 'warn' };
const ROLES: Record<string, string> = { M: 'master', S: 'replica', C: 'child', X: 'sentinel' };

export function createRedisParser(clock: SourceClock): LineParser {
  return (line) => {
    const m = HEAD_RE.exec(line);
    if (!m) return null;
    const mo = MONTHS[m[4]];
    const ts = mo ? clock.toMs(+m[5], mo, +m[3], +m[6], +m[7], +m[8], fractionMs(m[9]), null) : null;
    return {
      ts,
      host: null,
      severity: MARKS[m[10]],
      message: line.slice(m[0].length),
      fields: { pid: Number(m[1]), role: ROLES[m[2]] },
    };
  };
}

export const redis: FormatDef = {
  name: 'redis',
  description: 'Redis server log: pid:role day Mon year time mark message',
  multiline: false,
  test: (line) => HEAD_RE.test(line),
  create: (_sample, clock) => createRedisParser(clock),
};
