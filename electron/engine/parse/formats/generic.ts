// Generic timestamped lines: the source's layout (which timestamp, in which column, and where a level word and a
// host sit) is learned once from the sample, so each line costs one sticky regex plus a short token scan.
import { normalizeSeverity, type Severity } from '../../../../shared/severity.ts';
import type { FormatDef, LineParser, LineResult } from '../format.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import { MONTHS, SourceClock } from '../time-zone.ts';
import { findAllTimestamps, findTimestamp, LAYOUTS, matchLayoutAt, type TimeLayout } from '../timestamps.ts';
import { isContinuation } from '../multiline.ts';

const MAX_TOKENS = 14;
const TOKEN_CHARS = 300;
const LEVEL_WORD = /^[A-Za-z]{1,11}$/;
/** A host column: starts with a letter, carries a digit (node-246, R02-M1-N0-C:J12-U11, gige7, web-01). */
const HOST_LIKE = /^[A-Za-z][A-Za-z0-9]*(?:[-.:_][A-Za-z0-9]+)*$/;
const HOST_TOKEN = /^[A-Za-z0-9][\w.:-]*$/;
// Groups: 1 month, 2 app, 3 pid. Month, day, time, the sender's location, then `app[pid]: `.
const EMBEDDED_SYSLOG =
  /([A-Z][a-z]{2}) {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \S{1,255} ([^\s[\]:]{1,128})(?:\[(\d{1,10})\])?: /y;
/** Host-shaped tokens that name a file instead (OpenStack's `nova-api.log.1.2017-05-16_13:53:08` column). */
const FILE_LIKE = /\.(?:log|txt|out|err|gz)(?![A-Za-z])|\d{4}-\d{2}-\d{2}/i;
/** How far past the timestamp a host column is looked for when no level column bounds it (Thunderbird's
 * `- 1131566461 2005.11.09 dn228 Nov 9 …`: epoch, date, host). */
const HOST_AFTER_TIME = 3;

interface Plan {
  layout: TimeLayout | null;
  token: number;
  levelCol: number;
  hostCol: number;
  hits: number;
  considered: number;
}

/** Token boundaries of a line's head, reused across lines (no per-line arrays). */
class Tokens {
  readonly starts = new Int32Array(MAX_TOKENS);
  readonly ends = new Int32Array(MAX_TOKENS);
  count = 0;

  read(line: string): number {
    const limit = Math.min(line.length, TOKEN_CHARS);
    let n = 0;
    let i = 0;
    while (i < limit && n < MAX_TOKENS) {
      let c = line.charCodeAt(i);
      while (i < limit && (c === 32 || c === 9)) c = line.charCodeAt(++i);
      if (i >= limit) break;
      this.starts[n] = i;
      while (i < limit && c !== 32 && c !== 9) c = line.charCodeAt(++i);
      this.ends[n++] = i;
    }
    this.count = n;
    return n;
  }

  text(line: string, k: number): string {
    return line.slice(this.starts[k], this.ends[k]);
  }

  /** Index of the token holding character position pos. */
  at(pos: number): number {
    for (let k = 0; k < this.count; k++) if (pos < this.ends[k]) return k;
    return this.count;
  }
}

/** A level word in a header column: `INFO`, `[notice]`, `Info,`, `D`; single letters only in capitals. */
export function levelOf(token: string): Severity | null {
  let a = 0;
  let b = token.length;
  while (a < b && '[(<'.includes(token[a])) a++;
  while (b > a && '])>:,;'.includes(token[b - 1])) b--;
  const w = token.slice(a, b);
  if (!LEVEL_WORD.test(w)) return null;
  if (w.length === 1 && (w < 'A' || w > 'Z')) return null;
  return normalizeSeverity(w);
}

function learn(sample: string[], clock: SourceClock): Plan {
  const counts = new Map<string, { layout: TimeLayout; token: number; n: number }>();
  let considered = 0;
  for (const line of sample) {
    if (!line || isContinuation(line)) continue;
    considered++;
    const seen = new Set<string>();
    for (const f of findAllTimestamps(line, clock)) {
      const key = `${f.layout.name}@${f.token}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { layout: f.layout, token: f.token, n: 1 });
    }
  }
  const plan: Plan = { layout: null, token: 0, levelCol: -1, hostCol: -1, hits: 0, considered };
  let best: { layout: TimeLayout; token: number; n: number } | null = null;
  for (const c of counts.values()) {
    if (!best || c.n > best.n || (c.n === best.n && c.token < best.token)) best = c;
  }
  if (!best) return plan;
  // A line carrying both an epoch and a local time: the epoch is unambiguous, prefer it.
  for (const c of counts.values()) {
    if (c.layout.epoch && c.token <= 6 && c.n >= best.n * 0.9 && !best.layout.epoch) best = c;
  }
  plan.layout = best.layout;
  plan.token = best.token;
  plan.hits = best.n;
  learnColumns(sample, clock, plan);
  return plan;
}

function learnColumns(sample: string[], clock: SourceClock, plan: Plan): void {
  const tokens = new Tokens();
  const level = new Int32Array(MAX_TOKENS);
  const host = new Int32Array(MAX_TOKENS);
  let matched = 0;
  let lastTsToken = plan.token;
  for (const line of sample) {
    if (!line || isContinuation(line)) continue;
    const n = tokens.read(line);
    const end = matchPlanned(plan, line, tokens, clock);
    if (end < 0) continue;
    matched++;
    const tsLast = tokens.at(end - 1);
    lastTsToken = tsLast;
    for (let k = 0; k < n; k++) {
      if (k >= plan.token && k <= tsLast) continue;
      const t = tokens.text(line, k);
      if (levelOf(t)) level[k]++;
      if (HOST_LIKE.test(t) && /\d/.test(t) && !FILE_LIKE.test(t)) host[k]++;
    }
  }
  if (matched === 0) return;
  for (let k = 0; k < MAX_TOKENS; k++) {
    if (level[k] >= matched * 0.8) {
      plan.levelCol = k;
      break;
    }
  }
  const hostLimit = plan.levelCol >= 0 ? plan.levelCol : lastTsToken + HOST_AFTER_TIME;
  for (let k = 0; k < Math.min(hostLimit, 8); k++) {
    if (host[k] >= matched * 0.6) {
      plan.hostCol = k;
      break;
    }
  }
}

/** End of the timestamp at the learned column, or -1. */
function matchPlanned(plan: Plan, line: string, tokens: Tokens, clock: SourceClock): number {
  if (!plan.layout || plan.token >= tokens.count) return -1;
  let pos = tokens.starts[plan.token];
  const c = line.charCodeAt(pos);
  if (c === 91 || c === 40) pos++;
  return matchLayoutAt(plan.layout, line, pos, clock) == null ? -1 : plan.layout.re.lastIndex;
}

/** The end of a timestamp at [start, end), past its closing bracket when it is bracketed (`[10.30 16:49:06]`). */
function closingBracket(line: string, start: number, end: number): number {
  const open = line.charCodeAt(start - 1);
  const close = line.charCodeAt(end);
  return (open === 91 && close === 93) || (open === 40 && close === 41) ? end + 1 : end;
}

/**
 * A syslog header re-wrapped inside the line, after the timestamp and host (Thunderbird's `- 1131566461 2005.11.09
 * dn228 Nov 9 12:01:01 dn228/dn228 crond[2916]: (root) CMD …`): the app and pid become fields, and the message starts
 * after it. The line's own (first) timestamp stays the event's time. Returns where the message starts.
 */
function embeddedSyslog(line: string, at: number, fields: Record<string, FieldValue>): number {
  const c = line.charCodeAt(at);
  if (c < 65 || c > 90) return at; // every month name starts with a capital: most lines stop here
  EMBEDDED_SYSLOG.lastIndex = at;
  const m = EMBEDDED_SYSLOG.exec(line);
  if (!m || !MONTHS[m[1]]) return at;
  fields.app = m[2];
  if (m[3] !== undefined) fields.pid = Number(m[3]);
  return EMBEDDED_SYSLOG.lastIndex;
}

function skipSeparators(line: string, i: number): number {
  const len = line.length;
  for (;;) {
    while (i < len && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    const c = line[i];
    if (
      (c === '-' || c === ':' || c === ',' || c === '|' || c === ';') &&
      (i + 1 >= len || line[i + 1] === ' ')
    ) {
      i++;
      continue;
    }
    return i;
  }
}

export function createGenericParser(sample: string[], clock: SourceClock): LineParser & { detail?: string } {
  const plan = learn(sample, clock);
  const tokens = new Tokens();
  const fallbackLayouts = plan.layout ? [plan.layout] : LAYOUTS;
  const parse: LineParser & { detail?: string } = (line: string): LineResult => {
    const n = tokens.read(line);
    let ts: number | null = null;
    let end = -1;
    if (plan.layout && plan.token < n) {
      let pos = tokens.starts[plan.token];
      const c = line.charCodeAt(pos);
      if (c === 91 || c === 40) pos++;
      ts = matchLayoutAt(plan.layout, line, pos, clock);
      if (ts != null) end = closingBracket(line, pos, plan.layout.re.lastIndex);
    }
    if (ts == null) {
      const f =
        findTimestamp(line, fallbackLayouts, clock) ??
        (plan.layout ? findTimestamp(line, LAYOUTS, clock) : null);
      if (f) {
        ts = f.ms;
        end = closingBracket(line, f.start, f.end);
      }
    }
    let severity: Severity | null = null;
    let host: string | null = null;
    let msgStart = end < 0 ? 0 : end;
    if (plan.levelCol >= 0 && plan.levelCol < n) {
      severity = levelOf(tokens.text(line, plan.levelCol));
      if (severity && tokens.ends[plan.levelCol] > msgStart) msgStart = tokens.ends[plan.levelCol];
    }
    if (plan.hostCol >= 0 && plan.hostCol < n) {
      const h = tokens.text(line, plan.hostCol);
      if (HOST_TOKEN.test(h)) {
        host = h;
        if (plan.levelCol < 0 && tokens.ends[plan.hostCol] > msgStart && end >= 0)
          msgStart = tokens.ends[plan.hostCol];
      }
    }
    if (severity == null && end >= 0) {
      // A level word right after the timestamp even when no column was learned (mixed layouts).
      const k = tokens.at(end);
      if (k < n && tokens.starts[k] <= end + 2) {
        severity = levelOf(tokens.text(line, k));
        if (severity) msgStart = tokens.ends[k];
      }
      // Or in brackets against it (Elasticsearch's `[2024-01-02T03:04:05,678][INFO ][o.e.n.Node] …`).
      if (!severity && line.charCodeAt(end) === 91) {
        const close = line.indexOf(']', end);
        if (close > end && close - end <= 14) {
          severity = levelOf(line.slice(end + 1, close).trim());
          if (severity) msgStart = close + 1;
        }
      }
    }
    // A `|` right against the timestamp delimits it (HealthApp's `20171223-22:15:29:606|Step_LSC|…`).
    if (end >= 0 && msgStart === end && line.charCodeAt(end) === 124) msgStart++;
    msgStart = skipSeparators(line, msgStart);
    const fields: Record<string, FieldValue> = {};
    if (end >= 0) msgStart = embeddedSyslog(line, msgStart, fields);
    return { ts, host, severity, message: msgStart === 0 ? line : line.slice(msgStart), fields };
  };
  const parts = [
    plan.layout ? `time layout ${plan.layout.name} at token ${plan.token + 1}` : 'no common time layout',
  ];
  if (plan.levelCol >= 0) parts.push(`level at token ${plan.levelCol + 1}`);
  if (plan.hostCol >= 0) parts.push(`host at token ${plan.hostCol + 1}`);
  parse.detail = parts.join(', ');
  return parse;
}

// Detection only needs to know whether a layout matches; the zone does not matter for that.
const PROBE_CLOCK = new SourceClock('UTC', 0);

export const generic: FormatDef = {
  name: 'generic',
  description: 'Any line with a timestamp near its start (ISO 8601, epoch, syslog, Loghub layouts, …)',
  multiline: true,
  test: (line) => findTimestamp(line, LAYOUTS, PROBE_CLOCK) != null,
  create: createGenericParser,
};
