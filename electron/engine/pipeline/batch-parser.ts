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
import type { PackedLines } from './parse-protocol.ts';

/** Off only to measure what mining costs (FLUMEN_NO_MINING=1: events get no template id and no anomaly counts). */
export const MINING_ENABLED = process.env.FLUMEN_NO_MINING !== '1';

interface OpenSource {
  uri: string;
  parser: SourceParser;
  events: number;
}

/** One batch in progress: the events so far, and how many of them toEvent has completed. */
interface Run {
  sourceId: number;
  src: OpenSource;
  parser: SourceParser;
  out: LogEvent[];
  completed: number;
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
    const run = this.start(sourceId);
    try {
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        run.parser.pushLine(r.text, r.offset, r.line, !!r.truncated, run.out);
        this.complete(run);
      }
    } catch (err) {
      this.fail(run, err);
      return this.end(run, marks, true);
    }
    return this.end(run, marks, false);
  }

  /**
   * parse() for the parse worker's packed lines (parse-protocol.ts), without a record object per line.
   * Throws on a malformed batch (line count and offsets disagree).
   */
  parsePacked(sourceId: number, packed: PackedLines, marks: BatchMarks): LogEvent[] {
    const n = packed.offsets.length;
    const texts = n === 0 ? [] : packed.text.split('\n');
    if (texts.length !== n) throw new Error('internal: malformed line batch');
    if (n === 0 && !marks.end && !marks.flush) return [];
    const run = this.start(sourceId);
    const cut = packed.truncated.length > 0 ? new Set(packed.truncated) : null;
    try {
      for (let i = 0; i < n; i++) {
        run.parser.pushLine(
          texts[i],
          packed.offsets[i],
          packed.lines[i],
          cut !== null && cut.has(i),
          run.out,
        );
        this.complete(run);
      }
    } catch (err) {
      this.fail(run, err);
      return this.end(run, marks, true);
    }
    return this.end(run, marks, false);
  }

  private start(sourceId: number): Run {
    const src = this.open.get(sourceId);
    if (!src) throw new Error(`internal: records for unknown source ${sourceId}`);
    return { sourceId, src, parser: src.parser, out: [], completed: 0 };
  }

  /** Completes the events the parser added since the last call, in order (see toEvent). */
  private complete(run: Run): void {
    const out = run.out;
    while (run.completed < out.length) {
      this.toEvent(run.sourceId, out[run.completed]);
      run.completed++;
    }
  }

  /** A failure keeps the events completed before it, like a parse that stopped there. */
  private fail(run: Run, err: unknown): void {
    run.out.length = run.completed;
    this.failed.push({
      uri: run.src.uri,
      reason: `parse failed: ${(err as Error).message}`,
      severity: 'error',
    });
  }

  /** Flushes on end/flush marks (not after a failure), counts the events and closes an ended source. */
  private end(run: Run, marks: BatchMarks, failed: boolean): LogEvent[] {
    const { src, out } = run;
    if (!failed && (marks.end || marks.flush)) {
      try {
        for (const e of run.parser.flush()) out.push(e);
        this.complete(run);
      } catch (err) {
        this.fail(run, err);
      }
    }
    src.events += out.length;
    if (marks.end) {
      this.done.push({
        uri: src.uri,
        format: src.parser.format,
        reason: src.parser.reason,
        events: src.events,
      });
      this.open.delete(run.sourceId);
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
