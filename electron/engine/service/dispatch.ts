// The one entry point every transport uses: validate, call, and turn any failure into an ApiError reply.
import type { ApiError, ApiMethod, FlumenApi } from '../../../shared/api.ts';
import { toApiError } from './api-failure.ts';
import { isApiMethod, validateRequest, type ValidRequest } from './validate.ts';

export type DispatchReply = { result: unknown } | { error: ApiError };

type Handlers = { [M in ApiMethod]: (api: FlumenApi, req: ValidRequest<M>) => Promise<unknown> };

const HANDLERS: Handlers = {
  workspace: (api) => api.workspace(),
  sources: (api) => api.sources(),
  setClockOffset: (api, req) => api.setClockOffset(req),
  ingest: (api, req) => api.ingest(req),
  query: (api, req) => api.query(req),
  cancelQueries: (api, req) => api.cancelQueries(req),
  queryStats: (api) => api.queryStats(),
  count: (api, req) => api.count(req),
  buckets: (api, req) => api.buckets(req),
  context: (api, req) => api.context(req),
  templates: (api) => api.templates(),
  anomalies: (api, req) => api.anomalies(req),
  trace: (api, req) => api.trace(req),
  liveSources: (api) => api.liveSources(),
  addLiveSource: (api, req) => api.addLiveSource(req),
  pauseLiveSource: (api, req) => api.pauseLiveSource(req),
  resumeLiveSource: (api, req) => api.resumeLiveSource(req),
  removeLiveSource: (api, req) => api.removeLiveSource(req),
};

/** Never rejects: whatever goes wrong (bad method, bad params, bad query, engine failure) comes back as `{ error }`. */
export async function dispatch(api: FlumenApi, method: unknown, params: unknown): Promise<DispatchReply> {
  try {
    const req = validateRequest(method, params);
    if (!isApiMethod(method)) throw new Error('unreachable: validateRequest accepted an unknown method');
    const handler = HANDLERS[method] as (api: FlumenApi, req: unknown) => Promise<unknown>;
    return { result: await handler(api, req) };
  } catch (err) {
    return { error: toApiError(err) };
  }
}
