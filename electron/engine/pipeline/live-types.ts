// The contract between live collectors (tail, syslog, ssh) and the live pipeline that commits what they read.
import type { CompactOptions } from '../store/compact.ts';
import type { EventWriter } from '../store/types.ts';
import type { ChannelCounters } from '../channel/channel.ts';
import type { SinkBatch, SourceDescriptor } from './sink.ts';
import type { LiveClaims } from './live-claims.ts';

/** A batch with the collector's read position after it: written with the commit that holds the batch. */
export interface LiveBatch extends SinkBatch {
  checkpoint?: { key: string; value: unknown };
  /** The collector that put it (set by the pipeline, for per-collector commit counts and lag). */
  origin?: number;
}

/** What a collector may do with the pipeline. */
export interface LiveContext {
  /** The store source for this URI, kind and format: the workspace's own when it has one, else a new one. */
  source(desc: SourceDescriptor, sample: string[], format?: string | null): number;
  /** Puts a batch, waiting while the channel is full (backpressure) or the collector is paused. */
  put(batch: LiveBatch): Promise<void>;
  /** Puts a batch only when it fits now (lossy sources); false means the caller counts a drop. */
  offer(batch: LiveBatch): boolean;
  /** The committed checkpoint under this key (undefined on a first run). */
  checkpoint(key: string): unknown;
  /** Counts records a lossy source dropped. */
  recordDrop(n: number): void;
  /** Reports a problem as it happens (the collect command prints it); status() keeps the recent ones too. */
  log(message: string): void;
  /** What the workspace's collectors read, so that one file matched by several of them is read once. */
  claims: LiveClaims;
}

export interface CollectorStatus {
  name: string;
  /** Records read (lines, messages). */
  records: number;
  bytes: number;
  /** Records dropped (UDP only). */
  dropped: number;
  /** How far behind the source the collector is (bytes not yet read), where that is known. */
  lagBytes: number | null;
  /** Connections or files currently followed. */
  active: number;
  errors: string[];
}

export interface LiveCollector {
  readonly name: string;
  /** Starts collecting; resolves once listening / following (throws on a bad address or path). */
  start(ctx: LiveContext): Promise<void>;
  /** Stops reading; once it resolves the collector puts nothing more. */
  stop(): Promise<void>;
  status(): CollectorStatus;
}

export interface LiveOptions {
  commitEveryMs?: number;
  timezone?: string | null;
  /** Opens the store's writer (tests wrap it to fail commits); default ws.writer(). */
  openWriter?: () => EventWriter;
  /** Commit attempts for one transaction before the pipeline gives up. */
  maxAttempts?: number;
  log?: (message: string) => void;
  /** Merging of the small segments frequent commits seal; false turns it off. */
  compact?: CompactOptions | false;
  /** Called after each commit that stored events (the app refreshes its views). */
  onCommit?: (events: number) => void;
}

export interface LiveStats {
  channel: ChannelCounters;
  stored: number;
  commits: number;
  failedCommits: number;
}
