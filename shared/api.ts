// The one typed interface between the renderer and the engine. Two thin transports carry it: Electron IPC
// (contextBridge in the preload) and a WebSocket in `flumen serve`. Every request is validated at the boundary.
import type { LiveApi, LiveSourceStatus } from './api-live.ts';
import type { EventRecord, SourceInfo } from './event.ts';

// The live-source part of the API has its own file; importers keep using this one.
export * from './api-live.ts';

/** One event as the grid shows it: the DESIGN.md record plus what the UI needs to address it. */
export interface EventRow extends EventRecord {
  /** Stable address of the event in the workspace: `<segment>:<row>`. */
  id: string;
  tsMs: number | null;
  sourceId: number;
  raw: string;
}

export interface TimeRange {
  /** Inclusive lower bound (ms, UTC), or null for unbounded. */
  from: number | null;
  /** Exclusive upper bound (ms, UTC), or null for unbounded. */
  to: number | null;
}

export interface QueryRequest extends TimeRange {
  query: string;
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
  /**
   * Names the request so that cancelQueries() can withdraw it (an AbortSignal carried as data): a page request
   * with a ticket waits its turn in the engine's page queue and is skipped, answered with code "cancelled", when
   * it was cancelled before it started. The caller makes it unique (letters, digits, `-`, `_`; up to 64).
   */
  ticket?: string;
}

/** What a QueryRequest ticket may look like (validated at every transport). */
export const TICKET_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface CancelRequest {
  /** Tickets of page requests nobody will look at any more; unknown or finished ones are ignored. */
  tickets: string[];
}

export interface CancelResult {
  /** How many of them were still waiting and will not run. */
  cancelled: number;
}

/** What the engine did with page requests since it started (every client's grid together). */
export interface QueryStats {
  /** Pages the engine computed. */
  pagesExecuted: number;
  /** Ticketed pages skipped because they were cancelled before they started. */
  pagesCancelled: number;
  /** Ticketed pages waiting for their turn now. */
  pagesWaiting: number;
}

export interface QueryPage {
  rows: EventRow[];
  offset: number;
  /** Milliseconds the engine spent on this page. */
  tookMs: number;
}

export interface CountRequest extends TimeRange {
  query: string;
}

export interface BucketRequest extends TimeRange {
  query: string;
  /** Wanted number of buckets across the range; the engine picks a round bucket width near it. */
  buckets: number;
  groupBy: 'severity' | 'host' | 'source';
}

export interface BucketResult {
  bucketMs: number;
  buckets: { start: number; counts: Record<string, number> }[];
}

export interface ContextRequest {
  id: string;
  /** Lines of the same source before and after. */
  lines: number;
  /** Seconds around the event, across every source. */
  seconds: number;
}

export interface ContextResult {
  event: EventRow;
  sameSource: EventRow[];
  around: EventRow[];
}

/** Sets how far a source's clock was ahead of true time (shared/clock-offset.ts); 0 undoes it. */
export interface ClockOffsetRequest {
  sourceId: number;
  /** Positive: the source's clock runs fast (its events move earlier); negative: slow. */
  offsetMs: number;
}

export interface IngestRequest {
  paths: string[];
  format?: string | null;
  timezone?: string | null;
}

export interface WorkspaceInfo {
  dir: string;
  name: string;
  events: number;
  sources: number;
  tsMin: number | null;
  tsMax: number | null;
}

export interface JobProgress {
  jobId: string;
  kind: 'ingest';
  events: number;
  bytes: number;
  eventsPerSec: number;
  bytesPerSec: number;
  current: string | null;
  done: boolean;
  /** Per-input errors and skips so far. */
  errors: { uri: string; reason: string }[];
  skipped: { uri: string; reason: string }[];
  /** Set when the job failed as a whole. */
  failure?: string;
}

/** Pushed from the engine to the renderer. */
export type ApiNotice =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'sources-changed' }
  /** `live` when a live source's commit brought them (they keep coming: views refresh in place, not from the top). */
  | { type: 'events-added'; count: number; live?: boolean }
  /** Every live source's status, pushed when one changes (state, rate, lag, error), at most about once a second. */
  | { type: 'live-status'; sources: LiveSourceStatus[] };

