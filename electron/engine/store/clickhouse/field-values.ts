// What the local store's SQL sees of an extracted field, computed once at write time so that ClickHouse compares
// the same values: the local compiler (query/compile.ts) reads fields through SQLite's json_extract, CAST(… AS
// TEXT) and CAST(… AS REAL), whose quirks (1.0e+21, "1.2.3" → 1.2) no ClickHouse function reproduces.
import type { Statement } from 'sql.js';
import type { FieldValue } from '../../../../shared/event.ts';
import { loadSqlJs } from '../sql-js-loader.ts';

/** Bits of `field_kinds`: which of the derived values exist for the field. */
export const KIND_NUMBER = 1;
export const KIND_TEXT = 2;
export const KIND_TRUE = 4;
export const KIND_FALSE = 8;

export interface DerivedField {
  kinds: number;
  /** The number `status>500` compares (the local CASE over json_type), when KIND_NUMBER. */
  number: number;
  /** CAST(json_extract(fields, '$."name"') AS TEXT), when KIND_TEXT. */
  text: string;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** True when deriveField needs RealText for this value (a number JSON writes with a fraction or exponent). */
export function needsRealText(v: FieldValue): boolean {
  return typeof v === 'number' && Number.isFinite(v) && !/^-?\d+$/.test(JSON.stringify(v));
}

export function deriveField(v: FieldValue, reals: RealText): DerivedField {
  if (v === null) return { kinds: 0, number: 0, text: '' };
  if (typeof v === 'boolean')
    return { kinds: KIND_TEXT | (v ? KIND_TRUE : KIND_FALSE), number: 0, text: v ? '1' : '0' };
  if (typeof v === 'number') {
    // What JSON.stringify wrote is what json_extract reads back: an integer literal is INTEGER unless it
    // overflows 64 bits, anything else REAL.
    const json = JSON.stringify(v);
    if (json === 'null') return { kinds: 0, number: 0, text: '' }; // NaN and ±Infinity are stored as null
    if (/^-?\d+$/.test(json)) {
      const big = BigInt(json);
      if (big <= INT64_MAX && big >= INT64_MIN)
        return { kinds: KIND_NUMBER | KIND_TEXT, number: v, text: json };
    }
    return { kinds: KIND_NUMBER | KIND_TEXT, number: v, text: reals.text(v) };
  }
  // Text: a number only when it holds a digit and nothing but [0-9.eE+-] (the local GLOBs), read as SQLite's CAST.
  const numeric = /[0-9]/.test(v) && !/[^0-9.eE+-]/.test(v);
  if (!numeric) return { kinds: KIND_TEXT, number: 0, text: v };
  return { kinds: KIND_NUMBER | KIND_TEXT, number: sqliteCastReal(v), text: v };
}

/**
 * CAST(text AS REAL) as SQLite does it: the longest prefix that reads as a number, else 0 ("1.2.3" → 1.2,
 * "1e" → 1, "e5" → 0); ±Infinity on overflow.
 */
export function sqliteCastReal(text: string): number {
  const m = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text);
  if (!m) return 0;
  return Number(m[0]);
}

/**
 * A REAL as the local store renders it in text (CAST(x AS TEXT)). SQLite's own digit generation is not the
 * shortest round trip that JavaScript prints (0.0007591333133526494 → "0.00075913331335264944", 1e21 →
 * "1.0e+21"), so the local engine itself, sql.js, is asked: the answer is then the same by construction.
 */
export class RealText {
  private stmt: Statement | null = null;
  private readonly cache = new Map<number, string>();

  /** Loads sql.js (once per thread); call before text(). */
  async ready(): Promise<void> {
    if (this.stmt) return;
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    this.stmt = db.prepare(`SELECT CAST(json_extract(?, '$.a') AS TEXT)`);
  }

  text(x: number): string {
    let t = this.cache.get(x);
    if (t === undefined) {
      const stmt = this.stmt;
      if (!stmt) throw new Error('internal: RealText used before ready()');
      stmt.bind([`{"a":${JSON.stringify(x)}}`]);
      stmt.step();
      t = String(stmt.get()[0]);
      stmt.reset();
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(x, t);
    }
    return t;
  }
}
