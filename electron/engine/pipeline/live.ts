// Live collection: collectors (tail, syslog, ssh) put raw batches into the channel; one loop parses, appends and
// commits the store at most every `commitEveryMs` (sooner when much is waiting). Flume's promise holds: the
// checkpoints a batch carries are written only in the same manifest write that makes its events durable, and a
// batch taken from the channel is kept until that commit, so a failed commit reopens the store and appends the
// same (already parsed) batches again: nothing lost, nothing duplicated.
import { Channel, type ChannelCounters, type Transaction } from '../channel/channel.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import type { Workspace } from '../store/index.ts';
import type { EventWriter } from '../store/types.ts';
import { EventSink, type SinkBatch, type SourceDescriptor } from './sink.ts';
import { formatDirsFor } from './format-dirs.ts';
import { loadMiner, saveMiner } from '../analysis/template-store.ts';
import { compactionCandidates, compactSmallSegments, type CompactOptions } from '../store/compact.ts';

/** A batch with the collector's read position after it: written with the commit that holds the batch. */
export interface LiveBatch extends SinkBatch {
  checkpoint?: { key: string; value: unknown };
}

/** What a collector may do with the pipeline. */
export interface LiveContext {
  /** The store source for this URI, kind and format: the workspace's own when it has one, else a new one. */
  source(desc: SourceDescriptor, sample: string[], format?: string | null): number;
  /** Puts a batch, waiting while the channel is full (backpressure). */
  put(batch: LiveBatch): Promise<void>;
  /** Puts a batch only when it fits now (lossy sources); false means the caller counts a drop. */
  offer(batch: LiveBatch): boolean;
  /** The committed checkpoint under this key (undefined on a first run). */
  checkpoint(key: string): unknown;
  /** Counts records a lossy source dropped. */
  recordDrop(n: number): void;
  /** Reports a problem as it happens (the collect command prints it); status() keeps the recent ones too. */
  log(message: string): void;
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
}

export interface LiveStats {
  channel: ChannelCounters;
  stored: number;
  commits: number;
  failedCommits: number;
}

const MINER_SAVE_EVERY_MS = 5000;
const TRACE = process.env.FLUMEN_TRACE_LIVE === '1';
/** A group this large is committed without waiting for the interval. */
const GROUP_RECORDS = 32 * 1024;

export class LivePipeline {
  private readonly channel = new Channel<LiveBatch>({ capacity: 256 * 1024, maxTake: 64 * 1024 });
  private readonly sink: EventSink;
  private writer: EventWriter;
  private readonly miner;
  private readonly collectors: LiveCollector[] = [];
  private readonly commitEveryMs: number;
  private readonly maxAttempts: number;
  private readonly openWriter: () => EventWriter;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wakeSleep: (() => void) | null = null;
  private stats = { stored: 0, commits: 0, failedCommits: 0 };
  private minerSavedAt = 0;
  private failure: unknown = null;
  private readonly log: (message: string) => void;
  private readonly compactOpts: CompactOptions | false;
  private compaction: Promise<void> | null = null;

  constructor(
    private readonly ws: Workspace,
    opts: LiveOptions = {},
  ) {
    this.commitEveryMs = opts.commitEveryMs ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.log = opts.log ?? (() => {});
    this.compactOpts = opts.compact ?? {};
    this.openWriter = opts.openWriter ?? (() => ws.writer());
    this.writer = this.openWriter();
    this.miner = loadMiner(ws.dir);
    this.sink = new EventSink(
      ws,
      this.writer,
      { timezone: opts.timezone ?? null, format: null, formatDirs: formatDirsFor(ws.dir) },
      this.miner,
    );
  }

  /** Starts the commit loop and the collectors; a collector that cannot start stops everything and throws. */
  async start(collectors: LiveCollector[]): Promise<void> {
    this.loop = this.run().catch((err) => {
      this.failure = err;
      this.channel.close();
    });
    const ctx = this.context();
    for (const c of collectors) {
      try {
        await c.start(ctx);
      } catch (err) {
        await this.stop().catch(() => {});
        throw err;
      }
      this.collectors.push(c);
    }
  }

  /** Resolves when the store failed for good (the collect command then exits non-zero). */
  failed(): unknown {
    return this.failure;
  }

