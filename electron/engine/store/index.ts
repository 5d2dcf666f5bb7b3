// The store: SQLite segment files in a workspace folder, written by worker threads (sqlite-file/), read through
// sql.js within a memory cap.
export { Workspace, type OpenOptions } from './workspace.ts';
export { SegmentWriter, type WriterOptions } from './segment-writer.ts';
export { SegmentCache, segmentMayMatch, type ReaderOptions } from './segment-reader.ts';
export { MANIFEST_FILE, MANIFEST_VERSION } from './manifest-file.ts';
export { LOCK_FILE } from './workspace-lock.ts';
export { spawnTsWorker, tsWorkerData } from './spawn-ts-worker.ts';
export { loadSqlJs } from './sql-js-loader.ts';
export * from './types.ts';
export * from './schema.ts';
