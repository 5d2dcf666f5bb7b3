// Turns a source's raw batches into store events: the source's parser (format, multi-line joining, year roll-over),
// then each event's template, identifier fields and anomaly counts. One instance holds every open source's parser
// state; the live pipeline runs it on the main thread (EventSink), a one-shot ingest in the parse worker.
import type { LogEvent } from '../../../shared/event.ts';
import type { TemplateMiner } from '../../../shared/templates/index.ts';
import { severityRank } from '../../../shared/severity.ts';
import type { AnalysisAccumulator } from '../../../shared/analysis/accumulator.ts';
import { addIdentifierFields } from '../../../shared/analysis/identifiers.ts';
import type { ParsedEvent, SourceParser } from '../parse/types.ts';
import type { RawRecord, SkippedInput } from '../sources/types.ts';
import type { IngestedSource } from './ingest.ts';

/** Off only to measure what mining costs (FLUMEN_NO_MINING=1: events get no template id and no anomaly counts). */
export const MINING_ENABLED = process.env.FLUMEN_NO_MINING !== '1';

interface OpenSource {
  uri: string;
  parser: SourceParser;
  events: number;
}

/** What a batch says besides its records. */
export interface BatchMarks {
  /** The source has ended: complete its pending multi-line event and close it. */
  end?: boolean;
  /** A live source paused: complete its pending multi-line event (the source stays open). */
  flush?: boolean;
}

export class BatchParser {
  private readonly open = new Map<number, OpenSource>();
  private readonly done: IngestedSource[] = [];
  private readonly failed: SkippedInput[] = [];

  constructor(
    /** Gives each event its template id. */
    private readonly miner: TemplateMiner,
    /** Anomaly counts fed once per event, like the miner (template-store.ts). */
    private readonly analysis: AnalysisAccumulator | null,
  ) {}

  openSource(sourceId: number, uri: string, parser: SourceParser): void {
    this.open.set(sourceId, { uri, parser, events: 0 });
  }

  /** Sources that ended, with their format and event counts. */
  finishedSources(): IngestedSource[] {
    return this.done;
  }

  /** Sources whose parser failed (the events before the failure are kept). */
  errors(): SkippedInput[] {
    return this.failed;
  }

  /** Parses one batch of one source, in source order. */
  parse(sourceId: number, records: readonly RawRecord[], marks: BatchMarks): LogEvent[] {
    // A live source's checkpoint-only batch (a rotation noticed, nothing read) names no source yet.
    if (records.length === 0 && !marks.end && !marks.flush) return [];
    const src = this.open.get(sourceId);
    if (!src) throw new Error(`internal: records for unknown source ${sourceId}`);
    const out: LogEvent[] = [];
    const emit = (parsed: ParsedEvent[]) => {
      for (const p of parsed) out.push(this.toEvent(sourceId, p));
    };
    try {
      for (const r of records) emit(src.parser.push(r));
      if (marks.end || marks.flush) emit(src.parser.flush());
    } catch (err) {
      this.failed.push({
        uri: src.uri,
        reason: `parse failed: ${(err as Error).message}`,
        severity: 'error',
      });
    }
    src.events += out.length;
    if (marks.end) {
      this.done.push({
        uri: src.uri,
        format: src.parser.format,
        reason: src.parser.reason,
        events: src.events,
      });
      this.open.delete(sourceId);
    }
    return out;
  }

  /** Completes the parser's event in place (no copy: one object per event from parser to store). */
  private toEvent(sourceId: number, p: ParsedEvent): LogEvent {
    p.sourceId = sourceId;
    if (MINING_ENABLED) {
      p.template = this.miner.add(p.message, p.ts);
      this.analysis?.add(p.template, p.ts, p.host, p.severity == null ? null : severityRank(p.severity));
    }
    addIdentifierFields(p.message, p.fields);
    return p;
  }
}
