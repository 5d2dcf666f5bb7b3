// Errors from the API as the UI sees them: the engine's ApiError (code, message, position) kept intact, so a bad
// query can be shown at its character, and transport failures told apart from engine answers.
import type { ApiError } from '../../shared/api.ts';

export class ApiRequestError extends Error implements ApiError {
  readonly code: ApiError['code'];
  readonly position?: number;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiRequestError';
    this.code = error.code;
    if (error.position != null) this.position = error.position;
  }
}

/** Reads an ApiError out of whatever a transport rejected with (IPC loses classes, so check the shape). */
export function toApiError(err: unknown): ApiError {
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const e = err as ApiError;
    return {
      code: e.code,
      message: String(e.message),
      ...(e.position != null ? { position: e.position } : {}),
    };
  }
  return { code: 'engine-error', message: err instanceof Error ? err.message : String(err) };
}
