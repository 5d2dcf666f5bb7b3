// Live collection: collectors (tail, syslog, ssh) put raw batches into the channel; one loop parses, appends and
// commits the store at most every `commitEveryMs` (sooner when much is waiting). Flume's promise holds: a batch's
// checkpoints are written in the same manifest write that makes its events durable, and a taken batch is kept until
// that commit, so a failed commit reopens the store and appends the same parsed batches again: nothing lost or twice.
// Collectors come and go while it runs (live-handle.ts); the one writer can be lent to an ingest job (live-lend.ts).
import { Channel, type Transaction } from '../channel/channel.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import type { TemplateMiner } from '../../../shared/templates/index.ts';
import type { Workspace } from '../store/index.ts';
import type { EventWriter } from '../store/types.ts';
import { EventSink } from './sink.ts';
import { formatDirsFor } from './format-dirs.ts';
import { loadMiner, saveMiner } from '../analysis/template-store.ts';
import { compactionCandidates, compactSmallSegments, type CompactOptions } from '../store/compact.ts';
import { CollectorHandle, countCommitted } from './live-handle.ts';
import { WriterLoan, type Loan } from './live-lend.ts';
import { LiveClaims } from './live-claims.ts';
import type {
  CollectorStatus,
  LiveBatch,
  LiveCollector,
  LiveContext,
  LiveOptions,
  LiveStats,
} from './live-types.ts';

export type * from './live-types.ts';
export type { HandleStats } from './live-handle.ts';

const MINER_SAVE_EVERY_MS = 5000;
const TRACE = process.env.FLUMEN_TRACE_LIVE === '1';
/** A group this large is committed without waiting for the interval. */
const GROUP_RECORDS = 32 * 1024;

export class LivePipeline {
  private readonly channel = new Channel<LiveBatch>({ capacity: 256 * 1024, maxTake: 64 * 1024 });
  private sink: EventSink;
  private writer: EventWriter;
  private miner: TemplateMiner;
  private readonly handles = new Map<LiveCollector, CollectorHandle>();
  /** By handle id, for the commit counts; a removed collector's last batches still count after it is gone. */
  private readonly handleById = new Map<number, CollectorHandle>();
  private nextHandleId = 1;
  /** The sources opened, with their format-detection samples: reopened on a fresh sink after a lend. */
  private readonly opened = new Map<number, string[]>();
  private readonly commitEveryMs: number;
  private readonly maxAttempts: number;
  private readonly openWriter: () => EventWriter;
  private readonly timezone: string | null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private wakeSleep: (() => void) | null = null;
  private readonly loan = new WriterLoan();
  /** One per workspace: every collector added to this pipeline claims from it. */
  private readonly claims = new LiveClaims();
  private stats = { stored: 0, commits: 0, failedCommits: 0 };
  private minerSavedAt = 0;
  private failure: unknown = null;
  private readonly log: (message: string) => void;
  private readonly onCommit: (events: number) => void;
  private readonly compactOpts: CompactOptions | false;
  private compaction: Promise<void> | null = null;

  constructor(
    private readonly ws: Workspace,
    opts: LiveOptions = {},
  ) {
    this.commitEveryMs = opts.commitEveryMs ?? 500;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.log = opts.log ?? (() => {});
    this.onCommit = opts.onCommit ?? (() => {});
    this.compactOpts = opts.compact ?? {};
    this.timezone = opts.timezone ?? null;
    this.openWriter = opts.openWriter ?? (() => ws.writer());
    this.writer = this.openWriter();
    this.miner = loadMiner(ws.dir);
    this.sink = this.newSink();
  }

  /** Starts the commit loop and the collectors; a collector that cannot start stops everything and throws. */
  async start(collectors: LiveCollector[]): Promise<void> {
    this.open();
    for (const c of collectors) {
      try {
        await this.add(c);
      } catch (err) {
        await this.stop().catch(() => {});
        throw err;
      }
    }
  }

  /** Starts the commit loop (once); collectors join with add(). */
  open(): void {
    this.loop ??= this.run().catch((err) => {
      this.failure = err;
      this.channel.close();
    });
  }

