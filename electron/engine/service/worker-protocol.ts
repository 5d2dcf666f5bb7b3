// Messages between EngineWorkerClient (main thread) and the engine worker (worker.ts).
import type { ApiError, ApiMethod, ApiNotice } from '../../../shared/api.ts';

export interface EngineWorkerData {
  dir: string;
  create: boolean;
  /** The client has a SecretVault: the worker asks it to seal and open live sources' secrets. */
  vault: boolean;
  /** `--store clickhouse://…` (EngineServiceOptions.store); absent: the workspace's own choice. */
  store?: string | null;
}

/** `method` is typed for the client's sake only: the worker validates whatever arrives (dispatch). */
export type ToWorker =
  | { type: 'call'; id: number; method: ApiMethod; params: unknown }
  | { type: 'close' }
  | { type: 'vault-reply'; id: number; text?: string; error?: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: ApiError }
  | { type: 'reply'; id: number; result?: unknown; error?: ApiError }
  | { type: 'notice'; notice: ApiNotice }
  | { type: 'vault'; id: number; op: 'seal' | 'open'; text: string }
  | { type: 'closed' };
