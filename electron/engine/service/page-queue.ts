// Ticketed page requests (the grid's) take turns here, one at a time: a request cancelled while it waits is never
// run. A grid dragged across a million rows asks for pages faster than they can be computed; without this queue
// each of them would still be computed in full, and the page in view would come last.
import type { QueryStats } from '../../../shared/api.ts';
import { ApiFailure } from './api-failure.ts';

interface Waiting {
  ticket: string;
  /** Never rejects: the request's own promise carries the outcome. */
  run(): Promise<void>;
  skip(): void;
}

/** A client that queues more than this without waiting for answers is refused (memory stays bounded). */
export const MAX_WAITING_PAGES = 1_000;

/** Yields to the event loop, so that cancel messages which arrived meanwhile are read before the next page starts. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class PageQueue {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private executed = 0;
  private cancelled = 0;

  /** Runs an unticketed page at once (the command line, the engine's own callers); it is only counted. */
  async direct<T>(work: () => Promise<T>): Promise<T> {
    this.executed++;
    return work();
  }

  /** Runs `work` when its turn comes, or rejects with code "cancelled" if cancel() named its ticket first. */
  enqueue<T>(ticket: string, work: () => Promise<T>): Promise<T> {
    if (this.waiting.length >= MAX_WAITING_PAGES) {
      return Promise.reject(
        new ApiFailure({
          code: 'engine-error',
          message: `too many page requests waiting (${MAX_WAITING_PAGES}); cancel or wait for some first`,
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        ticket,
        run: async () => {
          this.executed++;
          try {
            resolve(await work());
          } catch (err) {
            reject(err);
          }
        },
        skip: () =>
          reject(
            new ApiFailure({
              code: 'cancelled',
              message: `page request ${ticket} was cancelled before it ran`,
            }),
          ),
      });
      void this.pump();
    });
  }

  /** Withdraws the waiting requests with these tickets; returns how many there were. */
  cancel(tickets: readonly string[]): number {
    const names = new Set(tickets);
    let n = 0;
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i];
      if (!names.has(w.ticket)) continue;
      this.waiting.splice(i, 1);
      this.cancelled++;
      n++;
      w.skip();
    }
    return n;
  }

  stats(): QueryStats {
    return {
      pagesExecuted: this.executed,
      pagesCancelled: this.cancelled,
      pagesWaiting: this.waiting.length,
    };
  }

  /** One loop at a time takes the waiting requests in order until none is left. */
  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        await nextTurn();
        const next = this.waiting.shift();
        if (!next) return;
        await next.run();
      }
    } finally {
      this.running = false;
    }
  }
}
