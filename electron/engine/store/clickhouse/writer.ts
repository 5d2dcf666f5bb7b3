// The EventWriter of a ClickHouse-backed workspace: batches of JSONEachRow over HTTP, and a commit that makes
// them visible only once ClickHouse has acknowledged every one.
//
// Exactly once. Every row gets `seq`, the workspace's own row number, counting on from the last commit's mark.
// A batch is a run of seqs sent with a query_id made from its first seq. When a send fails in a way that leaves
// its outcome unknown (connection refused or reset, timeout, server restart), the writer waits until no query
// with that id runs any more, asks which seqs of the batch landed, and sends only the others; so a batch that
// landed, in part or whole, before its acknowledgement was lost is never stored twice. This needs nothing from
// the server but a SELECT (no insert deduplication, which plain MergeTree in 18.16 lacks).
//
// Commit. After every batch is acknowledged the writer inserts the new mark into flumen_commits (the `events`
// view reads up to it) and then writes the workspace manifest with the mark and the sources' counts, in one
// atomic write with any staged checkpoints: the manifest's mark is what queries read up to.
//
// Recovery. Rows above the manifest's mark were written by a writer that never committed them (it crashed, or
// its commit failed). They are invisible to queries, and a new writer deletes them before it writes (ALTER …
// DELETE, waited for), so their seqs can be used again.
//
// Down or slow server: a send keeps retrying (with backoff, and the check above) and `append` waits for it, so
// the channel fills and the sources slow down; nothing is dropped, and writing resumes when the server is back.
import type { LogEvent, SourceInfo } from '../../../../shared/event.ts';
import type { SourceDelta } from '../segment-builder-protocol.ts';
import { SerialWriter } from '../serial-writer.ts';
import type { EventWriter } from '../types.ts';
import { isTransient, type ClickHouseClient } from './client.ts';
import { RealText } from './field-values.ts';
import { eventRow, eventsFromColumns, needsReals } from './rows.ts';
import type { EventColumns } from '../event-columns.ts';
import { COMMITS_TABLE, EVENTS_TABLE, q } from './schema.ts';
import { quoteString } from './sql-text.ts';

/** The manifest checkpoint holding the commit mark. */
export const MARK_KEY = 'store:clickhouse';

/** What the writer needs from its workspace (store/workspace.ts). */
export interface ClickHouseWriterHost {
  readonly dir: string;
  sources(): SourceInfo[];
  checkpoint(key: string): unknown;
  stageCheckpoints(values: Record<string, unknown>): void;
  commitExternal(perSource: SourceDelta[]): Promise<void>;
  writerClosed(): void;
}

export interface ClickHouseWriterOptions {
  /** Identifies the workspace in query ids (several workspaces may share a server, not a database). */
  workspaceId: string;
  /** A batch is sent once it holds this many rows (default 20,000)… */
  batchRows?: number;
  /** …or this many bytes of JSON (default 16 MiB). */
  batchBytes?: number;
  /** Batches sent and not yet acknowledged before append waits (default 2). */
  maxInFlight?: number;
  /** An outage longer than this fails the writer (default: never; Ctrl-C stops an ingest, nothing is lost). */
  giveUpAfterMs?: number;
  /** Reports an outage once when it starts and once when it ends. */
  log?: (message: string) => void;
  /** Server settings each insert carries (schema.ts ServerTraits). */
  insertSettings?: Record<string, number>;
}

/** The committed mark of a workspace: rows with seq above it are not committed. */
export function commitMark(host: Pick<ClickHouseWriterHost, 'checkpoint'>): number {
  const v = host.checkpoint(MARK_KEY) as { seq?: unknown } | undefined;
  return typeof v?.seq === 'number' ? v.seq : 0;
}

