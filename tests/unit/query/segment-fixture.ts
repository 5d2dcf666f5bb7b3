// Test scaffolding: real sql.js segment databases built with the store's DDL, their word-index sidecars built by
// the same code the segment-builder worker runs, and a tiny SegmentReader over them that records what it loads.
import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { newSource, type LogEvent, type SourceInfo } from '../../../shared/event.ts';
import { severityRank } from '../../../shared/severity.ts';
import { SEGMENT_DDL, SEGMENT_SEAL_DDL } from '../../../electron/engine/store/schema.ts';
import { buildTermIndex } from '../../../electron/engine/store/term-index-builder.ts';
import type {
  SegmentFilter,
  SegmentMeta,
  SegmentReader,
  SegmentTerms,
} from '../../../electron/engine/store/types.ts';
import { TermsFile } from '../../../electron/engine/store/terms-file.ts';
import type { SqlDatabase } from '../../../electron/engine/query/db.ts';

type SqlJs = { Database: new () => SqlDatabase };
let sqlJs: Promise<SqlJs> | null = null;
export function loadSqlJs(): Promise<SqlJs> {
  sqlJs ??= (initSqlJs as unknown as () => Promise<SqlJs>)();
  return sqlJs;
}

export function sourceInfo(id: number, uri: string): SourceInfo {
  return { id, ...newSource({ uri, kind: 'file' }) };
}

/** Builds one sealed segment holding `events` (ids 1..n in the given order), with its terms sidecar unless told. */
export async function buildSegment(
  id: number,
  events: LogEvent[],
  sources: SourceInfo[],
  opts: { terms?: boolean } = {},
) {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(SEGMENT_DDL);
  db.exec('BEGIN');
  for (const s of sources)
    db.run('INSERT INTO sources(id, uri, format) VALUES (?, ?, ?)', [s.id, s.uri, s.format]);
  const ins = db.prepare(
    'INSERT INTO ev(id, ts, host, source_id, line, off, sev, raw, msg, msg_at, fields, template, anomaly) ' +
      'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  events.forEach((e, i) => {
    // As the store does: a message that is the tail of the raw line is kept as its start (in code points).
    const tail = e.raw.endsWith(e.message);
    const at = tail ? [...e.raw.slice(0, e.raw.length - e.message.length)].length : 0;
    ins.bind([
      i + 1,
      e.ts,
      e.host,
      e.sourceId,
      e.line,
      e.offset,
      e.severity == null ? null : severityRank(e.severity),
      e.raw,
      tail ? null : e.message,
      at,
      Object.keys(e.fields).length ? JSON.stringify(e.fields) : null,
      e.template,
      e.anomaly,
    ]);
    ins.step();
  });
  ins.free();
  db.exec('COMMIT');
  db.exec(SEGMENT_SEAL_DDL);
  const times = events.map((e) => e.ts).filter((t): t is number => t != null);
  const meta: SegmentMeta = {
    id,
    file: `seg-${id}.sqlite`,
    events: events.length,
    bytes: 0,
    tsMin: times.length ? Math.min(...times) : null,
    tsMax: times.length ? Math.max(...times) : null,
    untimed: events.length - times.length,
    sources: [...new Set(events.map((e) => e.sourceId))],
    hosts: [...new Set(events.map((e) => e.host).filter((h): h is string => h != null))],
  };
  const terms =
    opts.terms === false
      ? null
      : new TermsFile(
          buildTermIndex(
            events.map((e, i) => ({ id: i + 1, raw: e.raw, ts: e.ts })),
            { segmentId: id, events: events.length },
          ),
        );
  return { db, meta, terms };
}

/** A SegmentReader over in-memory databases; records loads so tests can see pruning and index-only answers. */
export class MemoryReader implements SegmentReader {
  /** Segments loaded (ids, in order). */
  loads: number[] = [];
  /** Terms sidecars loaded (segment ids). */
  termLoads: number[] = [];
  constructor(private readonly segs: { db: SqlDatabase; meta: SegmentMeta; terms?: SegmentTerms | null }[]) {}

  segments(filter: SegmentFilter = {}): SegmentMeta[] {
    return this.segs
      .map((s) => s.meta)
      .filter((m) => {
        if (filter.from != null && (m.tsMax == null || m.tsMax < filter.from)) return false;
        if (filter.to != null && (m.tsMin == null || m.tsMin >= filter.to)) return false;
        if (filter.sourceIds && !m.sources.some((id) => filter.sourceIds!.includes(id))) return false;
        if (filter.hosts && !m.hosts.some((h) => filter.hosts!.includes(h))) return false;
        return true;
      });
  }

  async withSegment<T>(meta: SegmentMeta, fn: (db: never) => T): Promise<T> {
    const seg = this.segs.find((s) => s.meta.id === meta.id);
    if (!seg) throw new Error(`no segment ${meta.id}`);
    this.loads.push(meta.id);
    return fn(seg.db as never);
  }

  async withTerms<T>(meta: SegmentMeta, fn: (db: never) => T): Promise<T> {
    const seg = this.segs.find((s) => s.meta.id === meta.id);
    if (!seg) throw new Error(`no segment ${meta.id}`);
    this.termLoads.push(meta.id);
    return fn((seg.terms ?? null) as never);
  }

  close(): void {
    for (const s of this.segs) s.db.close();
  }
}

export function makeEvent(p: Partial<LogEvent> & { raw: string; sourceId: number }): LogEvent {
  return {
    ts: null,
    host: null,
    line: null,
    offset: 0,
    severity: null,
    message: p.raw,
    fields: {},
    template: null,
    anomaly: 0,
    ...p,
  };
}

/** Lines of a Loghub 2k sample, CRLF stripped. */
export function loghubLines(dataset: string): string[] {
  const text = readFileSync(`/work/shared/data/loghub/${dataset}/${dataset}_2k.log`, 'utf8');
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}

/** Reference for `rg -w -i word`: an occurrence (case-insensitive) with no word character on either side. */
export function refWordMatch(line: string, word: string): boolean {
  const hay = line.toLowerCase();
  const needle = word.toLowerCase();
  // ripgrep's Unicode \w (UTS#18): Alphabetic, marks, decimal digits, connector punctuation, joiners.
  const isWord = (c: string | undefined) =>
    c !== undefined && /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u.test(c);
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = i > 0 ? String.fromCodePoint(hay.codePointAt(i - 1)!) : undefined;
    const afterCp = hay.codePointAt(i + needle.length);
    const after = afterCp === undefined ? undefined : String.fromCodePoint(afterCp);
    if (!isWord(before) && !isWord(after)) return true;
  }
  return false;
}
