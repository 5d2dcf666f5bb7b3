// lnav as the peer: `lnav -n -c ';SELECT count(*) FROM <table> WHERE <column> LIKE …' FILE` opens the file,
// indexes it and runs the count, all in one process (lnav keeps no index on disk, so every run pays the open).
import { runMeasured, type Measured } from '../measure/process.ts';

export interface LnavTarget {
  /** lnav's log table for the file's format (syslog_log, access_log). */
  table: string;
  /** The column holding the text: `log_body` for syslog_log; access_log leaves it empty, so `log_text`. */
  column: string;
}

export function lnavCountCommand(target: LnavTarget, word: string): string {
  // SQL string literal: single quotes; the bench's words are plain letters, so no escaping is needed.
  return `;SELECT count(*) FROM ${target.table} WHERE ${target.column} LIKE '%${word}%'`;
}

export interface LnavRun {
  measured: Measured;
  /** The last count printed (one per -c), or null when lnav failed. */
  count: number | null;
}

/** Opens `file` in lnav and runs the count `queries` times in the same process (to isolate per-query cost). */
export async function lnavCount(
  file: string,
  target: LnavTarget,
  word: string,
  queries = 1,
): Promise<LnavRun> {
  const args = ['-n'];
  for (let i = 0; i < queries; i++) args.push('-c', lnavCountCommand(target, word));
  args.push(file);
  const measured = await runMeasured('lnav', args);
  return { measured, count: measured.code === 0 ? lastInteger(measured.stdout) : null };
}

/** lnav -n prints the result as a small table (`count(*)` then the value); the value is the last integer. */
export function lastInteger(text: string): number | null {
  const all = text.match(/\d+/g);
  return all ? Number(all[all.length - 1]) : null;
}
