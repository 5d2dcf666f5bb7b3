// One WebSocket client of `flumen serve`: JSON requests in, replies and notices out (the wire protocol of the
// app contract). A bad frame gets an error reply and the socket stays open for the next request.
import type { WebSocket, RawData } from 'ws';
import { API_LIMITS, type ApiError, type ApiNotice, type FlumenApi } from '../../shared/api.ts';
import { dispatch } from '../engine/service/dispatch.ts';

/** The id of an over-sized frame is read from its first bytes only, so the client can still match the reply. */
const LEADING_ID = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/;

export function attachSession(socket: WebSocket, api: FlumenApi): void {
  const unsubscribe = api.subscribe((notice: ApiNotice) => send(socket, { notice }));
  socket.on('close', unsubscribe);
  socket.on('error', () => socket.terminate());
  socket.on('message', (data: RawData, isBinary: boolean) => {
    void handleFrame(socket, api, toBuffer(data), isBinary);
  });
}

async function handleFrame(
  socket: WebSocket,
  api: FlumenApi,
  frame: Buffer,
  isBinary: boolean,
): Promise<void> {
  if (frame.length > API_LIMITS.maxMessageBytes) {
    const head = frame.subarray(0, 64).toString('utf8');
    const id = LEADING_ID.exec(head)?.[1];
    return reply(socket, id == null ? null : Number(id), {
      code: 'invalid-request',
      message: `message too large: ${frame.length} bytes (limit ${API_LIMITS.maxMessageBytes})`,
    });
  }
  if (isBinary)
    return reply(socket, null, { code: 'invalid-request', message: 'binary frames are not accepted' });
  let msg: unknown;
  try {
    msg = JSON.parse(frame.toString('utf8'));
  } catch {
    return reply(socket, null, { code: 'invalid-request', message: 'malformed JSON' });
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return reply(socket, null, {
      code: 'invalid-request',
      message: 'a request is a JSON object {id, method, params}',
    });
  }
  const { id, method, params, ...rest } = msg as Record<string, unknown>;
  if (!Number.isSafeInteger(id)) {
    return reply(socket, null, { code: 'invalid-request', message: 'request "id" must be an integer' });
  }
  if (Object.keys(rest).length > 0) {
    return reply(socket, id as number, {
      code: 'invalid-request',
      message: `unknown request key(s): ${Object.keys(rest).slice(0, 5).join(', ')}`,
    });
  }
  const result = await dispatch(api, method, params);
  send(socket, { id, ...result });
}

function reply(socket: WebSocket, id: number | null, error: ApiError): void {
  send(socket, { id, error });
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.send(JSON.stringify(message));
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
