// The slice of sql.js's Database that the query stage uses, typed here because sql.js ships no declarations.
import type { SegmentMeta, SegmentReader } from '../store/types.ts';

export interface SqlStatement {
  bind(values?: unknown[]): boolean;
  step(): boolean;
  reset(): boolean;
  get(): unknown[];
  getColumnNames(): string[];
  free(): boolean;
}

export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
  exec(sql: string, params?: unknown[]): { columns: string[]; values: unknown[][] }[];
  run(sql: string, params?: unknown[]): unknown;
  create_function(name: string, fn: (...args: never[]) => unknown): unknown;
  close(): void;
}

/** Runs fn over a segment's database, seen through the typed slice above. */
export function withDb<T>(reader: SegmentReader, meta: SegmentMeta, fn: (db: SqlDatabase) => T): Promise<T> {
  return reader.withSegment(meta, (db) => fn(db as unknown as SqlDatabase));
}

/** Runs one statement and collects its rows as arrays. */
export function allRows(db: SqlDatabase, sql: string, params: unknown[]): unknown[][] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: unknown[][] = [];
    while (stmt.step()) rows.push(stmt.get());
    return rows;
  } finally {
    stmt.free();
  }
}
