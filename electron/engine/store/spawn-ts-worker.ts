// Worker threads that run TypeScript modules straight from source (the project has no build step for the engine).
//
// Registering tsx's loader inside a worker costs most of a second (it compiles each imported file on first use),
// which would land on every short ingest. When the command line's esbuild bundles are fresh (see
// electron/engine/runtime/ts-bundle.mjs), the worker runs its bundle instead; otherwise the tsx bootstrap.
import { fileURLToPath } from 'node:url';
import { Worker, workerData } from 'node:worker_threads';
// @ts-expect-error plain JavaScript module without type declarations (it runs before any TypeScript loader)
import { freshBundleFor } from '../runtime/ts-bundle.mjs';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

interface BootstrapData<T> {
  entry: string;
  data: T;
}

/**
 * Starts `url` (a .ts module, e.g. `new URL('./my-worker.ts', import.meta.url)`) in a worker thread. The module
 * reads `data` with tsWorkerData().
 */
export function spawnTsWorker<T>(url: URL, data: T): Worker {
  const init: BootstrapData<T> = { entry: url.href, data };
  const bundle = (freshBundleFor as (p: string) => string | null)(fileURLToPath(url));
  // execArgv: [] so a parent started with `--import tsx` does not register the loader again in the worker.
  // FLUMEN_WORKER_CPU_PROF=DIR profiles each worker (node's --cpu-prof does not reach workers given execArgv: []).
  const prof = process.env.FLUMEN_WORKER_CPU_PROF;
  return new Worker(bundle ?? BOOTSTRAP, {
    workerData: init,
    execArgv: prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : [],
  });
}

/** Inside a worker started by spawnTsWorker: the data it was given. */
export function tsWorkerData<T>(): T {
  return (workerData as BootstrapData<T>).data;
}
