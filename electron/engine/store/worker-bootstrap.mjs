// Starts a TypeScript worker module from source: worker threads get no loader from vitest, and under plain
// `node` none at all, so tsx's loader is registered here before the .ts module is imported.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
