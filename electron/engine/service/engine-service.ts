// The engine behind the API: one workspace, its sources, ingest jobs and queries. Transports (IPC, WebSocket,
// the worker) call it through dispatch(), which validates first; calling it directly assumes valid requests.
import { statSync } from 'node:fs';
import path from 'node:path';
import type {
  AnomaliesRequest,
  AnomalyRow,
  TemplateRow,
  TraceRequest,
  TraceResult,
  ApiNotice,
  BucketRequest,
  BucketResult,
  CancelRequest,
  CancelResult,
  ClockOffsetRequest,
  ContextRequest,
  ContextResult,
  CountRequest,
  FlumenApi,
  IngestRequest,
  LiveAddResult,
  LiveIdRequest,
  LiveSourceRequest,
  LiveSourceStatus,
  QueryPage,
  QueryRequest,
  QueryStats,
  WorkspaceInfo,
} from '../../../shared/api.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { MANIFEST_FILE, Workspace } from '../store/index.ts';
import type { EventStore } from '../query/event-store.ts';
import { openEventStore } from './open-store.ts';
import { IngestJobs } from './ingest-jobs.ts';
import { bucketsOf, countOf, pageOf } from './queries.ts';
import { templateMembers } from '../analysis/template-store.ts';
import { anomalyScorer } from '../analysis/anomaly-report.ts';
import { ApiFailure } from './api-failure.ts';
import { AnalysisService } from './analysis-api.ts';
import type { ValidLiveRequest } from './live-api.ts';
import { LiveSources } from './live-sources.ts';
import { LiveSourceFile } from './live-store.ts';
import { PageQueue } from './page-queue.ts';
import type { SecretVault } from './secret-vault.ts';

export interface EngineServiceOptions {
  /** Create the workspace folder when it does not exist. */
  create?: boolean;
  /** Seals live sources' secrets for keeping on disk (the desktop shell's safeStorage); none: memory only. */
  vault?: SecretVault | null;
  /** Start the live sources saved in the workspace (default true). */
  restoreLive?: boolean;
  /** Live collection's commit interval (default 500 ms). */
  liveCommitEveryMs?: number;
  /** Problems that belong to no request (a damaged live-sources.json). */
  log?: (message: string) => void;
  /** `--store clickhouse://…`: where the workspace's events live (open-store.ts); default its own segments. */
  store?: string | null;
}

export class EngineService implements FlumenApi {
  private readonly listeners = new Set<(notice: ApiNotice) => void>();
  private readonly jobs: IngestJobs;
  private readonly analysis: AnalysisService;
  private readonly live: LiveSources;
  private readonly pages = new PageQueue();
  private manifestStamp = '';
  private closed = false;

  private constructor(
    private readonly ws: Workspace,
    opts: EngineServiceOptions,
    private readonly store: EventStore,
  ) {
    this.live = new LiveSources(ws, (n) => this.emit(n), new LiveSourceFile(ws.dir, opts.vault ?? null), {
      commitEveryMs: opts.liveCommitEveryMs,
      log: opts.log,
    });
    this.jobs = new IngestJobs(
      ws,
      (n) => this.emit(n),
      (fn) => this.live.lendWriter(fn),
    );
    this.manifestStamp = this.stamp();
    this.analysis = new AnalysisService(ws.dir, store, () => this.committedSources());
  }

  static async open(dir: string, opts: EngineServiceOptions = {}): Promise<EngineService> {
    const ws = await Workspace.open(dir, { create: opts.create ?? false });
    let store: EventStore;
    try {
      store = await openEventStore(ws, ws.reader(), { store: opts.store, log: opts.log });
    } catch (err) {
      await ws.close();
      throw err;
    }
    const service = new EngineService(ws, opts, store);
    // In the background: the API answers meanwhile (an SSH host may take seconds); live calls wait their turn.
    if (opts.restoreLive !== false) void service.live.restore();
    return service;
  }

  get dir(): string {
    return this.ws.dir;
  }

  async workspace(): Promise<WorkspaceInfo> {
    await this.sync();
    const m = this.ws.manifest();
    const { events, tsMin, tsMax } = this.store.span();
    return {
      dir: this.ws.dir,
      name: path.basename(this.ws.dir),
      events,
      sources: m.sources.length,
      tsMin,
      tsMax,
    };
  }

  async sources(): Promise<SourceInfo[]> {
    await this.sync();
    // Committed sources only: one still being ingested has no searchable events yet.
    return structuredClone(this.ws.manifest().sources);
  }

