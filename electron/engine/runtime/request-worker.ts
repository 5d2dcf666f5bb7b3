// Request/reply over a worker thread: numbered requests, replies matched by number and answered in order, a count
// of requests in flight (the caller's backpressure), and one failure that ends the worker for every waiting caller.
// The segment builders and the parse stage of an ingest both talk to their workers this way.
import { parentPort, type Worker } from 'node:worker_threads';
import { spawnTsWorker } from '../store/spawn-ts-worker.ts';

export type WorkerReply<R> =
  { seq: number; ok: true; result?: R } | { seq: number; ok: false; error: string };

interface Pending<R> {
  resolve: (r: R | undefined) => void;
  reject: (err: Error) => void;
}

export class RequestWorker<Req extends { seq: number }, R> {
  readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending<R>>();
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  /** onFailure is called once, with the first error of this worker (a failed request, a crash, an exit). */
  constructor(
    url: URL,
    init: unknown,
    readonly name: string,
    private readonly onFailure: (err: Error) => void,
  ) {
    this.worker = spawnTsWorker(url, init);
    // Idle workers must not keep the process alive; busy ones must (a pending commit waits on them).
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply<R>) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(new Error(`${name} failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`${name} exited unexpectedly (code ${code})`)));
  }

  get inFlight(): number {
    return this.pending.size;
  }

  request(body: DistributiveOmit<Req, 'seq'>, transfer: ArrayBuffer[] = []): Promise<R | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ ...body, seq } as unknown as Req, transfer);
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

  private onReply(reply: WorkerReply<R>): void {
    const p = this.pending.get(reply.seq);
    if (!p) return;
    if (!reply.ok) {
      this.fail(new Error(`${this.name}: ${reply.error}`));
      return;
    }
    this.pending.delete(reply.seq);
    if (this.pending.size === 0) this.worker.unref();
    p.resolve(reply.result);
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

/** Omit over each member of a union (plain Omit would merge the members). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Inside a worker: answers each request with handle(req) (sync or async, one at a time, in arrival order).
 * A thrown error becomes the reply's error; `transfer` lists buffers of a result to move instead of copy.
 */
export function serveRequests<Req extends { seq: number }, R>(
  handle: (req: Req) => R | Promise<R>,
  transfer: (result: R) => ArrayBuffer[] = () => [],
): void {
  const port = parentPort!;
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (req: Req) => {
    chain = chain.then(async () => {
      let reply: WorkerReply<R>;
      let moved: ArrayBuffer[] = [];
      try {
        const result = await handle(req);
        reply = { seq: req.seq, ok: true, result };
        if (result !== undefined) moved = transfer(result);
      } catch (err) {
        reply = { seq: req.seq, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      port.postMessage(reply, moved);
    });
  });
}
