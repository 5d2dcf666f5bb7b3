// Lending the live pipeline's store writer to another writer of the same workspace (an ingest job): the workspace
// has one writer lock, so the pipeline commits what it has, closes its writer, waits, and opens it again. This is
// the handshake between the lender (`lend`) and the pipeline's commit loop (`asked`, `pending`).

export interface Loan {
  /** Called by the loop once its writer is closed. */
  ready(): void;
  /** Resolves when the borrower is done. */
  back: Promise<void>;
}

export class WriterLoan {
  private loan: Loan | null = null;
  private wake: (() => void) | null = null;

  /** The loan the loop must hand its writer over for, if any. */
  get pending(): Loan | null {
    return this.loan;
  }

  /** Resolves (undefined) when a loan is asked for: the loop races it against the channel. */
  asked(): Promise<undefined> {
    return new Promise((resolve) => (this.wake = () => resolve(undefined)));
  }

  /** The loop got its writer back. */
  returned(): void {
    this.loan = null;
  }

  /** Runs `fn` once the loop has let go of its writer, or once the loop has ended (its writer is closed then). */
  async lend<T>(fn: () => Promise<T>, loop: Promise<void>): Promise<T> {
    if (this.loan) throw new Error('internal: the live writer is already lent');
    let back!: () => void;
    const ready = new Promise<void>((resolve) => {
      this.loan = { ready: resolve, back: new Promise<void>((r) => (back = r)) };
    });
    this.wake?.();
    await Promise.race([ready, loop]);
    try {
      return await fn();
    } finally {
      back();
    }
  }
}
