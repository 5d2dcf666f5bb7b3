// Messages between EngineWorkerClient (main thread) and the engine worker (worker.ts).
import type { ApiError, ApiNotice } from '../../../shared/api.ts';

export interface EngineWorkerData {
  dir: string;
  create: boolean;
}

export type ToWorker = { type: 'call'; id: number; method: string; params: unknown } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: ApiError }
  | { type: 'reply'; id: number; result?: unknown; error?: ApiError }
  | { type: 'notice'; notice: ApiNotice }
  | { type: 'closed' };