  async setClockOffset(req: ClockOffsetRequest): Promise<SourceInfo> {
    await this.sync();
    if (!this.ws.manifest().sources.some((s) => s.id === req.sourceId)) {
      throw new ApiFailure({ code: 'not-found', message: `no source ${req.sourceId} in this workspace` });
    }
    const source = await this.ws.setClockOffset(req.sourceId, req.offsetMs);
    // Our own write: nothing to re-read. Views re-run their queries on the notice.
    this.manifestStamp = this.stamp();
    this.emit({ type: 'sources-changed' });
    return source;
  }

  async ingest(req: IngestRequest): Promise<{ jobId: string }> {
    this.assertOpen();
    return { jobId: this.jobs.start(req) };
  }

  /** A ticketed request (the grid's) waits its turn in the page queue and may be cancelled until it starts. */
  async query(req: QueryRequest): Promise<QueryPage> {
    this.assertOpen();
    const work = async () => {
      await this.sync();
      const page = await pageOf(
        this.store,
        this.committedSources(),
        req,
        templateMembers(this.ws.dir),
        anomalyScorer(this.ws.dir),
      );
      this.analysis.scoreRows(page.rows);
      return page;
    };
    return req.ticket == null ? this.pages.direct(work) : this.pages.enqueue(req.ticket, work);
  }

  async cancelQueries(req: CancelRequest): Promise<CancelResult> {
    this.assertOpen();
    return { cancelled: this.pages.cancel(req.tickets) };
  }

  async queryStats(): Promise<QueryStats> {
    this.assertOpen();
    return this.pages.stats();
  }

  async count(req: CountRequest): Promise<number> {
    await this.sync();
    return countOf(
      this.store,
      this.committedSources(),
      req,
      templateMembers(this.ws.dir),
      anomalyScorer(this.ws.dir),
    );
  }

  async buckets(req: BucketRequest): Promise<BucketResult> {
    const info = await this.workspace();
    return bucketsOf(
      this.store,
      this.committedSources(),
      req,
      { tsMin: info.tsMin, tsMax: info.tsMax },
      templateMembers(this.ws.dir),
      anomalyScorer(this.ws.dir),
    );
  }

  async context(req: ContextRequest): Promise<ContextResult> {
    await this.sync();
    const uris = new Map(this.ws.manifest().sources.map((s) => [s.id, s.uri]));
    return this.store.context(req, (id) => uris.get(id) ?? `source#${id}`);
  }

  async templates(): Promise<TemplateRow[]> {
    await this.sync();
    return this.analysis.templates();
  }

  async anomalies(req: AnomaliesRequest): Promise<AnomalyRow[]> {
    await this.sync();
    return this.analysis.anomalies(req);
  }

  async trace(req: TraceRequest): Promise<TraceResult> {
    await this.sync();
    return this.analysis.trace(req);
  }

  async liveSources(): Promise<LiveSourceStatus[]> {
    this.assertOpen();
    return this.live.list();
  }

  /** dispatch() validated the request; the schema's output (defaults filled) is what LiveSources takes. */
  async addLiveSource(req: LiveSourceRequest): Promise<LiveAddResult> {
    this.assertOpen();
    return this.live.add(req as ValidLiveRequest);
  }

  async pauseLiveSource(req: LiveIdRequest): Promise<LiveSourceStatus> {
    return this.live.pause(req.id);
  }

  async resumeLiveSource(req: LiveIdRequest): Promise<LiveSourceStatus> {
    return this.live.resume(req.id);
  }

  async removeLiveSource(req: LiveIdRequest): Promise<void> {
    await this.live.remove(req.id);
  }

  subscribe(listener: (notice: ApiNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for queued ingest jobs, commits what live sources read, then releases the workspace. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobs.idle();
    await this.live.close();
    this.listeners.clear();
    await this.ws.close();
    await this.store.close();
  }

  private committedSources(): SourceInfo[] {
    return this.ws.manifest().sources;
  }

  private emit(notice: ApiNotice): void {
    for (const l of this.listeners) {
      try {
        l(notice);
      } catch {
        // One broken listener (a closed socket) must not keep the others from hearing.
      }
    }
  }

  /**
   * Another process (`flumen collect`, `flumen ingest`) may have committed to this workspace: re-read the
   * manifest when its file changed. A stat per request is far cheaper than any query.
   */
  private async sync(): Promise<void> {
    this.assertOpen();
    const stamp = this.stamp();
    if (stamp === this.manifestStamp) return;
    this.manifestStamp = stamp;
    // While this process writes (live collection, an ingest job) it holds the writer lock: the file changed because
    // of us, the manifest in memory is already current, and re-reading it mid-commit could put an older one back.
    if (this.live.writing || this.jobs.busy) return;
    await this.ws.refresh();
  }

  private stamp(): string {
    try {
      const st = statSync(path.join(this.ws.dir, MANIFEST_FILE));
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return '';
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the workspace is closed');
  }
}
