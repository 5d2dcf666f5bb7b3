// The channel's sink: parses each source's records in order, gives events their template, appends them to
// the store, and commits the channel transaction only after the store has accepted the batch.
import { newSource, type LogEvent, type SourceInfo, type SourceKind } from '../../../shared/event.ts';
import type { TemplateMiner } from '../../../shared/templates/index.ts';
import { severityRank } from '../../../shared/severity.ts';
import type { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { addIdentifierFields } from '../../../shared/analysis/identifiers.ts';
import { analysisFor } from '../analysis/template-store.ts';
import { createSourceParser } from '../parse/index.ts';
import type { ParseContext, ParsedEvent, SourceParser } from '../parse/types.ts';
import type { Channel } from '../channel/channel.ts';
import type { InputItem, RawBatch, SkippedInput } from '../sources/types.ts';
import type { Workspace } from '../store/index.ts';
import type { EventWriter } from '../store/types.ts';
import type { IngestedSource } from './ingest.ts';

/** A channel item: a raw batch, or the end-of-source marker that flushes the source's pending multi-line event. */
export interface SinkBatch extends RawBatch {
  size: number;
  end?: boolean;
  /** Live sources: complete the source's pending multi-line event after this batch (the source stays open). */
  flush?: boolean;
  /** Parse results, kept so that a rolled-back batch is appended again without parsing it twice. */
  parsed?: LogEvent[];
}

export interface SinkOptions {
  timezone: string | null;
  format: string | null;
  formatDirs: string[];
}

/** What openSource needs to know about an input: a file item, or a live source (tail, syslog, ssh). */
export type SourceDescriptor = Pick<InputItem, 'uri' | 'size' | 'mtimeMs'> & { kind: SourceKind };

interface OpenSource {
  uri: string;
  parser: SourceParser;
  events: number;
}

const MAX_ATTEMPTS = 3;

export class EventSink {
  private readonly open = new Map<number, OpenSource>();
  private readonly done: IngestedSource[] = [];
  private readonly failed: SkippedInput[] = [];
  private total = 0;
  /** Anomaly counts that travel with the miner (template-store.ts), fed once per event like the miner. */
  private readonly analysis: AnalysisAccumulator | null;

  constructor(
    private readonly ws: Workspace,
    private writer: EventWriter,
    private readonly opts: SinkOptions,
    /** Gives each event its template id; mining happens once per event, before the first append attempt. */
    private readonly miner: TemplateMiner,
  ) {
    this.analysis = analysisFor(miner);
  }

  /** Registers a source and detects its format from the sample; returns its id. Throws on an unknown forced format. */
  openSource(
    item: SourceDescriptor,
    fingerprint: string | null,
    sample: string[],
    format?: string | null,
  ): number {
    const parser = this.parserFor(item.uri, item.mtimeMs, sample, format);
    const info = this.ws.addSource(
      newSource({
        uri: item.uri,
        kind: item.kind,
        format: parser.format,
        formatReason: parser.reason,
        timezone: this.opts.timezone,
        fingerprint,
        size: item.size,
        mtimeMs: item.mtimeMs,
      }),
    );
    this.open.set(info.id, { uri: item.uri, parser, events: 0 });
    return info.id;
  }

  /**
   * Reopens a source the workspace already has (a live collector restarting): new events continue it rather
   * than adding a second source with the same URI. The format it was given is kept.
   */
  resumeSource(info: SourceInfo, sample: string[]): number {
    const parser = this.parserFor(info.uri, Date.now(), sample, info.format);
    this.open.set(info.id, { uri: info.uri, parser, events: 0 });
    return info.id;
  }

  private parserFor(
    uri: string,
    mtimeMs: number | null,
    sample: string[],
    format?: string | null,
  ): SourceParser {
    const ctx: ParseContext = {
      uri,
      mtimeMs,
      timezone: this.opts.timezone,
      format: format ?? this.opts.format,
      formatDirs: this.opts.formatDirs,
    };
    return createSourceParser(sample, ctx);
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
    return this.done;
  }

  errors(): SkippedInput[] {
    return this.failed;
  }

  eventCount(): number {
    return this.total;
  }

  private parse(batch: SinkBatch): LogEvent[] {
    // A live source's checkpoint-only batch (a rotation noticed, nothing read) names no source yet.
    if (batch.records.length === 0 && !batch.end && !batch.flush) return [];
    const src = this.open.get(batch.sourceId);
    if (!src) throw new Error(`internal: records for unknown source ${batch.sourceId}`);
    const out: LogEvent[] = [];
    const emit = (parsed: ParsedEvent[]) => {
      for (const p of parsed) out.push(this.toEvent(batch.sourceId, p));
    };
    try {
      for (const r of batch.records) emit(src.parser.push(r));
      if (batch.end || batch.flush) emit(src.parser.flush());
    } catch (err) {
      this.failed.push({
        uri: src.uri,
        reason: `parse failed: ${(err as Error).message}`,
        severity: 'error',
      });
    }
    src.events += out.length;
    if (batch.end) {
      this.done.push({
        uri: src.uri,
        format: src.parser.format,
        reason: src.parser.reason,
        events: src.events,
      });
      this.open.delete(batch.sourceId);
    }
    return out;
  }

  private toEvent(sourceId: number, p: ParsedEvent): LogEvent {
    const template = this.miner.add(p.message, p.ts);
    addIdentifierFields(p.message, p.fields);
    this.analysis?.add(template, p.ts, p.host, p.severity == null ? null : severityRank(p.severity));
    return {
      ts: p.ts,
      host: p.host,
      sourceId,
      line: p.line,
      offset: p.offset,
      severity: p.severity,
      message: p.message,
      raw: p.raw,
      fields: p.fields,
      template,
      anomaly: 0,
    };
  }
}
