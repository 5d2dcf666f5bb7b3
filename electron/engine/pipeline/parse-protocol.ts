// Messages between a one-shot ingest (main thread) and its parse worker (parse-worker.ts).
import type { ParseContext } from '../parse/types.ts';
import type { PackedLines, SkippedInput } from '../sources/types.ts';
import type { EventColumns } from '../store/event-columns.ts';
import type { IngestedSource } from './ingest.ts';

export type { PackedLines };

export interface ParseWorkerInit {
  /** The workspace whose template miner (and anomaly counts) the worker loads and saves. */
  workspaceDir: string;
}

export type ParseRequest =
  /** Starts a source: the worker builds its parser from the same sample and context the main thread detected with. */
  | { type: 'open'; seq: number; sourceId: number; uri: string; sample: string[]; ctx: ParseContext }
  /** Parses lines of an open source; `end` closes it after them. Replies with the events packed in columns. */
  | { type: 'lines'; seq: number; sourceId: number; lines: PackedLines; end: boolean }
  /** Replies with what the sources came to (formats, counts, parse failures). */
  | { type: 'summary'; seq: number }
  /** Saves the template miner and anomaly counts into the workspace: sent after the store has committed. */
  | { type: 'save'; seq: number };

export type ParseResult =
  | { kind: 'events'; cols: EventColumns | null }
  | { kind: 'summary'; sources: IngestedSource[]; errors: SkippedInput[] };