  /** Starts one more collector (paused: it puts nothing until resumed); throws, keeping nothing, if it cannot start. */
  async add(c: LiveCollector, opts: { paused?: boolean } = {}): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stopping) throw new Error('live collection is stopping');
    this.open();
    const h = new CollectorHandle(this.nextHandleId++, c);
    if (opts.paused) h.pause();
    this.handleById.set(h.id, h);
    try {
      await c.start(h.context(this.context()));
    } catch (err) {
      this.handleById.delete(h.id);
      throw err;
    }
    this.handles.set(c, h);
  }

  /** Stops one collector; what it read (also while paused) is still committed. */
  async remove(c: LiveCollector): Promise<void> {
    const h = this.handles.get(c);
    if (!h) return;
    h.resume();
    await c.stop();
    this.handles.delete(c);
  }

  pause(c: LiveCollector): void {
    this.handles.get(c)?.pause();
  }

  resume(c: LiveCollector): void {
    this.handles.get(c)?.resume();
  }

  /** The pipeline's side of a collector's status: paused, committed events, lag. */
  handleStats(c: LiveCollector) {
    return this.handles.get(c)?.stats() ?? null;
  }

  /** The store's error once it failed for good (the collect command then exits non-zero), else null. */
  failed(): unknown {
    return this.failure;
  }

  /** Stops the collectors, commits everything they put, and closes the writer. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  /**
   * Runs `fn` while the store's writer is free for it (an ingest job): pending events are committed first, the
   * collectors wait on backpressure meanwhile (UDP counts drops when the channel fills), and collection goes on
   * with a fresh writer and the template miner `fn` saved.
   */
  async lendWriter<T>(fn: () => Promise<T>): Promise<T> {
    if (this.stopping) {
      await this.stopped;
      return fn();
    }
    this.open();
    // A pipeline that fails meanwhile has closed its writer too.
    return this.loan.lend(fn, this.loop as Promise<void>);
  }

  status(): CollectorStatus[] {
    return [...this.handles.keys()].map((c) => c.status());
  }

  pipelineStats(): LiveStats {
    return { channel: this.channel.stats(), ...this.stats };
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    for (const h of this.handles.values()) h.resume();
    await Promise.all([...this.handles.keys()].map((c) => c.stop().catch(() => {})));
    this.channel.close();
    this.wakeSleep?.();
    await this.loop;
    await this.compaction;
    if (!this.failure) saveMiner(this.ws.dir, this.miner);
    await this.writer.close();
    if (this.failure) throw this.failure;
  }

  private newSink(): EventSink {
    return new EventSink(
      this.ws,
      this.writer,
      { timezone: this.timezone, format: null, formatDirs: formatDirsFor(this.ws.dir) },
      this.miner,
    );
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
        const id = known
          ? this.sink.resumeSource(known, sample)
          : this.sink.openSource(desc, null, sample, format);
        this.opened.set(id, sample);
        return id;
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
      claims: this.claims,
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
      const loan = this.loan.pending;
      if (loan) {
        // Everything appended is committed before the writer goes; a transaction already taken waits in `next`.
        if (pending.length > 0) await startCommit();
        if (commit) await commit;
        commit = null;
        await this.handOver(loan);
        continue;
      }
      next ??= this.channel.take();
      const lendAsked = this.loan.asked();
      let tx: Transaction<LiveBatch> | null | undefined;
      if (pending.length > 0) {
        // Wait for more, but not past the commit interval: a trickle is committed every commitEveryMs.
        const wait = Math.max(0, lastCommit + this.commitEveryMs - Date.now());
        tx = await Promise.race([next, this.sleep(wait).then(() => undefined), lendAsked]);
      } else tx = await Promise.race([next, lendAsked]);
      if (tx === undefined) {
        if (pending.length > 0) await startCommit();
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

  /**
   * Closes the writer (nothing is pending), waits while another writer uses the workspace, then reopens it with
   * the template miner that writer saved; the sources being followed continue on a fresh sink.
   */
  private async handOver(loan: Loan): Promise<void> {
    await this.compaction;
    saveMiner(this.ws.dir, this.miner);
    this.minerSavedAt = Date.now();
    await this.writer.close();
    loan.ready();
    await loan.back;
    this.loan.returned();
    this.writer = this.openWriter();
    this.miner = loadMiner(this.ws.dir);
    this.sink = this.newSink();
    for (const [id, sample] of this.opened) {
      const info = this.ws.sources().find((s) => s.id === id);
      if (info) this.sink.resumeSource(info, sample);
    }
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
    countCommitted(batches, this.handleById);
    if (events > 0) this.onCommit(events);
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
