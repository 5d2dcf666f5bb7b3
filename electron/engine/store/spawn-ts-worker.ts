// Worker threads that run TypeScript modules straight from source (the project has no build step for the engine).
import { Worker, workerData } from 'node:worker_threads';

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

interface BootstrapData<T> {
  entry: string;
  data: T;
}

/**
 * Starts `url` (a .ts module, e.g. `new URL('./my-worker.ts', import.meta.url)`) in a worker thread through
 * tsx's loader. The module reads `data` with tsWorkerData().
 */
export function spawnTsWorker<T>(url: URL, data: T): Worker {
  const init: BootstrapData<T> = { entry: url.href, data };
  // execArgv: [] so a parent started with `--import tsx` does not register the loader twice in the worker.
  return new Worker(BOOTSTRAP, { workerData: init, execArgv: [] });
}

/** Inside a worker started by spawnTsWorker: the data it was given. */
export function tsWorkerData<T>(): T {
  return (workerData as BootstrapData<T>).data;
}
