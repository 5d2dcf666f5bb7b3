// How engine failures cross a transport: always as an ApiError (code, message, position), never a stack trace.
import type { ApiError } from '../../../shared/api.ts';

/** An error that already knows its ApiError shape (invalid request, unknown event id, …). */
export class ApiFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
    this.name = 'ApiFailure';
  }
}

const MAX_MESSAGE = 500;

/** Maps anything thrown by the engine onto an ApiError. Query syntax errors keep their position. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.apiError;
  if (isQuerySyntaxError(err)) {
    return { code: 'bad-query', message: clip(err.message), position: err.position };
  }
  const message = err instanceof Error ? err.message : String(err);
  // Only the first line: engine messages are one line by convention, and a stack must never leak.
  return { code: 'engine-error', message: clip(message.split('\n')[0] || 'engine error') };
}

/** A plain object is the only thing that crosses postMessage/JSON intact, so an ApiError is rebuilt from one. */
export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

// Matched by shape rather than by class so that a QuerySyntaxError from another realm (a worker's copy of the
// module) is still recognised.
function isQuerySyntaxError(err: unknown): err is Error & { position: number } {
  return (
    err instanceof Error &&
    (err.name === 'QuerySyntaxError' || err.constructor?.name === 'QuerySyntaxError') &&
    typeof (err as { position?: unknown }).position === 'number'
  );
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? s.slice(0, MAX_MESSAGE - 1) + '…' : s;
}
