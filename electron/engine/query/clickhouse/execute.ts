// The query stage on ClickHouse: counts, pages in the local store's order, timeline buckets, rows by address
// and around an event, and read-only SQL over the `events` view. Every statement reads committed rows only:
// `seq <= mark`, the workspace's commit mark (store/clickhouse/writer.ts).
import type { LogEvent, SourceInfo } from '../../../../shared/event.ts';
import type { QueryNode } from '../../../../shared/query/index.ts';
import { SEVERITIES } from '../../../../shared/severity.ts';
import type { ClickHouseClient } from '../../store/clickhouse/client.ts';
import { READ_COLUMNS, rowEvent, type ReadRow } from '../../store/clickhouse/rows.ts';
import { EVENTS_TABLE, q } from '../../store/clickhouse/schema.ts';
import { assembleBuckets, UNKNOWN_GROUP, type BucketCounts, type BucketOptions } from '../buckets.ts';
import type { CountOptions } from '../event-store.ts';
import type { QueryOptions } from '../execute.ts';
import { queryAst } from '../plan.ts';
import { checkReadOnly, DEFAULT_SQL_ROW_CAP, SqlQueryError, type SqlResult } from '../sql.ts';
import { compileClickHouse, prefilterOf } from './compile.ts';

/** Pages up to this size read their order first, then only their rows' text (two statements, little I/O). */
const TWO_STEP_LIMIT = 5000;

export interface Located {
  event: LogEvent;
  seq: number;
}

export class ClickHouseQueries {
  private readonly table: string;

  constructor(
    private readonly client: ClickHouseClient,
    /** The highest committed seq (rows above it are being written, or were left by a crashed writer). */
    private readonly mark: () => number,
  ) {
    this.table = q(client.target.database, EVENTS_TABLE);
  }

  async count(sources: SourceInfo[], query: string, opts: CountOptions = {}): Promise<number> {
    const where = this.where(queryAst(query, opts.now, undefined, opts.templateMembers), sources);
    const rows = await this.client.rows<{ n: number }>(`SELECT count() AS n FROM ${this.table} ${where}`);
    return Number(rows[0]?.n ?? 0);
  }

  async list(sources: SourceInfo[], query: string, opts: QueryOptions): Promise<Located[]> {
    const want = Math.max(0, Math.min(opts.limit, Number.MAX_SAFE_INTEGER));
    if (want === 0) return [];
    const where = this.where(queryAst(query, opts.now, undefined, opts.templateMembers), sources);
    const d = opts.order === 'desc' ? ' DESC' : '';
    // The local order: timed events by (time, source, line), then the untimed ones by (source, line); lines
    // absent (0 here, NULL there) sort first ascending; identical keys in the order the events were stored.
    const order = `timed DESC, ts${d}, source_id${d}, line${d}, seq${d}`;
    const offset = Math.max(0, opts.offset ?? 0);
    if (want <= TWO_STEP_LIMIT) {
      const page = await this.client.rows<{ seq: number }>(
        `SELECT seq FROM ${this.table} ${where} ORDER BY ${order} LIMIT ${offset}, ${want}`,
      );
      return this.bySeqs(page.map((r) => Number(r.seq)));
    }
    const rows = await this.client.rows<ReadRow>(
      `SELECT ${READ_COLUMNS} FROM ${this.table} ${where} ORDER BY ${order} LIMIT ${offset}, ${want}`,
      { maxReplyBytes: 2 ** 30 },
    );
    return rows.map((r) => ({ event: rowEvent(r), seq: Number(r.seq) }));
  }

  async buckets(sources: SourceInfo[], query: string, opts: BucketOptions): Promise<BucketCounts> {
    const b = Math.floor(opts.bucketMs);
    if (!(b > 0))
      throw new RangeError(`bucketMs must be a positive number of milliseconds, not ${opts.bucketMs}`);
    const ast = queryAst(query, opts.now, { from: opts.from, to: opts.to }, opts.templateMembers);
    const where = this.where(ast, sources);
    const group =
      opts.groupBy === 'severity'
        ? 'toString(sev)'
        : opts.groupBy === 'host'
          ? `if(host_null = 1, '', concat('h', host))`
          : 'toString(source_id)';
    // Floor division that stays right before 1970, in Int64 throughout: a literal like 2592000000 is a UInt32
    // to ClickHouse, and (ts % b) + b in 32 bits would wrap.
    const w = `toInt64(${b})`;
    const rows = await this.client.rows<{ bucket: number; g: string; n: number }>(
      `SELECT ts - ((ts % ${w}) + ${w}) % ${w} AS bucket, ${group} AS g, count() AS n FROM ${this.table} ` +
        `${where} AND timed = 1 GROUP BY bucket, g`,
    );
    const uris = new Map(sources.map((s) => [s.id, s.uri]));
    const label = (g: string): string => {
      if (opts.groupBy === 'severity') return SEVERITIES[Number(g)] ?? UNKNOWN_GROUP;
      if (opts.groupBy === 'host') return g === '' ? UNKNOWN_GROUP : g.slice(1);
      return uris.get(Number(g)) ?? `source#${g}`;
    };
    const byStart = new Map<number, Record<string, number>>();
    for (const r of rows) {
      const start = Number(r.bucket);
      let counts = byStart.get(start);
      if (!counts) byStart.set(start, (counts = {}));
      const key = label(r.g);
      counts[key] = (counts[key] ?? 0) + Number(r.n);
    }
    return assembleBuckets(byStart, b, opts);
  }

