// The one severity scale of DESIGN.md, lowest first. Stored as its index so `sev>=warn` is a numeric comparison.
export const SEVERITIES = [
  'trace',
  'debug',
  'info',
  'notice',
  'warn',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;

export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function severityFromRank(rank: number | null | undefined): Severity | null {
  return rank == null ? null : (SEVERITIES[rank] ?? null);
}

const ALIASES: Record<string, Severity> = {
  trace: 'trace',
  trc: 'trace',
  finest: 'trace',
  finer: 'trace',
  verbose: 'trace',
  v: 'trace',
  debug: 'debug',
  dbg: 'debug',
  d: 'debug',
  fine: 'debug',
  debug1: 'debug',
  debug2: 'debug',
  info: 'info',
  inf: 'info',
  information: 'info',
  informational: 'info',
  i: 'info',
  config: 'info',
  log: 'info', // PostgreSQL's ordinary messages
  notice: 'notice',
  note: 'notice',
  system: 'notice', // MySQL 8's start-up and shutdown messages
  n: 'notice',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  w: 'warn',
  error: 'error',
  err: 'error',
  e: 'error',
  severe: 'error',
  failure: 'error',
  fail: 'error',
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  f: 'critical',
  c: 'critical',
  alert: 'alert',
  a: 'alert',
  emergency: 'emergency',
  emerg: 'emergency',
  panic: 'emergency',
};

/** Maps a level word from any common log format (case-insensitive) onto the scale; null when unknown. */
export function normalizeSeverity(word: string | null | undefined): Severity | null {
  if (!word) return null;
  return ALIASES[word.trim().toLowerCase()] ?? null;
}

/** Syslog severities 0..7 (RFC 5424 §6.2.1) onto the scale. */
export function severityFromSyslog(code: number): Severity {
  return (['emergency', 'alert', 'critical', 'error', 'warn', 'notice', 'info', 'debug'] as const)[code & 7];
}
