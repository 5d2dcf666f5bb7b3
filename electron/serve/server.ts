// `flumen serve`: the app's interface over HTTP and its API over a WebSocket, on 127.0.0.1 only, behind a
// per-run token. Pages and assets need the token (cookie, set by GET /?token=…); so does the WebSocket at /api,
// whose Origin must also be this server's own (a page on another site cannot drive the engine).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { FlumenApi } from '../../shared/api.ts';
import { API_LIMITS } from '../../shared/api.ts';
import { checkToken, newToken, presentedToken, sessionCookie, type AuthResult } from './auth.ts';
import { serveCsp } from './csp.ts';
import { isTraversal, readStatic } from './static-files.ts';
import { attachSession } from './ws-session.ts';

export interface ServeOptions {
  api: FlumenApi;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  /** 0 (default) picks any free port. */
  port?: number;
  /** Fixed token (tests); a fresh random one otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Frames up to this size are read and answered with an error; bigger ones close the socket (ws's own cap). */
const HARD_FRAME_CAP = 16 * API_LIMITS.maxMessageBytes;

const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // The token is in the page's URL: never send it to anyone as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const root = path.resolve(opts.rendererDir);
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_CAP });

  const server = http.createServer((req, res) => {
    handleHttp(req, res, root, token, port).catch(() => {
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, token, port);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSession(ws, opts.api));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  token: string,
  port: number,
) {
  const target = req.url ?? '/';
  if (!hostAllowed(req, port)) return plain(res, 421, 'unexpected Host header');
  if (isTraversal(target)) return plain(res, 400, 'bad path');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return plain(res, 405, 'method not allowed');
  }
  const url = new URL(target, `http://${HOST}:${port}`);
  const auth = checkToken(presentedToken(req, url), token);
  if (auth !== 'ok') return refuse(res, auth);

  const isIndex = url.pathname === '/' || url.pathname === '/index.html';
  const file = await readStatic(root, isIndex ? '/index.html' : url.pathname);
  if (!file) return plain(res, 404, 'not found');
  const headers: Record<string, string> = {
    ...COMMON_HEADERS,
    'Content-Type': file.contentType,
    'Content-Length': String(file.body.length),
  };
  if (isIndex) {
    headers['Content-Security-Policy'] = serveCsp(port);
    headers['Set-Cookie'] = sessionCookie(token);
    headers['Cache-Control'] = 'no-store';
  } else {
    headers['Cache-Control'] = 'no-cache';
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

/** Why an upgrade is refused (an HTTP status line), or null to accept it. */
function upgradeRefusal(req: IncomingMessage, token: string, port: number): string | null {
  const target = req.url ?? '/';
  if (!hostAllowed(req, port)) return '421 Misdirected Request';
  const url = new URL(target, `http://${HOST}:${port}`);
  if (url.pathname !== '/api') return '404 Not Found';
  const auth = checkToken(presentedToken(req, url), token);
  if (auth === 'missing') return '401 Unauthorized';
  if (auth === 'wrong') return '403 Forbidden';
  // Browsers always send Origin on a WebSocket handshake; only this server's own pages may connect.
  const origin = req.headers.origin;
  if (!origin || !ownOrigins(port).includes(origin)) return '403 Forbidden';
  return null;
}

function ownOrigins(port: number): string[] {
  return [`http://${HOST}:${port}`, `http://localhost:${port}`];
}

/** A DNS-rebinding page reaches 127.0.0.1 under a foreign Host name: answer only our own names. */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `${HOST}:${port}` || host === `localhost:${port}`;
}

function refuse(res: ServerResponse, auth: Exclude<AuthResult, 'ok'>): void {
  if (auth === 'missing')
    plain(res, 401, 'this server needs the token from the URL that `flumen serve` printed');
  else plain(res, 403, 'wrong token');
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(text + '\n');
}
