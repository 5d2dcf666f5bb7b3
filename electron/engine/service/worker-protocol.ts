// Messages between EngineWorkerClient (main thread) and the engine worker (worker.ts).
import type { ApiError, ApiMethod, ApiNotice } from '../../../shared/api.ts';

export interface EngineWorkerData {
  dir: string;
  create: boolean;
}

/** `method` is typed for the client's sake only: the worker validates whatever arrives (dispatch). */
export type ToWorker = { type: 'call'; id: number; method: ApiMethod; params: unknown } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: ApiError }
  | { type: 'reply'; id: number; result?: unknown; error?: ApiError }
  | { type: 'notice'; notice: ApiNotice }
  | { type: 'closed' };