  /** Stops the collectors, commits everything they put, and closes the writer. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.collectors.map((c) => c.stop().catch(() => {})));
    this.channel.close();
    this.wakeSleep?.();
    await this.loop;
    await this.compaction;
    if (!this.failure) saveMiner(this.ws.dir, this.miner);
    await this.writer.close();
    if (this.failure) throw this.failure;
  }

  status(): CollectorStatus[] {
    return this.collectors.map((c) => c.status());
  }

  pipelineStats(): LiveStats {
    return { channel: this.channel.stats(), ...this.stats };
  }

  private context(): LiveContext {
    const ws = this.ws;
    return {
      source: (desc, sample, format) => {
        const known = ws
          .sources()
          .find(
            (s: SourceInfo) => s.uri === desc.uri && s.kind === desc.kind && (!format || s.format === format),
          );
        if (known) return this.sink.resumeSource(known, sample);
        return this.sink.openSource(desc, null, sample, format);
      },
      put: (batch) => this.channel.put(batch),
      offer: (batch) => {
        if (this.channel.isFull(batch.size)) return false;
        this.channel.put(batch).catch(() => this.channel.recordDrop(batch.size)); // closed meanwhile
        return true;
      },
      checkpoint: (key) => ws.checkpoint(key),
      recordDrop: (n) => this.channel.recordDrop(n),
      log: (message) => this.log(message),
    };
  }

  /**
   * The commit loop. A taken transaction is parsed at once (overlapping the commit of the previous group),
   * appended, and then held in `pending` until the store commit that makes it durable; only then do its
   * checkpoints reach the manifest. A failed append or commit reopens the store and appends every pending batch
   * again (they keep their parse results), so what the channel handed over is neither lost nor doubled.
   */
  private async run(): Promise<void> {
    let lastCommit = Date.now();
    let pending: LiveBatch[] = [];
    let pendingSize = 0;
    let commit: Promise<void> | null = null;
    let next: Promise<Transaction<LiveBatch> | null> | null = null;
    const startCommit = async () => {
      if (commit) await commit;
      const group = pending;
      pending = [];
      pendingSize = 0;
      lastCommit = Date.now();
      commit = this.commitGroup(group);
      // A store that failed for good stops collection now (not at the next append): the channel closes, the
      // collectors' puts fail, and run() throws the store's error when it awaits this commit.
      commit.catch((err) => {
        this.failure ??= err;
        this.channel.close();
      });
    };
    for (;;) {
      next ??= this.channel.take();
      let tx: Transaction<LiveBatch> | null | undefined;
      if (pending.length > 0) {
        // Wait for more, but not past the commit interval: a trickle is committed every commitEveryMs.
        const wait = Math.max(0, lastCommit + this.commitEveryMs - Date.now());
        tx = await Promise.race([next, this.sleep(wait).then(() => undefined)]);
      } else tx = await next;
      if (tx === undefined) {
        await startCommit();
        continue;
      }
      next = null;
      if (tx === null) break;
      this.sink.prepareBatches(tx.items);
      if (commit) {
        await commit;
        commit = null;
      }
      await this.appendRecovering(tx.items, pending);
      for (const b of tx.items) {
        pending.push(b);
        pendingSize += b.size;
      }
      tx.commit();
      if (pendingSize >= GROUP_RECORDS || Date.now() - lastCommit >= this.commitEveryMs) await startCommit();
    }
    if (pending.length > 0) await startCommit();
    if (commit) await commit;
  }

  /** Appends; when the store fails, reopens it and appends what is pending since the last commit, then these. */
  private async appendRecovering(items: LiveBatch[], pending: LiveBatch[]): Promise<void> {
    try {
      await this.sink.appendBatches(items);
    } catch (err) {
      await this.recover([...pending, ...items], err, 1);
    }
  }

  /** Commits a group of appended batches, with their checkpoints, retrying on a fresh writer when it fails. */
  private async commitGroup(batches: LiveBatch[]): Promise<void> {
    let events = 0;
    for (const b of batches) events += b.parsed?.length ?? 0;
    for (let attempt = 1; ; attempt++) {
      const checkpoints: Record<string, unknown> = {};
      for (const b of batches) if (b.checkpoint) checkpoints[b.checkpoint.key] = b.checkpoint.value;
      this.ws.stageCheckpoints(checkpoints);
      try {
        const t0 = Date.now();
        await this.writer.commit();
        if (TRACE) this.log(`commit: ${events} events, ${batches.length} batches, ${Date.now() - t0} ms`);
        break;
      } catch (err) {
        this.ws.discardStagedCheckpoints();
        await this.recover(batches, err, attempt);
      }
    }
    this.sink.noteStored(events);
    this.stats.stored += events;
    this.stats.commits++;
    this.maybeCompact();
    if (Date.now() - this.minerSavedAt >= MINER_SAVE_EVERY_MS) {
      saveMiner(this.ws.dir, this.miner);
      this.minerSavedAt = Date.now();
    }
  }

  /**
   * The writer failed: it keeps nothing of what was appended since its last commit. Reopens the store and appends
   * `batches` again; throws the store's error once `attempt` reaches maxAttempts.
   */
  private async recover(batches: LiveBatch[], err: unknown, attempt: number): Promise<void> {
    for (;;) {
      this.stats.failedCommits++;
      this.log(`store write failed (attempt ${attempt} of ${this.maxAttempts}): ${(err as Error).message}`);
      await this.writer.close().catch(() => {});
      if (attempt >= this.maxAttempts) throw err;
      await this.sleep(Math.min(2000, 50 * 2 ** attempt));
      // Reopening removes segment files no manifest names: a compaction must not be writing one then.
      await this.compaction;
      try {
        this.writer = this.openWriter();
        this.sink.useWriter(this.writer);
        await this.sink.appendBatches(batches);
        return;
      } catch (again) {
        err = again;
        attempt++;
      }
    }
  }

  /** Starts a compaction beside the commits when enough small segments piled up (one at a time). */
  private maybeCompact(): void {
    if (this.compactOpts === false || this.compaction || this.stopping) return;
    if (compactionCandidates(this.ws, this.compactOpts).length === 0) return;
    this.compaction = compactSmallSegments(this.ws, this.compactOpts)
      .then((r) => {
        if (r && TRACE)
          this.log(`compacted segments ${r.replaced.join(',')} (${r.events} events) into ${r.into}`);
      })
      .catch((err) => this.log(`compaction failed (the small segments stay): ${(err as Error).message}`))
      .finally(() => (this.compaction = null));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeSleep = () => {
        this.wakeSleep = null;
        done();
      };
    });
  }
}