interface Batch {
  first: number;
  last: number;
  lines: string[];
  seqs: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ClickHouseWriter extends SerialWriter implements EventWriter {
  private readonly table: string;
  private readonly batchRows: number;
  private readonly batchBytes: number;
  private readonly maxInFlight: number;
  private ready: Promise<void> | null = null;
  private next = 1;
  private buffer: Batch = { first: 0, last: 0, lines: [], seqs: [] };
  private bufferBytes = 0;
  private inFlight: Promise<void>[] = [];
  private deltas = new Map<number, SourceDelta>();
  private readonly reals = new RealText();
  private outage = false;

  constructor(
    private readonly host: ClickHouseWriterHost,
    private readonly client: ClickHouseClient,
    private readonly opts: ClickHouseWriterOptions,
  ) {
    super(host.dir);
    this.table = q(client.target.database, EVENTS_TABLE);
    this.batchRows = opts.batchRows ?? 20_000;
    this.batchBytes = opts.batchBytes ?? 16 * 1024 * 1024;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 2);
  }

  append(events: LogEvent[]): Promise<void> {
    return this.serial(() => this.doAppend(events));
  }

  /** The segment writer's columnar append (the one-shot ingest packs events into columns for it). */
  appendColumns(cols: EventColumns): Promise<void> {
    return this.serial(() => this.doAppend(eventsFromColumns(cols)));
  }

  commit(): Promise<void> {
    return this.serial(() => this.doCommit());
  }

  /** Waits for sends in progress, then releases the workspace. Rows not committed stay invisible (see Recovery). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    await Promise.allSettled(this.inFlight);
    this.client.close();
    this.host.writerClosed();
  }

  private async doAppend(events: LogEvent[]): Promise<void> {
    this.check();
    await (this.ready ??= this.recover());
    if (needsReals(events)) await this.reals.ready();
    const uris = new Map(this.host.sources().map((s) => [s.id, s.uri]));
    for (const e of events) {
      const seq = this.next++;
      const line = eventRow(e, seq, uris.get(e.sourceId) ?? `source#${e.sourceId}`, this.reals);
      if (this.buffer.lines.length === 0) this.buffer.first = seq;
      this.buffer.last = seq;
      this.buffer.lines.push(line);
      this.buffer.seqs.push(seq);
      this.bufferBytes += line.length + 1;
      this.count(e);
      if (this.buffer.lines.length >= this.batchRows || this.bufferBytes >= this.batchBytes)
        await this.flush();
    }
  }

  private count(e: LogEvent): void {
    let d = this.deltas.get(e.sourceId);
    if (!d)
      this.deltas.set(e.sourceId, (d = { id: e.sourceId, events: 0, bytes: 0, tsMin: null, tsMax: null }));
    d.events++;
    d.bytes += Buffer.byteLength(e.raw) + 1;
    if (e.ts != null) {
      if (d.tsMin == null || e.ts < d.tsMin) d.tsMin = e.ts;
      if (d.tsMax == null || e.ts > d.tsMax) d.tsMax = e.ts;
    }
  }

  /** Sends the buffer; waits first while maxInFlight batches are unacknowledged (backpressure). */
  private async flush(): Promise<void> {
    if (this.buffer.lines.length === 0) return;
    const batch = this.buffer;
    this.buffer = { first: 0, last: 0, lines: [], seqs: [] };
    this.bufferBytes = 0;
    while (this.inFlight.length >= this.maxInFlight) await Promise.race(this.inFlight);
    this.check();
    const sending: Promise<void> = this.send(batch).then(
      () => {
        this.inFlight = this.inFlight.filter((p) => p !== sending);
      },
      (err: Error) => {
        this.inFlight = this.inFlight.filter((p) => p !== sending);
        this.failure ??= err;
      },
    );
    this.inFlight.push(sending);
  }

