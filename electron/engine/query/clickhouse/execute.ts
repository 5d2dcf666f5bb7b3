// The query stage on ClickHouse: counts, pages in the local store's order, timeline buckets, rows by address
// and around an event, and read-only SQL over the `events` view. Every statement reads committed rows only:
// `seq <= mark`, the workspace's commit mark (store/clickhouse/writer.ts). Times are read as the sources' clock
// offsets correct them (corrected-time.ts); anomaly terms are scored first (anomaly.ts).
import type { LogEvent, SourceInfo } from '../../../../shared/event.ts';
import type { QueryNode } from '../../../../shared/query/index.ts';
import { SEVERITIES } from '../../../../shared/severity.ts';
import type { ClickHouseClient, RequestOptions } from '../../store/clickhouse/client.ts';
import { READ_COLUMNS, rowEvent, type ReadRow } from '../../store/clickhouse/rows.ts';
import { EVENTS_TABLE, q } from '../../store/clickhouse/schema.ts';
import { assembleBuckets, UNKNOWN_GROUP, type BucketCounts, type BucketOptions } from '../buckets.ts';
import type { CountOptions } from '../event-store.ts';
import type { QueryOptions } from '../execute.ts';
import { queryAst } from '../plan.ts';
import { checkReadOnly, DEFAULT_SQL_ROW_CAP, SqlQueryError, type SqlResult } from '../sql.ts';
import type { AnomalyScorer } from '../anomaly-filter.ts';
import { usesAnomaly } from '../anomaly-filter.ts';
import { anomalyConditions } from './anomaly.ts';
import { compileClickHouse, prefilterOf } from './compile.ts';
import {
  correctedTime,
  correctStored,
  PLAIN_TIME,
  timeBetween,
  type CorrectedTime,
} from './corrected-time.ts';

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
    const ast = queryAst(query, opts.now, undefined, opts.templateMembers);
    const where = await this.where(ast, sources, correctedTime(sources), opts.anomalyScorer);
    const rows = await this.rows<{ n: number }>(`SELECT count() AS n FROM ${this.table} ${where}`);
    return Number(rows[0]?.n ?? 0);
  }

  async list(sources: SourceInfo[], query: string, opts: QueryOptions): Promise<Located[]> {
    const want = Math.max(0, Math.min(opts.limit, Number.MAX_SAFE_INTEGER));
    if (want === 0) return [];
    const time = correctedTime(sources);
    const ast = queryAst(query, opts.now, undefined, opts.templateMembers);
    const where = await this.where(ast, sources, time, opts.anomalyScorer);
    const d = opts.order === 'desc' ? ' DESC' : '';
    // The local order: timed events by (time, source, line), then the untimed ones by (source, line); lines
    // absent (0 here, NULL there) sort first ascending; identical keys in the order the events were stored.
    // Untimed rows store ts 0: corrected, they would sort by their source's correction.
    const ts = time.ts === 'ts' ? 'ts' : `if(timed = 1, ${time.ts}, toInt64(0))`;
    const order = `timed DESC, ${ts}${d}, source_id${d}, line${d}, seq${d}`;
    const offset = Math.max(0, opts.offset ?? 0);
    if (want <= TWO_STEP_LIMIT) {
      const page = await this.rows<{ seq: number }>(
        `SELECT seq FROM ${this.table} ${where} ORDER BY ${order} LIMIT ${offset}, ${want}`,
      );
      return this.bySeqs(
        page.map((r) => Number(r.seq)),
        time,
      );
    }
    const rows = await this.rows<ReadRow>(
      `SELECT ${READ_COLUMNS} FROM ${this.table} ${where} ORDER BY ${order} LIMIT ${offset}, ${want}`,
      { maxReplyBytes: 2 ** 30 },
    );
    return rows.map((r) => located(r, time));
  }

  async buckets(sources: SourceInfo[], query: string, opts: BucketOptions): Promise<BucketCounts> {
    const b = Math.floor(opts.bucketMs);
    if (!(b > 0))
      throw new RangeError(`bucketMs must be a positive number of milliseconds, not ${opts.bucketMs}`);
    const ast = queryAst(query, opts.now, { from: opts.from, to: opts.to }, opts.templateMembers);
    const time = correctedTime(sources);
    const where = await this.where(ast, sources, time, opts.anomalyScorer);
    const group =
      opts.groupBy === 'severity'
        ? 'toString(sev)'
        : opts.groupBy === 'host'
          ? `if(host_null = 1, '', concat('h', host))`
          : 'toString(source_id)';
    // Floor division that stays right before 1970, in Int64 throughout: a literal like 2592000000 is a UInt32
    // to ClickHouse, and (ts % b) + b in 32 bits would wrap.
    const w = `toInt64(${b})`;
    const ts = time.ts;
    const rows = await this.rows<{ bucket: number; g: string; n: number }>(
      `SELECT ${ts} - ((${ts} % ${w}) + ${w}) % ${w} AS bucket, ${group} AS g, count() AS n FROM ${this.table} ` +
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

  /** Committed events by their seq, in the order asked (missing ones left out), their times corrected. */
  async bySeqs(seqs: number[], time: CorrectedTime = PLAIN_TIME): Promise<Located[]> {
    if (seqs.length === 0) return [];
    const rows = await this.client.rows<ReadRow>(
      `SELECT ${READ_COLUMNS} FROM ${this.table} PREWHERE seq IN (${seqs.join(',')}) WHERE seq <= ${this.mark()}`,
    );
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const out: Located[] = [];
    for (const s of seqs) {
      const r = bySeq.get(s);
      if (r) out.push(located(r, time));
    }
    return out;
  }

  /** Rows of one source with lines in [from, to], by line. */
  sameSourceLines(sourceId: number, from: number, to: number, time = PLAIN_TIME): Promise<Located[]> {
    return this.select(
      `source_id = ${sourceId} AND line BETWEEN ${Math.max(1, from)} AND ${to} ORDER BY line, off, seq`,
      time,
    );
  }

  /** The n rows of one source just before (or after) a byte offset, nearest first. */
  sameSourceOffsets(
    sourceId: number,
    offset: number,
    n: number,
    before: boolean,
    time = PLAIN_TIME,
  ): Promise<Located[]> {
    const cond = before ? `off < ${offset} ORDER BY off DESC, seq DESC` : `off > ${offset} ORDER BY off, seq`;
    return this.select(`source_id = ${sourceId} AND ${cond} LIMIT ${n}`, time);
  }

  /**
   * Up to `limit` timed rows within [from, to] of corrected time, nearest to `ts` first, leaving out
   * `exceptSeq`.
   */
  nearInTime(
    ts: number,
    from: number,
    to: number,
    exceptSeq: number,
    limit: number,
    time = PLAIN_TIME,
  ): Promise<Located[]> {
    return this.select(
      `${timeBetween(time, from, to)} AND seq != ${exceptSeq} ` +
        `ORDER BY abs(${time.ts} - ${ts}), seq LIMIT ${limit}`,
      time,
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

  /**
   * A query's SELECT: a long one (anomaly terms list up to anomaly.ts MAX_LISTED_GROUPS scored groups) lifts the
   * server's statement size limits (256 KiB of text, 50k syntax nodes by default) to what it needs.
   */
  private rows<T>(sql: string, opts: RequestOptions = {}): Promise<T[]> {
    if (sql.length < 65_536) return this.client.rows<T>(sql, opts);
    const bytes = Buffer.byteLength(sql);
    return this.client.rows<T>(sql, {
      ...opts,
      settings: {
        ...opts.settings,
        max_query_size: bytes + 1024,
        max_ast_elements: Math.max(50_000, bytes),
        max_expanded_ast_elements: Math.max(500_000, bytes),
      },
    });
  }

  private async select(condition: string, time: CorrectedTime): Promise<Located[]> {
    const rows = await this.client.rows<ReadRow>(
      `SELECT ${READ_COLUMNS} FROM ${this.table} WHERE seq <= ${this.mark()} AND ${condition}`,
    );
    return rows.map((r) => located(r, time));
  }

  /**
   * `PREWHERE … WHERE …` for the query: committed rows, the prefilter first (compile.ts prefilterOf). Anomaly
   * terms cost a statement of their own first (anomaly.ts).
   */
  private async where(
    ast: QueryNode,
    sources: SourceInfo[],
    time: CorrectedTime,
    scorer: AnomalyScorer | undefined,
  ): Promise<string> {
    const committed = `seq <= ${this.mark()}`;
    const anomaly = usesAnomaly(ast)
      ? await anomalyConditions(ast, {
          sources,
          time,
          scorer,
          table: this.table,
          committed,
          rows: (sql) => this.rows(sql, { maxReplyBytes: 2 ** 30 }),
        })
      : undefined;
    const cond = `${compileClickHouse(ast, sources, { time, anomaly })} AND ${committed}`;
    const pre = prefilterOf(ast);
    return pre ? `PREWHERE ${pre} WHERE ${cond}` : `WHERE ${cond}`;
  }
}

/** A row read back, its time corrected by its source's clock offset. */
function located(r: ReadRow, time: CorrectedTime): Located {
  const event = rowEvent(r);
  event.ts = correctStored(event.ts, event.sourceId, time);
  return { event, seq: Number(r.seq) };
}
