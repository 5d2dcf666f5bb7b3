// Live sources through the engine service's API (dispatch, so every request is validated as the transports do):
// a real tail file and real `logger` syslog clients; pause holds data back with nothing lost, resume lets it in
// exactly once; an ingest borrows the writer while collection goes on; the sources come back when the workspace
// is opened again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiNotice, LiveAddResult, LiveSourceStatus } from '../../../shared/api.ts';
import { dispatch } from '../../../electron/engine/service/dispatch.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { LIVE_SOURCES_FILE } from '../../../electron/engine/service/live-store.ts';
import { LOGHUB, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { waitFor } from './collect-process.ts';
import { exactlyOnce, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

function lines(prefix: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++)
    out += `2024-05-01T10:00:00Z host1 app: ${prefix} seq=${i} request served\n`;
  return out;
}

async function call<T>(service: EngineService, method: string, params?: unknown): Promise<T> {
  const reply = await dispatch(service, method, params);
  if ('error' in reply) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}

async function open(dir: string): Promise<{ service: EngineService; notices: ApiNotice[] }> {
  const service = await EngineService.open(dir, { create: true, liveCommitEveryMs: 100 });
  const notices: ApiNotice[] = [];
  service.subscribe((n) => notices.push(n));
  cleanups.push(() => service.close());
  return { service, notices };
}

const count = (service: EngineService, query = '') => service.count({ query, from: null, to: null });

async function statusOf(service: EngineService, id: string): Promise<LiveSourceStatus> {
  const all = await call<LiveSourceStatus[]>(service, 'liveSources');
  const s = all.find((x) => x.id === id);
  if (!s) throw new Error(`no live source ${id}`);
  return s;
}

function logger(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`logger: ${code} ${err}`))));
    child.stdin.end(input);
  });
}

describe('live sources through the service API', () => {
  it('tails a file into the store, holds appended lines while paused, and stores each exactly once after resume', async () => {
    const { dir, cleanup } = tempDir('flumen-live-api-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, lines('tail', 1, 500));
    const { service, notices } = await open(path.join(dir, 'ws'));

    const res = await call<LiveAddResult>(service, 'addLiveSource', { kind: 'tail', paths: [file] });
    if (!('added' in res)) throw new Error('expected the tail source to be added');
    const id = res.added.id;
    expect(res.added).toMatchObject({
      kind: 'tail',
      state: 'running',
      spec: { kind: 'tail', paths: [file] },
    });
    await waitFor('the first 500 lines', async () => (await count(service)) === 500);
    expect(notices.some((n) => n.type === 'events-added' && n.live === true)).toBe(true);
    await waitFor('a status with the committed count', () =>
      notices.some(
        (n) => n.type === 'live-status' && n.sources.some((s) => s.id === id && s.committed === 500),
      ),
    );

    const paused = await call<LiveSourceStatus>(service, 'pauseLiveSource', { id });
    expect(paused.state).toBe('paused');
    fs.appendFileSync(file, lines('tail', 501, 800));
    // The collector reads up to the closed gate and holds what it read: the status shows it waiting.
    await waitFor(
      'the held lines in the status',
      async () => ((await statusOf(service, id)).lagBytes ?? 0) > 0,
    );
    expect(await count(service)).toBe(500);
    expect((await statusOf(service, id)).eventsPerSec).toBe(0);

    const resumed = await call<LiveSourceStatus>(service, 'resumeLiveSource', { id });
    expect(resumed.state).toBe('running');
    await waitFor('all 800 lines', async () => (await count(service)) >= 800);
    fs.appendFileSync(file, lines('tail', 801, 1000));
    await waitFor('all 1000 lines', async () => (await count(service)) >= 1000);
    const status = await statusOf(service, id);
    expect(status.committed).toBe(1000);
    expect(status.lagMs).not.toBeNull();

    await call(service, 'removeLiveSource', { id });
    expect(await call<LiveSourceStatus[]>(service, 'liveSources')).toEqual([]);
    await service.close();
    const events = await storedEvents(path.join(dir, 'ws'));
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        1000,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    expect(events.length).toBe(1000);
  });

  it('lends the writer to an ingest job while tailing, and starts saved sources again on reopen', async () => {
    const { dir, cleanup } = tempDir('flumen-live-api-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'app.log');
    const ws = path.join(dir, 'ws');
    fs.writeFileSync(file, lines('tail', 1, 100));
    const first = await open(ws);
    const res = await call<LiveAddResult>(first.service, 'addLiveSource', { kind: 'tail', paths: [file] });
    const id = 'added' in res ? res.added.id : '';
    await waitFor('100 lines', async () => (await count(first.service)) === 100);

    const { jobId } = await first.service.ingest({ paths: [path.join(LOGHUB, 'HDFS', 'HDFS_2k.log')] });
    fs.appendFileSync(file, lines('tail', 101, 300));
    await waitFor('the ingest job to finish', () =>
      first.notices.some((n) => n.type === 'progress' && n.progress.jobId === jobId && n.progress.done),
    );
    const done = first.notices.findLast((n) => n.type === 'progress' && n.progress.jobId === jobId);
    expect(done?.type === 'progress' && done.progress.failure).toBeFalsy();
    await waitFor('both the ingest and the tail', async () => (await count(first.service)) === 2300);
    fs.appendFileSync(file, lines('tail', 301, 400));
    await waitFor('tailing to go on after the ingest', async () => (await count(first.service)) === 2400);
    await first.service.close();
    const saved = JSON.parse(fs.readFileSync(path.join(ws, LIVE_SOURCES_FILE), 'utf8'));
    expect(saved.sources).toEqual([
      { id, spec: { kind: 'tail', paths: [file] }, paused: false, sealed: null, secretsLost: false },
    ]);

    fs.appendFileSync(file, lines('tail', 401, 450));
    const again = await open(ws);
    await waitFor('the saved source to run again', async () =>
      (await call<LiveSourceStatus[]>(again.service, 'liveSources')).some(
        (s) => s.id === id && s.state === 'running',
      ),
    );
    await waitFor('the lines appended while closed', async () => (await count(again.service)) === 2450);
    await again.service.close();
    const events = await storedEvents(ws, 'seq');
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        450,
      ),
    ).toEqual({ lost: [], duplicated: [] });
  });

  it('refuses a second source for a file another one follows, and bad definitions with one clear line', async () => {
    const { dir, cleanup } = tempDir('flumen-live-api-');
    cleanups.push(cleanup);
    const { service } = await open(path.join(dir, 'ws'));
    const glob = path.join(dir, '*.log');
    await call(service, 'addLiveSource', { kind: 'tail', paths: [glob] });
    await expect(
      call(service, 'addLiveSource', { kind: 'tail', paths: [path.join(dir, 'a.log')] }),
    ).rejects.toThrow(`invalid-request: ${path.join(dir, 'a.log')}: live-1 follows ${glob} already`);
    await expect(call(service, 'addLiveSource', { kind: 'tail', paths: ['rel.log'] })).rejects.toThrow(
      'addLiveSource: paths.0: must be an absolute path',
    );
    await expect(call(service, 'pauseLiveSource', { id: 'live-9' })).rejects.toThrow(
      'not-found: no live source live-9',
    );
    const tlsNoCert = { kind: 'syslog', protocol: 'tls', host: '127.0.0.1', port: 0 };
    await expect(call(service, 'addLiveSource', tlsNoCert)).rejects.toThrow(
      'addLiveSource: certFile: a TLS listener needs a certificate file',
    );
    const tls = { ...tlsNoCert, certFile: path.join(dir, 'no.pem'), keyFile: path.join(dir, 'no.key') };
    await expect(call(service, 'addLiveSource', tls)).rejects.toThrow(/cannot read TLS certificate/);
    expect((await call<LiveSourceStatus[]>(service, 'liveSources')).map((s) => s.id)).toEqual(['live-1']);
  });
});

