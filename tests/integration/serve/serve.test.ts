// `flumen serve` as a user runs it: a real child process, real HTTP and WebSocket clients.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_LIMITS } from '../../../shared/api.ts';
import { FLUMEN, LOGHUB, REPO, tempDir } from '../../helpers/cli.ts';

let child: ChildProcess;
let base: string;
let token: string;
let origin: string;
const tmp = tempDir('flumen-serve-');
const workspace = path.join(tmp.dir, 'new-workspace');
let stderr = '';

function get(
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // http.request sends the path as written (fetch would normalise `/../` away before sending).
    const req = http.request(`${base}/`, { path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the socket once open, or with the HTTP status the upgrade was refused with. */
function connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin, ...opts });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

/** A client that matches replies by id and collects notices. */
function client(ws: WebSocket) {
  const waiting: ((m: Record<string, unknown>) => boolean)[] = [];
  const notices: unknown[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as Record<string, unknown>;
    if ('notice' in msg) notices.push(msg.notice);
    for (let i = 0; i < waiting.length; i++) if (waiting[i](msg)) waiting.splice(i--, 1);
  });
  const next = (pred: (m: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) =>
      waiting.push((m) => (pred(m) ? (resolve(m), true) : false)),
    );
  let id = 0;
  return {
    notices,
    next,
    async call(method: string, params?: unknown) {
      const myId = ++id;
      const reply = next((m) => m.id === myId);
      ws.send(JSON.stringify({ id: myId, method, params }));
      return reply;
    },
    async raw(frame: string | Buffer) {
      const reply = next((m) => 'error' in m);
      ws.send(frame);
      return reply;
    },
  };
}

beforeAll(async () => {
  child = spawn(process.execPath, [FLUMEN, 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out);
    });
    child.once('exit', (code) =>
      reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)),
    );
  });
  const m = /^Flumen is serving (.+) at (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]{43})\n$/.exec(
    line,
  );
  expect(m, line).not.toBeNull();
  expect(m![1]).toBe(workspace);
  base = m![2];
  origin = base;
  token = m![4];
});

afterAll(async () => {
  if (child && child.exitCode == null) {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  tmp.cleanup();
});

describe('flumen serve over HTTP', () => {
  it('refuses the page without a token (401) and with a wrong one (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=not-the-token')).status).toBe(403);
    expect((await get('/', { cookie: 'flumen_token=not-the-token' })).status).toBe(403);
  });

  it('serves index.html for the token with a strict CSP and an HttpOnly SameSite=Strict cookie', async () => {
    const res = await get(`/?token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="app">');
    const csp = String(res.headers['content-security-policy']);
    for (const part of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(part);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`flumen_token=${token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets only with the cookie', async () => {
    const index = (await get(`/?token=${token}`)).body;
    const asset = /(?:src|href)="\.?\/?(assets\/[^"]+)"/.exec(index)?.[1];
    expect(asset, index).toBeTruthy();
    expect((await get(`/${asset}`)).status).toBe(401);
    const ok = await get(`/${asset}`, { cookie: `flumen_token=${token}` });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses path traversal out of the renderer folder', async () => {
    const cookie = { cookie: `flumen_token=${token}` };
    for (const target of [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
    ]) {
      const res = await get(target, cookie);
      expect(res.status, target).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('"name": "flumen"');
    }
    expect((await get('/package.json', cookie)).status).toBe(404);
  });
});

describe('flumen serve over WebSocket', () => {
  it('refuses the upgrade without a token, with a wrong token and from a foreign origin', async () => {
    expect(await connect(`${base.replace('http', 'ws')}/api`)).toBe(401);
    expect(await connect(`${base.replace('http', 'ws')}/api?token=wrong`)).toBe(403);
    expect(
      await connect(`${base.replace('http', 'ws')}/api?token=${token}`, { origin: 'http://evil.example' }),
    ).toBe(403);
  });

  it('answers requests, pushes ingest notices, and survives malformed and oversized frames', async () => {
    const ws = await connect(`${base.replace('http', 'ws')}/api?token=${token}`);
    expect(ws).toBeInstanceOf(WebSocket);
    const c = client(ws as WebSocket);

    expect(await c.call('count', { query: '', from: null, to: null })).toEqual({ id: 1, result: 0 });

    const done = c.next((m) => {
      const n = m.notice as { type?: string; progress?: { done?: boolean } } | undefined;
      return n?.type === 'progress' && n.progress?.done === true;
    });
    const started = await c.call('ingest', { paths: [path.join(LOGHUB, 'HDFS', 'HDFS_2k.log')] });
    expect(started).toMatchObject({ result: { jobId: expect.any(String) } });
    expect(await done).toMatchObject({ notice: { progress: { events: 2000, done: true } } });
    expect(await c.call('count', { query: 'PacketResponder', from: null, to: null })).toMatchObject({
      result: 603,
    });

    expect(await c.raw('{"id": 7, "method": ')).toMatchObject({
      id: null,
      error: { code: 'invalid-request' },
    });
    expect(await c.call('workspace')).toMatchObject({ result: { events: 2000, sources: 1 } });

    const huge = JSON.stringify({
      id: 99,
      method: 'count',
      params: { query: 'x'.repeat(API_LIMITS.maxMessageBytes) },
    });
    const tooBig = await c.raw(huge);
    expect(tooBig).toMatchObject({ id: 99, error: { code: 'invalid-request' } });
    expect(String((tooBig.error as { message: string }).message)).toMatch(/too large/);

    expect(await c.call('count', { query: 'bad (', from: null, to: null })).toMatchObject({
      error: { code: 'bad-query' },
    });
    expect(await c.call('sources')).toMatchObject({ result: [{ events: 2000 }] });
    (ws as WebSocket).close();
  });
});
