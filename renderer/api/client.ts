// createApi(): the one FlumenApi the renderer uses. In Electron the preload exposes it as window.flumen (IPC);
// in a browser (`flumen serve`) it is built on the WebSocket transport. Nothing else reaches the engine.
import type {
  AnomaliesRequest,
  AnomalyRow,
  ApiMethod,
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
  TemplateRow,
  TraceRequest,
  TraceResult,
  WorkspaceInfo,
} from '../../shared/api.ts';
import type { SourceInfo } from '../../shared/event.ts';
import { ApiRequestError, toApiError } from './errors.ts';
import { apiSocketUrl, WebSocketTransport, type ConnectionState } from './websocket-transport.ts';

declare global {
  interface Window {
    flumen?: FlumenApi;
  }
}

export interface ApiConnection {
  api: FlumenApi;
  /** 'ipc' in the desktop app, 'websocket' in a browser. */
  transport: 'ipc' | 'websocket';
  /** Connection changes (always 'open' over IPC); returns the function that stops listening. */
  onState(listener: (s: ConnectionState) => void): () => void;
}

export function createApi(): ApiConnection {
  if (window.flumen) return { api: withTypedErrors(window.flumen), transport: 'ipc', onState: openForever };
  const transport = new WebSocketTransport(apiSocketUrl(window.location));
  const call = <T>(method: ApiMethod, params?: unknown) => transport.call(method, params) as Promise<T>;
  const api: FlumenApi = {
    workspace: () => call<WorkspaceInfo>('workspace'),
    sources: () => call<SourceInfo[]>('sources'),
    ingest: (req: IngestRequest) => call<{ jobId: string }>('ingest', req),
    query: (req: QueryRequest) => call<QueryPage>('query', req),
    count: (req: CountRequest) => call<number>('count', req),
    buckets: (req: BucketRequest) => call<BucketResult>('buckets', req),
    context: (req: ContextRequest) => call<ContextResult>('context', req),
    templates: () => call<TemplateRow[]>('templates'),
    anomalies: (req: AnomaliesRequest) => call<AnomalyRow[]>('anomalies', req),
    trace: (req: TraceRequest) => call<TraceResult>('trace', req),
    subscribe: (listener: (n: ApiNotice) => void) => transport.onNotice(listener),
  };
  return {
    api,
    transport: 'websocket',
    onState: (listener) => {
      listener(transport.state);
      return transport.onState(listener);
    },
  };
}

function openForever(listener: (s: ConnectionState) => void): () => void {
  listener('open');
  return () => {};
}

/** IPC rejections arrive as plain objects or Errors: turn them into ApiRequestError like the socket's. */
function withTypedErrors(api: FlumenApi): FlumenApi {
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A) =>
      fn(...a).catch((err: unknown) => {
        throw err instanceof ApiRequestError ? err : new ApiRequestError(toApiError(err));
      });
  return {
    workspace: wrap(() => api.workspace()),
    sources: wrap(() => api.sources()),
    ingest: wrap((r: IngestRequest) => api.ingest(r)),
    query: wrap((r: QueryRequest) => api.query(r)),
    count: wrap((r: CountRequest) => api.count(r)),
    buckets: wrap((r: BucketRequest) => api.buckets(r)),
    context: wrap((r: ContextRequest) => api.context(r)),
    templates: wrap(() => api.templates()),
    anomalies: wrap((r: AnomaliesRequest) => api.anomalies(r)),
    trace: wrap((r: TraceRequest) => api.trace(r)),
    subscribe: (l) => api.subscribe(l),
  };
}