  /** Committed events by their seq, in the order asked (missing ones left out). */
  async bySeqs(seqs: number[]): Promise<Located[]> {
    if (seqs.length === 0) return [];
    const rows = await this.client.rows<ReadRow>(
      `SELECT ${READ_COLUMNS} FROM ${this.table} PREWHERE seq IN (${seqs.join(',')}) WHERE seq <= ${this.mark()}`,
    );
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const out: Located[] = [];
    for (const s of seqs) {
      const r = bySeq.get(s);
      if (r) out.push({ event: rowEvent(r), seq: s });
    }
    return out;
  }

  /** Rows of one source with lines in [from, to], by line. */
  sameSourceLines(sourceId: number, from: number, to: number): Promise<Located[]> {
    return this.select(
      `source_id = ${sourceId} AND line BETWEEN ${Math.max(1, from)} AND ${to} ORDER BY line, off, seq`,
    );
  }

  /** The n rows of one source just before (or after) a byte offset, nearest first. */
  sameSourceOffsets(sourceId: number, offset: number, n: number, before: boolean): Promise<Located[]> {
    const cond = before ? `off < ${offset} ORDER BY off DESC, seq DESC` : `off > ${offset} ORDER BY off, seq`;
    return this.select(`source_id = ${sourceId} AND ${cond} LIMIT ${n}`);
  }

  /** Up to `limit` timed rows within [from, to], nearest to `ts` first, leaving out `exceptSeq`. */
  nearInTime(ts: number, from: number, to: number, exceptSeq: number, limit: number): Promise<Located[]> {
    return this.select(
      `timed = 1 AND ts BETWEEN ${from} AND ${to} AND seq != ${exceptSeq} ORDER BY abs(ts - ${ts}), seq LIMIT ${limit}`,
    );
  }

  /** `flumen query --sql` on ClickHouse: one SELECT over the `events` view, in ClickHouse's SQL, read-only. */
  async sql(statement: string, maxRows = DEFAULT_SQL_ROW_CAP): Promise<SqlResult> {
    const text = checkReadOnly(statement);
    let reply: string;
    try {
      reply = await this.client.request(`${text}\nFORMAT JSONCompact`, {
        settings: {
          output_format_json_quote_64bit_integers: 0,
          max_result_rows: maxRows,
          result_overflow_mode: 'throw',
          wait_end_of_query: 1,
          readonly: 1,
        },
        maxReplyBytes: 1024 * 1024 * 1024,
      });
    } catch (err) {
      throw new SqlQueryError(`SQL error: ${err instanceof Error ? err.message : String(err)}`);
    }
    const json = JSON.parse(reply) as { meta: { name: string }[]; data: unknown[][] };
    return { columns: json.meta.map((m) => m.name), rows: json.data };
  }

  private async select(condition: string): Promise<Located[]> {
    const rows = await this.client.rows<ReadRow>(
      `SELECT ${READ_COLUMNS} FROM ${this.table} WHERE seq <= ${this.mark()} AND ${condition}`,
    );
    return rows.map((r) => ({ event: rowEvent(r), seq: Number(r.seq) }));
  }

  /** `PREWHERE … WHERE …` for the query: committed rows, the prefilter first (compile.ts prefilterOf). */
  private where(ast: QueryNode, sources: SourceInfo[]): string {
    const cond = `${compileClickHouse(ast, sources)} AND seq <= ${this.mark()}`;
    const pre = prefilterOf(ast);
    return pre ? `PREWHERE ${pre} WHERE ${cond}` : `WHERE ${cond}`;
  }
}
