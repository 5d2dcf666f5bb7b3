// `--store clickhouse://…` on the command line: it binds a new workspace, a bound workspace remembers it (the
// password from FLUMEN_CLICKHOUSE_PASSWORD, never written down), mistakes get one clear line, and `flumen serve`
// answers the interface's API from ClickHouse.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FLUMEN, LOGHUB, REPO, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer, PASSWORD } from '../../../bench/sections/clickhouse/server.ts';

const LINUX = path.join(LOGHUB, 'Linux', 'Linux_2k.log');
const env = { FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD };

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('the --store option', () => {
  const tmp = tempDir('flumen-ch-cli-');
  let server: ClickHouseServer;
  const bound = path.join(tmp.dir, 'bound');

  beforeAll(async () => {
    server = await ClickHouseServer.start();
    const r = await runFlumen(['ingest', '--workspace', bound, '--store', server.storeUrl('cli'), LINUX], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    tmp.cleanup();
  });

  it('records the store in the workspace without the password, and later commands find it there', async () => {
    const binding = JSON.parse(fs.readFileSync(path.join(bound, 'store.json'), 'utf8'));
    expect(binding.url).toBe(server.storeUrl('cli'));
    expect(JSON.stringify(binding)).not.toContain(PASSWORD);
    const r = await runFlumen(['query', '--workspace', bound, '--count', 'sshd'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThan(100);
    // The password may also sit in the URL.
    const inUrl = server.storeUrl('cli').replace('default@', `default:${PASSWORD}@`);
    const again = await runFlumen(['query', '--workspace', bound, '--store', inUrl, '--count', 'sshd']);
    expect(again.stdout).toBe(r.stdout);
  });

  it.each([
    ['a malformed URL', ['--store', 'not a url'], /--store not a url: not a URL/],
    ['another scheme', ['--store', 'mysql://h/db'], /unknown scheme "mysql"/],
    ['a bad database name', ['--store', 'clickhouse://h/my-db'], /database "my-db" must be/],
  ])('refuses %s in one line', async (_what, args, message) => {
    const r = await runFlumen(['ingest', '--workspace', path.join(tmp.dir, 'never'), ...args, LINUX]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toMatch(message);
  });

  it('keeps a workspace on one store', async () => {
    const other = await runFlumen(
      ['query', '--workspace', bound, '--store', server.storeUrl('elsewhere'), '--count', ''],
      {
        env,
      },
    );
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/keeps its events in .*\/cli, not .*\/elsewhere/);
    const localWs = path.join(tmp.dir, 'local');
    expect((await runFlumen(['ingest', '--workspace', localWs, LINUX])).code).toBe(0);
    const moved = await runFlumen(
      ['ingest', '--workspace', localWs, '--store', server.storeUrl('moved'), LINUX],
      {
        env,
      },
    );
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/already keeps events in local segments/);
    // Two workspaces never share a database.
    const second = await runFlumen(
      ['ingest', '--workspace', path.join(tmp.dir, 'second'), '--store', server.storeUrl('cli'), LINUX],
      { env },
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already holds another Flumen workspace's events/);
    expect(fs.existsSync(path.join(tmp.dir, 'second', 'store.json'))).toBe(false);
  });

  it('names the server and the reason when it cannot connect or log in', async () => {
    const wrong = await runFlumen(['query', '--workspace', bound, '--count', ''], {
      env: { FLUMEN_CLICKHOUSE_PASSWORD: 'wrong' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /ClickHouse at clickhouse:\/\/default@127\.0\.0\.1:\d+\/cli: .*[Pp]assword.*FLUMEN_CLICKHOUSE_PASSWORD/,
    );
    const nowhere = await runFlumen([
      'ingest',
      '--workspace',
      path.join(tmp.dir, 'nowhere'),
      '--store',
      'clickhouse://default@127.0.0.1:1/db',
      LINUX,
    ]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr.trim()).toBe(
      'flumen: cannot reach ClickHouse at clickhouse://default@127.0.0.1:1/db: ECONNREFUSED',
    );
  });

  it('talks TLS for clickhouses:// and trusts FLUMEN_CLICKHOUSE_CA besides the system CAs', async () => {
    const secure = await ClickHouseServer.start({ tls: true });
    try {
      const url = `clickhouses://default@127.0.0.1:${secure.httpsPort}/tls`;
      const dir = path.join(tmp.dir, 'tls');
      const untrusted = await runFlumen(['ingest', '--workspace', dir, '--store', url, LINUX], { env });
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr.trim()).toMatch(
        /^flumen: cannot trust ClickHouse at clickhouses:\/\/.*SELF_SIGNED.*FLUMEN_CLICKHOUSE_CA/,
      );
      const trusted = { ...env, FLUMEN_CLICKHOUSE_CA: secure.caFile };
      const r = await runFlumen(['ingest', '--workspace', dir, '--store', url, LINUX], { env: trusted });
      expect(r.code, r.stderr).toBe(0);
      const count = await runFlumen(['query', '--workspace', dir, '--count', ''], { env: trusted });
      expect(count.stdout.trim()).toBe('2000');
    } finally {
      await secure.stop();
    }
  });

  it('serves the interface from ClickHouse: `flumen serve --store`', async () => {
    const dir = path.join(tmp.dir, 'served');
    const child = spawn(
      process.execPath,
      [FLUMEN, 'serve', '--workspace', dir, '--store', server.storeUrl('served'), '--port', '0'],
      { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${stderr}`)));
      });
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(line)!;
      const socket = new WebSocket(`${m[1].replace('http', 'ws')}/api?token=${m[2]}`, { origin: m[1] });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const replies = new Map<number, (v: Record<string, unknown>) => void>();
      const notices: Record<string, unknown>[] = [];
      socket.on('message', (data) => {
        const msg = JSON.parse(String(data)) as Record<string, unknown>;
        if ('notice' in msg) notices.push(msg.notice as Record<string, unknown>);
        else replies.get(msg.id as number)?.(msg);
      });
      let id = 0;
      const call = (method: string, params?: unknown) =>
        new Promise<Record<string, unknown>>((resolve) => {
          replies.set(++id, resolve);
          socket.send(JSON.stringify({ id, method, params }));
        });
      await call('ingest', { paths: [LINUX] });
      for (let i = 0; !notices.some((n) => n.type === 'sources-changed'); i++) {
        if (i > 2400) throw new Error(`no sources-changed notice: ${JSON.stringify(notices)} ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const count = await call('count', { query: 'sshd', from: null, to: null });
      const local = await runFlumen(['query', '--workspace', bound, '--count', 'sshd'], { env });
      expect(count.result).toBe(Number(local.stdout));
      const page = (await call('query', { query: 'sshd', offset: 0, limit: 5 })).result as {
        rows: { id: string }[];
      };
      expect(page.rows).toHaveLength(5);
      const ctx = (await call('context', { id: page.rows[0].id, lines: 2, seconds: 0 })).result as {
        sameSource: unknown[];
      };
      expect(ctx.sameSource.length).toBeGreaterThan(0);
      expect(((await call('workspace')).result as { events: number }).events).toBe(2000);
      socket.close();
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    expect(fs.existsSync(path.join(dir, 'store.json'))).toBe(true);
  });
});
