// createApi(): the one FlumenApi the renderer uses. In Electron the preload exposes it as window.flumen (IPC);
// in a browser (`flumen serve`) it is built on the WebSocket transport. Nothing else reaches the engine.
import { forwardRequests, type ApiMethod, type ApiNotice, type FlumenApi } from '../../shared/api.ts';
import { ApiRequestError, toApiError } from './errors.ts';
import { apiSocketUrl, WebSocketTransport, type ConnectionState } from './websocket-transport.ts';

declare global {
  interface Window {
    flumen?: FlumenApi;
  }
}

export interface ApiConnection {
  api: FlumenApi;
  /** 'ipc' in the desktop app, 'websocket' in a browser. */
  transport: 'ipc' | 'websocket';
  /** Connection changes (always 'open' over IPC); returns the function that stops listening. */
  onState(listener: (s: ConnectionState) => void): () => void;
}

export function createApi(): ApiConnection {
  if (window.flumen) return { api: withTypedErrors(window.flumen), transport: 'ipc', onState: openForever };
  const transport = new WebSocketTransport(apiSocketUrl(window.location));
  const api: FlumenApi = {
    ...forwardRequests((method, params) => transport.call(method, params)),
    subscribe: (listener: (n: ApiNotice) => void) => transport.onNotice(listener),
  };
  return {
    api,
    transport: 'websocket',
    onState: (listener) => {
      listener(transport.state);
      return transport.onState(listener);
    },
  };
}

function openForever(listener: (s: ConnectionState) => void): () => void {
  listener('open');
  return () => {};
}

/** IPC rejections arrive as plain objects or Errors: turn them into ApiRequestError like the socket's. */
function withTypedErrors(api: FlumenApi): FlumenApi {
  const typed = (err: unknown): never => {
    throw err instanceof ApiRequestError ? err : new ApiRequestError(toApiError(err));
  };
  const call = (method: ApiMethod, params?: unknown) =>
    (api[method] as (p?: unknown) => Promise<unknown>)(params).catch(typed);
  return { ...forwardRequests(call), subscribe: (l) => api.subscribe(l) };
}
