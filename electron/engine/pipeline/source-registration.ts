// Opening a source for the sink: the parse context it is parsed with, and its entry in the workspace. Shared by
// the live pipeline's sink (sink.ts) and a one-shot ingest's (ingest-sink.ts), which parse on different threads.
import { newSource, type SourceKind } from '../../../shared/event.ts';
import type { ParseContext, SourceParser } from '../parse/types.ts';
import type { InputItem } from '../sources/types.ts';
import type { Workspace } from '../store/index.ts';

export interface SinkOptions {
  timezone: string | null;
  format: string | null;
  formatDirs: string[];
}

/** What openSource needs to know about an input: a file item, or a live source (tail, syslog, ssh). */
export type SourceDescriptor = Pick<InputItem, 'uri' | 'size' | 'mtimeMs'> & { kind: SourceKind };

/** The context a source's parser is built from; `format` (a source's own) wins over the sink's forced format. */
export function parseContextFor(
  opts: SinkOptions,
  uri: string,
  mtimeMs: number | null,
  format?: string | null,
): ParseContext {
  return {
    uri,
    mtimeMs,
    timezone: opts.timezone,
    format: format ?? opts.format,
    formatDirs: opts.formatDirs,
  };
}

/** Adds the source to the workspace with the format its parser chose; returns its id. */
export function registerSource(
  ws: Workspace,
  item: SourceDescriptor,
  fingerprint: string | null,
  parser: Pick<SourceParser, 'format' | 'reason'>,
  timezone: string | null,
): number {
  return ws.addSource(
    newSource({
      uri: item.uri,
      kind: item.kind,
      format: parser.format,
      formatReason: parser.reason,
      timezone,
      fingerprint,
      size: item.size,
      mtimeMs: item.mtimeMs,
    }),
  ).id;
}
