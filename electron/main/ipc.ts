// The IPC side of the API: one channel, `flumen:call`, answered only for the app's own top frame, with every
// message size-capped and validated (dispatch) before it reaches the engine. Replies are `{result}` or
// `{error: ApiError}`; the preload turns errors back into rejections.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API_LIMITS, type FlumenApi } from '../../shared/api.ts';
import { dispatch, type DispatchReply } from '../engine/service/dispatch.ts';

export const CALL_CHANNEL = 'flumen:call';
export const NOTICE_CHANNEL = 'flumen:notice';

export interface IpcDeps {
  /** The engine of the open workspace; null while switching workspaces. */
  api(): FlumenApi | null;
  isAppUrl(url: string): boolean;
}

export function registerApiIpc(ipcMain: IpcMain, deps: IpcDeps): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, message: unknown) => handleCall(event, message, deps));
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

export async function handleCall(
  event: IpcMainInvokeEvent,
  message: unknown,
  deps: IpcDeps,
): Promise<DispatchReply> {
  const frame = event.senderFrame;
  // Only the app's own page, in its top frame: never an iframe or a page the window was somehow led to.
  if (!frame || frame.parent != null || !deps.isAppUrl(frame.url)) {
    return { error: { code: 'unauthorized', message: 'IPC from a frame that is not the app' } };
  }
  const size = messageSize(message);
  if (size == null) return invalid('the message is not plain JSON data');
  if (size > API_LIMITS.maxMessageBytes) {
    return invalid(`message too large: ${size} bytes (limit ${API_LIMITS.maxMessageBytes})`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return invalid('a call is an object {method, params}');
  }
  const { method, params, ...rest } = message as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    return invalid(`unknown call key(s): ${Object.keys(rest).slice(0, 5).join(', ')}`);
  const api = deps.api();
  if (!api) return { error: { code: 'engine-error', message: 'no workspace is open' } };
  return dispatch(api, method, params);
}

/** Size of the message as JSON (what a WebSocket would carry), or null when it is not JSON data. */
function messageSize(message: unknown): number | null {
  try {
    const json = JSON.stringify(message);
    return json === undefined ? 4 : Buffer.byteLength(json);
  } catch {
    return null;
  }
}

function invalid(message: string): DispatchReply {
  return { error: { code: 'invalid-request', message } };
}
