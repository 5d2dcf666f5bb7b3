// One-shot ingest: expand inputs, read lines into the channel, parse and store them.
//
// Durability for file inputs is per source: a source enters the manifest only when writer.commit() has sealed
// every segment holding its events. A crash mid-ingest leaves no half source behind; running the same ingest
// again reads it whole (and skips the sources that did land, by fingerprint).
import { Channel } from '../channel/channel.ts';
import { expandInputs, fileFingerprint, firstLines, readLines } from '../sources/index.ts';
import type { InputItem, SkippedInput } from '../sources/types.ts';
import type { Workspace } from '../store/index.ts';
import { IngestSink, NO_LINES, type IngestBatch } from './ingest-sink.ts';
import { IngestProgressMeter, type IngestProgress } from './progress.ts';
import { formatDirsFor } from './format-dirs.ts';

export interface IngestOptions {
  inputs: string[];
  /** Forced format name for every input of this call. */
  format?: string | null;
  /** Zone for zone-less timestamps (IANA name or +HH:MM). */
  timezone?: string | null;
  /** Called at most every `progressEveryMs` while ingesting. */
  onProgress?: (p: IngestProgress) => void;
  progressEveryMs?: number;
}

export interface IngestedSource {
  uri: string;
  format: string;
  reason: string;
  events: number;
}

export interface IngestSummary {
  events: number;
  bytes: number;
  sources: IngestedSource[];
  /** Inputs passed over on purpose (binary members, symlinks, already ingested). */
  skipped: SkippedInput[];
  /** Inputs that failed (corrupt, hostile, unreadable); the others were still ingested. */
  errors: SkippedInput[];
  invalidUtf8: number;
  truncatedLines: number;
  durationMs: number;
}

const SAMPLE_LINES = 50;

export async function ingest(ws: Workspace, opts: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const summary: IngestSummary = {
    events: 0,
    bytes: 0,
    sources: [],
    skipped: [],
    errors: [],
    invalidUtf8: 0,
    truncatedLines: 0,
    durationMs: 0,
  };
  const channel = new Channel<IngestBatch>({ capacity: 64 * 1024, maxTake: 16 * 1024 });
  const writer = ws.eventWriter();
  const sink = new IngestSink(ws, writer, {
    timezone: opts.timezone ?? null,
    format: opts.format ?? null,
    formatDirs: formatDirsFor(ws.dir),
  });
  const meter = new IngestProgressMeter(opts.onProgress, opts.progressEveryMs ?? 200, () => channel.stats());

  // The sink runs concurrently with the producer below; the channel between them applies backpressure.
  // If the store fails for good, the channel closes so the producer stops instead of waiting forever.
  let sinkError: unknown = null;
  const sinkDone = sink
    .run(channel, (events) => meter.addEvents(events))
    .catch((err) => {
      sinkError = err;
      channel.close();
    });

  const fingerprints = new Map<string, string>();
  try {
    for await (const item of expandInputs(opts.inputs)) {
      if (sinkError) break;
      if ('reason' in item) {
        (item.severity === 'error' ? summary.errors : summary.skipped).push(item);
        meter.note(item.uri);
        continue;
      }
      const fp = await fingerprintOf(item, fingerprints);
      if (fp && ws.findSourceByFingerprint(fp)) {
        summary.skipped.push({ uri: item.uri, reason: 'already in this workspace', severity: 'skipped' });
        await drain(item);
        continue;
      }
      try {
        await readSource(item, fp, channel, sink, summary, meter);
      } catch (err) {
        summary.errors.push({ uri: item.uri, reason: errorText(err), severity: 'error' });
      }
    }
  } finally {
    channel.close();
  }
  await sinkDone;
  try {
    if (sinkError) {
      await writer.close().catch(() => {});
      throw new Error(`store failed, nothing of this ingest was committed: ${errorText(sinkError)}`);
    }
    await writer.commit();
    await sink.save();
    await writer.close();
  } finally {
    await sink.close();
  }
  for (const s of sink.finishedSources()) summary.sources.push(s);
  for (const e of sink.errors()) summary.errors.push(e);
  summary.events = sink.eventCount();
  summary.durationMs = Date.now() - started;
  meter.finish();
  return summary;
}

/** Reads one input's lines into the channel; the first batch's lines are the format-detection sample. */
async function readSource(
  item: InputItem,
  fingerprint: string | null,
  channel: Channel<IngestBatch>,
  sink: IngestSink,
  summary: IngestSummary,
  meter: IngestProgressMeter,
): Promise<void> {
  let sourceId: number | null = null;
  meter.note(item.uri);
  for await (const batch of readLines(item.open(), { batchLines: 4096 })) {
    summary.bytes += batch.bytes;
    summary.invalidUtf8 += batch.invalidUtf8;
    summary.truncatedLines += batch.lines.truncated.length;
    meter.addBytes(batch.bytes);
    sourceId ??= sink.openSource(item, fingerprint, firstLines(batch.lines, SAMPLE_LINES));
    await channel.put({ sourceId, lines: batch.lines, bytes: batch.bytes, size: batch.lines.offsets.length });
  }
  sourceId ??= sink.openSource(item, fingerprint, []);
  await channel.put({ sourceId, lines: NO_LINES, bytes: 0, size: 0, end: true });
}

async function fingerprintOf(item: InputItem, cache: Map<string, string>): Promise<string | null> {
  if (item.kind === 'stdin') return null;
  // A member's identity is its top-level archive's identity plus its path inside it.
  const bang = item.uri.indexOf('!/');
  const top = bang < 0 ? item.uri : item.uri.slice(0, bang);
  let fp = cache.get(top);
  if (fp == null) {
    fp = await fileFingerprint(top);
    cache.set(top, fp);
  }
  return bang < 0 ? fp : `${fp}${item.uri.slice(bang)}`;
}

/** A member stream must be consumed before the archive moves on, even when we skip it. */
async function drain(item: InputItem): Promise<void> {
  for await (const _chunk of item.open()) {
    // discard
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
