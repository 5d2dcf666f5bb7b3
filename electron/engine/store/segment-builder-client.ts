// The main thread's handle on one segment-builder worker: numbered requests, replies matched by number, and a
// count of requests in flight (the writer's backpressure).
import type { Worker } from 'node:worker_threads';
import type { BuilderInit, BuilderReply, BuilderRequest, SealedSegment } from './segment-builder-protocol.ts';
import { spawnTsWorker } from './spawn-ts-worker.ts';

const WORKER_URL = new URL('./segment-builder-worker.ts', import.meta.url);

interface Pending {
  resolve: (r: SealedSegment | undefined) => void;
  reject: (err: Error) => void;
}

type RequestBody = BuilderRequest extends infer R
  ? R extends BuilderRequest
    ? Omit<R, 'seq'>
    : never
  : never;

export class SegmentBuilderClient {
  readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  /** onFailure is called once, with the first error of this worker (a failed request, a crash, an exit). */
  constructor(
    readonly name: string,
    private readonly onFailure: (err: Error) => void,
  ) {
    const init: BuilderInit = { name };
    this.worker = spawnTsWorker(WORKER_URL, init);
    // Idle workers must not keep the process alive; busy ones must (a pending commit waits on them).
    this.worker.unref();
    this.worker.on('message', (reply: BuilderReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(new Error(`${name} failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`${name} exited unexpectedly (code ${code})`)));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  request(body: RequestBody, transfer: ArrayBuffer[] = []): Promise<SealedSegment | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...body, seq } as BuilderRequest, transfer);
    });
  }

  /** Resolves once fewer than `limit` requests are in flight; rejects if the worker has failed. */
  async waitBelow(limit: number): Promise<void> {
    while (this.pending.size >= limit) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  /** Stops the worker; requests still in flight reject. */
  async terminate(): Promise<void> {
    this.fail(new Error(`${this.name} was stopped`), false);
    await this.worker.terminate();
  }

  private onReply(reply: BuilderReply): void {
    const p = this.pending.get(reply.seq);
    if (!p) return;
    if (!reply.ok) {
      this.fail(new Error(`${this.name}: ${reply.error}`));
      return;
    }
    this.pending.delete(reply.seq);
    if (this.pending.size === 0) this.worker.unref();
    p.resolve(reply.sealed);
    this.wake();
  }

  private fail(err: Error, report = true): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.worker.unref();
    this.wake();
    if (report) this.onFailure(err);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
