// The channel's sink: parses each source's records in order, gives events their template, appends them to
// the store, and commits the channel transaction only after the store has accepted the batch.
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import type { TemplateMiner } from '../../../shared/templates/index.ts';
import { analysisFor } from '../analysis/template-store.ts';
import { createSourceParser } from '../parse/index.ts';
import { BatchParser } from './batch-parser.ts';
import type { Channel } from '../channel/channel.ts';
import type { RawBatch, SkippedInput } from '../sources/types.ts';
import type { Workspace } from '../store/index.ts';
import type { EventWriter } from '../store/types.ts';
import type { IngestedSource } from './ingest.ts';
import {
  parseContextFor,
  registerSource,
  type SinkOptions,
  type SourceDescriptor,
} from './source-registration.ts';

export type { SinkOptions, SourceDescriptor } from './source-registration.ts';

/** A channel item: a raw batch, or the end-of-source marker that flushes the source's pending multi-line event. */
export interface SinkBatch extends RawBatch {
  size: number;
  end?: boolean;
  /** Live sources: complete the source's pending multi-line event after this batch (the source stays open). */
  flush?: boolean;
  /** Parse results, kept so that a rolled-back batch is appended again without parsing it twice. */
  parsed?: LogEvent[];
}

const MAX_ATTEMPTS = 3;

export class EventSink {
  private readonly batches: BatchParser;
  private total = 0;

  constructor(
    private readonly ws: Workspace,
    private writer: EventWriter,
    private readonly opts: SinkOptions,
    /** Gives each event its template id; mining happens once per event, before the first append attempt. */
    miner: TemplateMiner,
  ) {
    this.batches = new BatchParser(miner, analysisFor(miner));
  }

  /** Registers a source and detects its format from the sample; returns its id. Throws on an unknown forced format. */
  openSource(
    item: SourceDescriptor,
    fingerprint: string | null,
    sample: string[],
    format?: string | null,
  ): number {
    const parser = createSourceParser(sample, parseContextFor(this.opts, item.uri, item.mtimeMs, format));
    const id = registerSource(this.ws, item, fingerprint, parser, this.opts.timezone);
    this.batches.openSource(id, item.uri, parser);
    return id;
  }

  /**
   * Reopens a source the workspace already has (a live collector restarting): new events continue it rather
   * than adding a second source with the same URI. The format it was given is kept.
   */
  resumeSource(info: SourceInfo, sample: string[]): number {
    const parser = createSourceParser(sample, parseContextFor(this.opts, info.uri, Date.now(), info.format));
    this.batches.openSource(info.id, info.uri, parser);
    return info.id;
  }

  /** Parses the batches now (results cached on them), e.g. while the store is busy committing earlier ones. */
  prepareBatches(items: SinkBatch[]): void {
    for (const batch of items) batch.parsed ??= this.parse(batch);
  }

  /**
   * Parses (once: results are cached on the batches) and appends a transaction's batches; returns the number of
   * events appended. Throws the store's error; the caller decides between rollback and retry.
   */
  async appendBatches(items: SinkBatch[]): Promise<number> {
    const events: LogEvent[] = [];
    for (const batch of items) {
      batch.parsed ??= this.parse(batch);
      for (const e of batch.parsed) events.push(e);
    }
    if (events.length > 0) await this.writer.append(events);
    return events.length;
  }

  /** Replaces a writer that failed (a live pipeline reopens the store and appends the rolled-back batches again). */
  useWriter(writer: EventWriter): void {
    this.writer = writer;
  }

  /** Counts events whose commit finished (live pipelines, which commit the store themselves). */
  noteStored(n: number): void {
    this.total += n;
  }

  /**
   * Consumes the channel until it is closed and drained. A failed append rolls the transaction back and the
   * same batches are taken again (parse results are cached on them); after MAX_ATTEMPTS failures in a row the
   * sink gives up with the store's error, and nothing of the failed transaction was counted as stored.
   */
  async run(channel: Channel<SinkBatch>, onEvents: (n: number) => void): Promise<void> {
    let failures = 0;
    for (;;) {
      const tx = await channel.take();
      if (!tx) return;
      let appended: number;
      try {
        appended = await this.appendBatches(tx.items);
      } catch (err) {
        tx.rollback();
        if (++failures >= MAX_ATTEMPTS) throw err;
        continue;
      }
      failures = 0;
      tx.commit();
      this.total += appended;
      onEvents(appended);
    }
  }

  finishedSources(): IngestedSource[] {
    return this.batches.finishedSources();
  }

  errors(): SkippedInput[] {
    return this.batches.errors();
  }

  private parse(batch: SinkBatch): LogEvent[] {
    return this.batches.parse(batch.sourceId, batch.records, batch);
  }

  eventCount(): number {
    return this.total;
  }
}