/** The whole API: the query methods below plus the analysis (issue 5) and live-source (issue 4) methods. */
export interface FlumenApi extends AnalysisApi, LiveApi {
  workspace(): Promise<WorkspaceInfo>;
  sources(): Promise<SourceInfo[]>;
  /**
   * Corrects a source's clock from now on, in every view (times, bounds, order, buckets, context, traces); stored
   * times are untouched, so it can be changed or undone. Resolves with the source; a sources-changed notice follows.
   */
  setClockOffset(req: ClockOffsetRequest): Promise<SourceInfo>;
  /** Starts ingesting; progress arrives as notices; resolves with the job id at once. */
  ingest(req: IngestRequest): Promise<{ jobId: string }>;
  query(req: QueryRequest): Promise<QueryPage>;
  /** Withdraws ticketed page requests that have not started (their query() rejects with code "cancelled"). */
  cancelQueries(req: CancelRequest): Promise<CancelResult>;
  /** Counts of page requests executed and skipped (a status figure: how much paging work the grids caused). */
  queryStats(): Promise<QueryStats>;
  count(req: CountRequest): Promise<number>;
  buckets(req: BucketRequest): Promise<BucketResult>;
  context(req: ContextRequest): Promise<ContextResult>;
  /** Listens for notices; returns the function that stops listening. */
  subscribe(listener: (notice: ApiNotice) => void): () => void;
}

/** The request/response methods (everything but subscribe): what a transport forwards. */
export const API_METHODS = [
  'workspace',
  'sources',
  'setClockOffset',
  'ingest',
  'query',
  'cancelQueries',
  'queryStats',
  'count',
  'buckets',
  'context',
  'templates',
  'anomalies',
  'trace',
  'liveSources',
  'addLiveSource',
  'pauseLiveSource',
  'resumeLiveSource',
  'removeLiveSource',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** Every request/response method of the API: what a transport carries. */
export type ApiRequests = Omit<FlumenApi, 'subscribe'>;

/**
 * The request methods, each forwarded to one transport's `call(method, params)`: transports (IPC in the preload,
 * the WebSocket client) build their FlumenApi from API_METHODS instead of listing the methods again.
 */
export function forwardRequests(
  call: (method: ApiMethod, params?: unknown) => Promise<unknown>,
): ApiRequests {
  return Object.fromEntries(
    API_METHODS.map((m) => [m, (params?: unknown) => call(m, params)]),
  ) as unknown as ApiRequests;
}

/** Limits every transport enforces before a message reaches the engine. */
export const API_LIMITS = {
  maxMessageBytes: 1024 * 1024,
  maxQueryLength: 10_000,
  maxPageRows: 10_000,
  maxPaths: 10_000,
  /** Tickets in one cancelQueries() call. */
  maxCancelTickets: 1_000,
} as const;

/** An error the engine returns across a transport (never a stack trace). */
export interface ApiError {
  /** cancelled: a ticketed page request withdrawn by cancelQueries() before it ran (not a failure to show). */
  code: 'invalid-request' | 'bad-query' | 'not-found' | 'engine-error' | 'unauthorized' | 'cancelled';
  message: string;
  /** For bad-query: 0-based character position in the query. */
  position?: number;
}

// ---- Analysis (issue 5): templates, anomalies, traces. A separate interface so that transports can adopt it one at
// a time; EngineService implements both.

/** One mined template (`flumen templates --json`). */
export interface TemplateRow {
  id: number;
  template: string;
  count: number;
  firstSeen: number | null;
  lastSeen: number | null;
  example: string;
  /**
   * Events of the template in equal slices of its own life (first to last seen), for a sparkline; empty when none
   * has a time. Filled by the API, not by `flumen templates`.
   */
  series?: number[];
}

export interface AnomaliesRequest {
  /** Incidents scoring below this are left out (default 0.5). */
  minScore?: number;
  limit: number;
}

/** One ranked incident (`flumen anomalies --json`). */
export interface AnomalyRow {
  rank: number;
  /** Time window (ms, UTC), start inclusive, end exclusive; null for findings about the whole workspace. */
  start: number | null;
  end: number | null;
  kind: 'new-template' | 'rare-template' | 'spike' | 'drop' | 'error-burst' | 'host-outlier' | 'severity';
  score: number;
  template: number | null;
  templateText: string | null;
  host: string | null;
  explanation: string;
  /** Findings grouped into this incident (the strongest few are in `related`). */
  size: number;
  related: {
    kind: string;
    score: number;
    template: number | null;
    host: string | null;
    explanation: string;
  }[];
}

export interface TraceRequest {
  /** An identifier as it appears in the logs: a block id, request id, trace id, IP address, user name. */
  id: string;
  limit?: number;
}

export interface TraceResult {
  id: string;
  events: EventRow[];
  first: number | null;
  last: number | null;
  durationMs: number | null;
  sources: { source: string; count: number }[];
  /** True when more events carry the id than `limit`. */
  truncated: boolean;
}

export interface AnalysisApi {
  templates(): Promise<TemplateRow[]>;
  anomalies(req: AnomaliesRequest): Promise<AnomalyRow[]>;
  trace(req: TraceRequest): Promise<TraceResult>;
}

export const ANALYSIS_METHODS = ['templates', 'anomalies', 'trace'] as const satisfies readonly ApiMethod[];
