// FlumenApi over a worker thread: the Electron main process (and anything else that must stay responsive) talks
// to the engine through postMessage and never runs a query on its own thread.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  forwardRequests,
  type ApiError,
  type ApiMethod,
  type ApiNotice,
  type ApiRequests,
  type FlumenApi,
} from '../../../shared/api.ts';
import { spawnTsWorker } from '../store/spawn-ts-worker.ts';
import { ApiFailure } from './api-failure.ts';
import type { SecretVault } from './secret-vault.ts';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol.ts';

export interface WorkerClientOptions {
  create?: boolean;
  /**
   * The project folder holding electron/ and shared/, for a caller that was bundled (the Electron main process
   * in out/main), where this module's own URL no longer points at the sources. The engine always runs from its
   * TypeScript sources through tsx, so its own workers (segment builders) find their modules.
   */
  sourceRoot?: string;
  /** Seals live sources' secrets so they can be kept on disk (the desktop shell's safeStorage). */
  vault?: SecretVault | null;
  /** `--store clickhouse://…` for the engine (EngineServiceOptions.store). */
  store?: string | null;
}

const WORKER_URL = new URL('./worker.ts', import.meta.url);

/** spawnTsWorker's bootstrap and protocol ({entry, data}), with both files named from the project folder. */
function spawnFromRoot(root: string, data: EngineWorkerData): Worker {
  const bootstrap = path.join(root, 'electron', 'engine', 'store', 'worker-bootstrap.mjs');
  const entry = pathToFileURL(path.join(root, 'electron', 'engine', 'service', 'worker.ts')).href;
  return new Worker(bootstrap, { workerData: { entry, data }, execArgv: [] });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

// The request methods (query, addLiveSource, …) are put on each instance by the constructor, from API_METHODS as
// every transport builds them (forwardRequests); this declaration tells TypeScript the instances have them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- see above
export interface EngineWorkerClient extends ApiRequests {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the constructor assigns ApiRequests
export class EngineWorkerClient implements FlumenApi {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(notice: ApiNotice) => void>();
  private dead: ApiError | null = null;
  private closing: Promise<void> | null = null;

  private constructor(private readonly worker: Worker) {
    Object.assign(
      this,
      forwardRequests((method, params) => this.call(method, params)),
    );
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) =>
      this.fail({ code: 'engine-error', message: `engine worker failed: ${err.message}` }),
    );
    worker.on('exit', () => this.fail({ code: 'engine-error', message: 'engine worker stopped' }));
  }

  /** Starts the worker and resolves once its workspace is open (rejects with the reason it could not be). */
  static start(dir: string, opts: WorkerClientOptions = {}): Promise<EngineWorkerClient> {
    const vault = opts.vault ?? null;
    const data: EngineWorkerData = {
      dir,
      create: opts.create ?? false,
      vault: vault !== null,
      store: opts.store ?? null,
    };
    const worker = opts.sourceRoot ? spawnFromRoot(opts.sourceRoot, data) : spawnTsWorker(WORKER_URL, data);
    // From the start: the worker may need the vault while it opens (restoring live sources), before it is ready.
    if (vault) {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'vault') void answerVault(worker, vault, m);
      });
    }
    return new Promise((resolve, reject) => {
      const onFirst = (m: FromWorker) => {
        if (m.type === 'ready') {
          cleanup();
          resolve(new EngineWorkerClient(worker));
        } else if (m.type === 'failed') {
          cleanup();
          void worker.terminate();
          reject(new ApiFailure(m.error));
        }
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const cleanup = () => {
        worker.off('message', onFirst);
        worker.off('error', onError);
      };
      worker.on('message', onFirst);
      worker.on('error', onError);
    });
  }

  subscribe(listener: (notice: ApiNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Lets running ingest jobs finish and the workspace close, then ends the worker. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.dead) return resolve();
      this.worker.once('exit', () => resolve());
      this.post({ type: 'close' });
    });
    return this.closing;
  }

  private call(method: ApiMethod, params: unknown): Promise<unknown> {
    if (this.dead) return Promise.reject(new ApiFailure(this.dead));
    if (this.closing)
      return Promise.reject(new ApiFailure({ code: 'engine-error', message: 'the engine is closing' }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'call', id, method, params });
    });
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new ApiFailure(m.error));
      else p.resolve(m.result);
    } else if (m.type === 'notice') {
      for (const l of this.listeners) {
        try {
          l(m.notice);
        } catch {
          // a broken listener must not stop the others
        }
      }
    }
  }

  private fail(error: ApiError): void {
    if (this.dead) return;
    this.dead = error;
    for (const p of this.pending.values()) p.reject(new ApiFailure(error));
    this.pending.clear();
  }
}

/** Seals or opens a secret for the worker; the vault's own error text never carries the secret. */
async function answerVault(
  worker: Worker,
  vault: SecretVault,
  m: Extract<FromWorker, { type: 'vault' }>,
): Promise<void> {
  let reply: ToWorker;
  try {
    const text = m.op === 'seal' ? await vault.seal(m.text) : await vault.open(m.text);
    reply = { type: 'vault-reply', id: m.id, text };
  } catch (err) {
    reply = {
      type: 'vault-reply',
      id: m.id,
      error: `the vault could not ${m.op}: ${(err as Error).message}`,
    };
  }
  worker.postMessage(reply);
}