describe.runIf(requireProgram('logger'))('syslog sources through the service API', () => {
  it('stores logger messages over TCP, and counts UDP datagrams sent while paused as dropped', async () => {
    const { dir, cleanup } = tempDir('flumen-live-api-');
    cleanups.push(cleanup);
    const { service } = await open(path.join(dir, 'ws'));
    const added = async (req: object) => {
      const r = await call<LiveAddResult>(service, 'addLiveSource', req);
      if (!('added' in r)) throw new Error('expected it to be added');
      return r.added;
    };
    const tcp = await added({ kind: 'syslog', protocol: 'tcp', host: '127.0.0.1', port: 0 });
    const udp = await added({ kind: 'syslog', protocol: 'udp', port: 0 });
    const tcpPort = Number(/:(\d+)$/.exec(tcp.name)![1]);
    const udpPort = Number(/:(\d+)$/.exec(udp.name)![1]);
    expect(tcpPort).toBeGreaterThan(0);
    const messages = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix} seq=${i + 1} user login accepted`).join('\n') + '\n';

    await logger(
      ['-n', '127.0.0.1', '-P', String(tcpPort), '--tcp', '--rfc5424', '--octet-count'],
      messages('tcp', 300),
    );
    await waitFor('300 TCP messages', async () => (await count(service, 'tcp')) === 300);

    await call(service, 'pauseLiveSource', { id: udp.id });
    await logger(['-n', '127.0.0.1', '-P', String(udpPort), '--udp', '--rfc3164'], messages('paused', 40));
    await waitFor('40 drops while paused', async () => (await statusOf(service, udp.id)).dropped === 40);
    await call(service, 'resumeLiveSource', { id: udp.id });
    await logger(['-n', '127.0.0.1', '-P', String(udpPort), '--udp', '--rfc3164'], messages('resumed', 40));
    await waitFor('the datagrams sent after resume', async () => {
      const s = await statusOf(service, udp.id);
      return s.records + s.dropped >= 80;
    });
    const s = await statusOf(service, udp.id);
    await waitFor('UDP records committed', async () => (await count(service, 'resumed')) === s.records);
    expect(await count(service, 'paused')).toBe(0);
    expect(s.records + s.dropped).toBe(80);
    const stored = await storedEvents(path.join(dir, 'ws'), 'tcp');
    expect(
      exactlyOnce(
        stored.map((e) => String(e.message)),
        300,
      ),
    ).toEqual({ lost: [], duplicated: [] });
  });
});
