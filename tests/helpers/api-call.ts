// Calls the engine's API the way the renderer does, through dispatch() (the one door every IPC, WebSocket and
// worker message goes through), so a test sees the same validation and the same errors.
import { dispatch } from '../../electron/engine/service/dispatch.ts';
import type { FlumenApi } from '../../shared/api.ts';

/** The method's result; an API error becomes a thrown `code: message`. */
export async function call<T>(api: FlumenApi, method: string, params?: unknown): Promise<T> {
  const reply = await dispatch(api, method, params);
  if ('error' in reply) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}
