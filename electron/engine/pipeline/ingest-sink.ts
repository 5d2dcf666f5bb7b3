// The sink of a one-shot ingest: sources are registered here (format detected from their first lines), their lines
// go to the parse worker (parse-worker.ts), and the events it returns, packed in columns, go on to the store's
// segment builders in the order they were read. The channel transaction commits once the parse stage has taken
// the batch; durability comes from the writer's commit at the end of the ingest, per source (ingest.ts).
//
// So three threads work at once: this one reads and cuts lines, the parse worker parses and mines, the segment
// builders encode rows and index words. A window of batches in flight bounds the memory between them.
import { createSourceParser } from '../parse/index.ts';
import { RequestWorker } from '../runtime/request-worker.ts';
import type { Channel } from '../channel/channel.ts';
import type { SkippedInput } from '../sources/types.ts';
import type { Workspace } from '../store/index.ts';
import type { ColumnWriter } from '../store/types.ts';
import type { IngestedSource } from './ingest.ts';
import type { PackedLines, ParseRequest, ParseResult, ParseWorkerInit } from './parse-protocol.ts';
import {
  parseContextFor,
  registerSource,
  type SinkOptions,
  type SourceDescriptor,
} from './source-registration.ts';

const WORKER_URL = new URL('./parse-worker.ts', import.meta.url);

/** A batch of one source's lines on the ingest's channel, packed as the source cut them (sources/lines.ts). */
export interface IngestBatch {
  sourceId: number;
  lines: PackedLines;
  /** Source bytes the lines cover. */
  bytes: number;
  /** Lines in the batch (the channel's capacity counts these). */
  size: number;
  /** The source's last batch. */
  end?: boolean;
}

export const NO_LINES: PackedLines = {
  text: '',
  offsets: new Float64Array(0),
  lines: new Float64Array(0),
  truncated: [],
};
/** Batches parsed or being appended at once: enough to keep every thread busy, few enough to bound memory. */
const WINDOW = 4;

export class IngestSink {
  private readonly worker: RequestWorker<ParseRequest, ParseResult>;
  private failure: Error | null = null;
  /** Appends to the writer, chained so that events reach the store in the order their lines were read. */
  private appended: Promise<void> = Promise.resolve();
  private outstanding = 0;
  private waiters: (() => void)[] = [];
  private total = 0;
  private summary: Extract<ParseResult, { kind: 'summary' }> | null = null;

  constructor(
    private readonly ws: Workspace,
    private readonly writer: ColumnWriter,
    private readonly opts: SinkOptions,
  ) {
    const init: ParseWorkerInit = { workspaceDir: ws.dir };
    this.worker = new RequestWorker(WORKER_URL, init, `parse worker of ${ws.dir}`, (e) => this.fail(e));
  }

  /** Registers a source and detects its format from the sample; returns its id. Throws on an unknown forced format. */
  openSource(item: SourceDescriptor, fingerprint: string | null, sample: string[]): number {
    const ctx = parseContextFor(this.opts, item.uri, item.mtimeMs);
    // Detection here names the format in the workspace; the worker builds the same parser from the same sample.
    const parser = createSourceParser(sample, ctx);
    const id = registerSource(this.ws, item, fingerprint, parser, this.opts.timezone);
    this.worker
      .request({ type: 'open', sourceId: id, uri: item.uri, sample, ctx })
      .catch((e: Error) => this.fail(e));
    return id;
  }

  /** Consumes the channel until it is closed and drained, then waits until every event is with the store. */
  async run(channel: Channel<IngestBatch>, onEvents: (n: number) => void): Promise<void> {
    for (;;) {
      const tx = await channel.take();
      if (!tx) break;
      try {
        for (const b of tx.items) await this.send(b, onEvents);
      } catch (err) {
        tx.rollback();
        throw err;
      }
      tx.commit();
    }
    await this.appended;
    this.check();
    const s = await this.worker.request({ type: 'summary' });
    if (s?.kind === 'summary') this.summary = s;
  }

  /** Saves the template miner and anomaly counts (call after the store has committed), then stops the worker. */
  async save(): Promise<void> {
    this.check();
    await this.worker.request({ type: 'save' });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  finishedSources(): IngestedSource[] {
    return this.summary?.sources ?? [];
  }

  errors(): SkippedInput[] {
    return this.summary?.errors ?? [];
  }

  eventCount(): number {
    return this.total;
  }

  private async send(batch: IngestBatch, onEvents: (n: number) => void): Promise<void> {
    while (this.outstanding >= WINDOW) {
      this.check();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.check();
    this.outstanding++;
    // A copy of the line columns: they are transferred, and a rolled-back batch is sent again.
    const lines = { ...batch.lines, offsets: batch.lines.offsets.slice(), lines: batch.lines.lines.slice() };
    const parsed = this.worker.request({ type: 'lines', sourceId: batch.sourceId, lines, end: !!batch.end }, [
      lines.offsets.buffer as ArrayBuffer,
      lines.lines.buffer as ArrayBuffer,
    ]);
    this.appended = this.appended
      .then(() => parsed)
      .then(async (r) => {
        const cols = r?.kind === 'events' ? r.cols : null;
        if (cols) {
          await this.writer.appendColumns(cols);
          this.total += cols.n;
          onEvents(cols.n);
        }
      })
      .catch((e: Error) => this.fail(e))
      .finally(() => {
        this.outstanding--;
        this.wake();
      });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