  private async doCommit(): Promise<void> {
    this.check();
    await (this.ready ??= this.recover());
    await this.flush();
    await Promise.all(this.inFlight);
    this.check();
    const mark = this.next - 1;
    if (mark > commitMark(this.host)) {
      await this.retrying(`commit mark ${mark}`, () =>
        this.client.exec(
          `INSERT INTO ${q(this.client.target.database, COMMITS_TABLE)} (seq, at) VALUES (${mark}, now())`,
        ),
      );
    }
    this.host.stageCheckpoints({ [MARK_KEY]: { seq: mark } });
    const deltas = [...this.deltas.values()];
    try {
      await this.host.commitExternal(deltas);
    } catch (err) {
      // Rows above the manifest's mark are now in ClickHouse: only a new writer's recovery may reuse their seqs.
      this.failure = err as Error;
      throw err;
    }
    this.deltas = new Map();
  }

  /** One batch, exactly once (see the file comment). */
  private async send(batch: Batch): Promise<void> {
    const queryId = `flumen-${this.opts.workspaceId}-${batch.first}`;
    let lines = batch.lines;
    let uncertain = false;
    await this.retrying(`rows ${batch.first}..${batch.last}`, async () => {
      if (uncertain) {
        await this.whileRunning(queryId);
        const landed = new Set(
          (
            await this.client.rows<{ seq: number }>(
              `SELECT seq FROM ${this.table} WHERE seq BETWEEN ${batch.first} AND ${batch.last}`,
            )
          ).map((r) => Number(r.seq)),
        );
        lines = batch.lines.filter((_, i) => !landed.has(batch.seqs[i]));
        if (lines.length === 0) return;
      }
      uncertain = true;
      await this.client.request(`INSERT INTO ${this.table} FORMAT JSONEachRow`, {
        body: lines.join('\n') + '\n',
        queryId,
        settings: this.opts.insertSettings,
      });
    });
  }

  /** Waits until no query with this id runs (an earlier attempt the server is still writing). */
  private async whileRunning(queryId: string): Promise<void> {
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      const running = await this.client.rows<{ n: number }>(
        `SELECT count() AS n FROM system.processes WHERE query_id = ${quoteString(queryId)}`,
      );
      if (Number(running[0]?.n ?? 0) === 0) return;
      await sleep(wait);
    }
  }

  /** Runs fn until it succeeds; transient failures are retried with backoff, others thrown. */
  private async retrying(what: string, fn: () => Promise<void>): Promise<void> {
    const started = Date.now();
    const giveUp = this.opts.giveUpAfterMs ?? Infinity;
    for (let wait = 100; ; wait = Math.min(wait * 2, 5000)) {
      try {
        await fn();
        if (this.outage) {
          this.outage = false;
          this.opts.log?.(`${this.client.label} is back: writing again`);
        }
        return;
      } catch (err) {
        if (!isTransient(err) || this.closed) throw err;
        if (Date.now() - started > giveUp) {
          throw new Error(`${(err as Error).message} (gave up on ${what} after ${giveUp} ms)`, {
            cause: err,
          });
        }
        if (!this.outage) {
          this.outage = true;
          this.opts.log?.(`${(err as Error).message}; retrying (events wait in the channel, none are lost)`);
        }
        await sleep(wait);
      }
    }
  }

  /** Deletes rows a writer left uncommitted, then continues numbering after the mark (see Recovery). */
  private async recover(): Promise<void> {
    const mark = commitMark(this.host);
    const db = this.client.target.database;
    await this.retrying('recovery', async () => {
      for (const table of [EVENTS_TABLE, COMMITS_TABLE]) {
        const above = await this.client.rows<{ n: number }>(
          `SELECT count() AS n FROM ${q(db, table)} WHERE seq > ${mark}`,
        );
        if (Number(above[0]?.n ?? 0) === 0) continue;
        await this.client.exec(`ALTER TABLE ${q(db, table)} DELETE WHERE seq > ${mark}`);
        for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
          const pending = await this.client.rows<{ n: number }>(
            `SELECT count() AS n FROM system.mutations WHERE database = ${quoteString(db)} ` +
              `AND table = ${quoteString(table)} AND is_done = 0`,
          );
          if (Number(pending[0]?.n ?? 0) === 0) break;
          await sleep(wait);
        }
      }
    });
    this.next = mark + 1;
  }
}
