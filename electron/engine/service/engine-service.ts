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
  ContextRequest,
  ContextResult,
  CountRequest,
  FlumenApi,
  IngestRequest,
  QueryPage,
  QueryRequest,
  WorkspaceInfo,
} from '../../../shared/api.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { MANIFEST_FILE, Workspace, type SegmentCache } from '../store/index.ts';
import { eventContext } from './context.ts';
import { IngestJobs } from './ingest-jobs.ts';
import { bucketsOf, countOf, pageOf } from './queries.ts';
import { templateMembers } from '../analysis/template-store.ts';
import { AnalysisService } from './analysis-api.ts';

export interface EngineServiceOptions {
  /** Create the workspace folder when it does not exist. */
  create?: boolean;
}

export class EngineService implements FlumenApi {
  private readonly listeners = new Set<(notice: ApiNotice) => void>();
  private readonly jobs: IngestJobs;
  private readonly reader: SegmentCache;
  private readonly analysis: AnalysisService;
  private manifestStamp = '';
  private closed = false;

  private constructor(private readonly ws: Workspace) {
    this.reader = ws.reader();
    this.jobs = new IngestJobs(ws, (n) => this.emit(n));
    this.manifestStamp = this.stamp();
    this.analysis = new AnalysisService(ws.dir, this.reader, () => this.committedSources());
  }

  static async open(dir: string, opts: EngineServiceOptions = {}): Promise<EngineService> {
    return new EngineService(await Workspace.open(dir, { create: opts.create ?? false }));
  }

  get dir(): string {
    return this.ws.dir;
  }

  async workspace(): Promise<WorkspaceInfo> {
    await this.sync();
    const m = this.ws.manifest();
    let events = 0;
    let tsMin: number | null = null;
    let tsMax: number | null = null;
    for (const s of m.segments) {
      events += s.events;
      if (s.tsMin != null && (tsMin == null || s.tsMin < tsMin)) tsMin = s.tsMin;
      if (s.tsMax != null && (tsMax == null || s.tsMax > tsMax)) tsMax = s.tsMax;
    }
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

  async ingest(req: IngestRequest): Promise<{ jobId: string }> {
    this.assertOpen();
    return { jobId: this.jobs.start(req) };
  }

  async query(req: QueryRequest): Promise<QueryPage> {
    await this.sync();
    const page = await pageOf(this.reader, this.committedSources(), req, templateMembers(this.ws.dir));
    this.analysis.scoreRows(page.rows);
    return page;
  }

  async count(req: CountRequest): Promise<number> {
    await this.sync();
    return countOf(this.reader, this.committedSources(), req, templateMembers(this.ws.dir));
  }

  async buckets(req: BucketRequest): Promise<BucketResult> {
    const info = await this.workspace();
    return bucketsOf(
      this.reader,
      this.committedSources(),
      req,
      { tsMin: info.tsMin, tsMax: info.tsMax },
      templateMembers(this.ws.dir),
    );
  }

  async context(req: ContextRequest): Promise<ContextResult> {
    await this.sync();
    const uris = new Map(this.ws.manifest().sources.map((s) => [s.id, s.uri]));
    return eventContext(this.reader, req, (id) => uris.get(id) ?? `source#${id}`);
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

  subscribe(listener: (notice: ApiNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for queued ingest jobs, then releases the workspace. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.jobs.idle();
    this.listeners.clear();
    await this.ws.close();
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
