// What every EventWriter shares (the segment writer and the ClickHouse writer): appends and commits run one at a
// time in call order (the pipeline awaits each call, but nothing forces every caller to), and a writer that is
// closed or has failed refuses further work with that reason.

export abstract class SerialWriter {
  protected closed = false;
  protected failure: Error | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `dir`: the workspace, named in the "closed" error. */
  protected constructor(private readonly dir: string) {}

  /** Runs fn after every call queued before it, whether those succeeded or not. */
  protected serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Resolves once every queued call has finished. */
  protected idle(): Promise<void> {
    return this.queue.then(() => {});
  }

  protected check(): void {
    if (this.closed) throw new Error(`the writer of ${this.dir} is closed`);
    if (this.failure) throw this.failure;
  }
}
