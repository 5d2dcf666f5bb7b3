// `flumen query --sql`: one read-only SELECT over a single `events` relation spanning every segment.
//
// How one relation spans all segments: sql.js databases live in separate WebAssembly heaps and ATTACH is capped
// at 10, so the rows of every segment are copied into one temporary in-memory database with the segment schema
// (its `events` view included), up to a row cap; past the cap the query fails with a clear message rather than
// exhausting memory. A workspace with a single segment is queried in place. Either way the statement must be one
// SELECT or WITH, and the connection runs with PRAGMA query_only, so nothing can be written.
import initSqlJs from 'sql.js';
import { SEGMENT_DDL } from '../store/schema.ts';
import type { SegmentReader } from '../store/types.ts';
import { withDb, type SqlDatabase } from './db.ts';

export const DEFAULT_SQL_ROW_CAP = 2_000_000;

export class SqlQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlQueryError';
  }
}

export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

let sqlModule: Promise<{ Database: new () => SqlDatabase }> | null = null;

export async function runSql(
  reader: SegmentReader,
  sql: string,
  opts: { maxEvents?: number } = {},
): Promise<SqlResult> {
  const statement = checkReadOnly(sql);
  const segments = reader.segments();
  if (segments.length === 1) return withDb(reader, segments[0], (db) => runReadOnly(db, statement));

  const cap = opts.maxEvents ?? DEFAULT_SQL_ROW_CAP;
  const total = segments.reduce((n, s) => n + s.events, 0);
  if (total > cap) {
    throw new SqlQueryError(
      `--sql loads the events it reads into memory, and this workspace holds ${total} events, more than the ` +
        `${cap} that fit; use the query language (which reads segment by segment) to narrow the events first`,
    );
  }
  sqlModule ??= (initSqlJs as unknown as () => Promise<{ Database: new () => SqlDatabase }>)();
  const SQL = await sqlModule;
  const merged = new SQL.Database();
  try {
    merged.exec(SEGMENT_DDL);
    merged.exec('BEGIN');
    for (const meta of segments) await withDb(reader, meta, (db) => copySegment(db, merged));
    merged.exec('COMMIT');
    return runReadOnly(merged, statement);
  } finally {
    merged.close();
  }
}

const COPIED = 'ts, host, source_id, line, off, sev, raw, msg, msg_at, fields, template, anomaly';

function copySegment(from: SqlDatabase, to: SqlDatabase): void {
  pipe(
    from,
    'SELECT id, uri, format FROM sources',
    to,
    'INSERT OR IGNORE INTO sources(id, uri, format) VALUES (?, ?, ?)',
  );
  // Event ids are renumbered: each segment counts from 1.
  pipe(
    from,
    `SELECT ${COPIED} FROM ev ORDER BY id`,
    to,
    `INSERT INTO ev(${COPIED}) VALUES (${COPIED.replace(/\w+/g, '?')})`,
  );
}

function pipe(from: SqlDatabase, select: string, to: SqlDatabase, insert: string): void {
  const read = from.prepare(select);
  const write = to.prepare(insert);
  try {
    while (read.step()) {
      write.bind(read.get());
      write.step();
    }
  } finally {
    read.free();
    write.free();
  }
}

function runReadOnly(db: SqlDatabase, statement: string): SqlResult {
  const regexCache = new Map<string, RegExp>();
  // `x REGEXP 'pattern'` (JavaScript syntax), as sqlite3's shell offers it.
  db.create_function('regexp', ((pattern: string, text: string | null) => {
    if (text == null || pattern == null) return null;
    let r = regexCache.get(pattern);
    if (!r) regexCache.set(pattern, (r = new RegExp(pattern, 'u')));
    return r.test(text) ? 1 : 0;
  }) as (...args: never[]) => unknown);
  db.exec('PRAGMA query_only = 1');
  try {
    const stmt = db.prepare(statement);
    try {
      const columns = stmt.getColumnNames();
      const rows: unknown[][] = [];
      while (stmt.step()) rows.push(stmt.get());
      return { columns, rows };
    } finally {
      stmt.free();
    }
  } catch (err) {
    if (err instanceof SqlQueryError) throw err;
    throw new SqlQueryError(`SQL error: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db.exec('PRAGMA query_only = 0');
  }
}

/** Accepts exactly one statement starting with SELECT or WITH; returns it without a trailing semicolon. */
export function checkReadOnly(sql: string): string {
  let i = 0;
  let end = -1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i = sql.indexOf(close, i + 1);
      if (i < 0) throw new SqlQueryError(`SQL error: unterminated ${c} quote`);
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === ';') {
      if (end < 0) end = i;
      i++;
    } else {
      if (end >= 0 && !/\s/.test(c)) {
        throw new SqlQueryError('--sql runs a single statement: remove everything after the first ;');
      }
      i++;
    }
  }
  const statement = end < 0 ? sql : sql.slice(0, end);
  const first = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(statement)?.[1];
  if (!first) throw new SqlQueryError('--sql needs a SELECT statement over the events view');
  if (!/^(select|with)$/i.test(first)) {
    throw new SqlQueryError(
      `--sql is read-only: it runs one SELECT or WITH statement, not ${first.toUpperCase()}`,
    );
  }
  return statement;
}
