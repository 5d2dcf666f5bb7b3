// The command line's error convention: one line naming the input and the reason, and a non-zero exit.

/** An error the user can fix (bad arguments, bad query, bad input): printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Extra lines shown under the message (e.g. a caret under a query's error position). */
    readonly detail: string[] = [],
  ) {
    super(message);
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
