// Issue 6: a ClickHouse store loses nothing and stores nothing twice when the server goes away mid-ingest.
// - the server killed (SIGKILL) in the middle of a 200k-event `flumen ingest` and started again: every event once;
// - an insert that landed but whose reply was lost (a proxy cuts the connection after the server answered): not
//   sent again;
// - rows a writer sent but never committed: invisible to queries, and removed before the next writer writes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSource, type LogEvent } from '../../../shared/event.ts';
import { openEventStore } from '../../../electron/engine/service/open-store.ts';
import { readBinding } from '../../../electron/engine/store/clickhouse/binding.ts';
import { ClickHouseClient } from '../../../electron/engine/store/clickhouse/client.ts';
import { ClickHouseWriter } from '../../../electron/engine/store/clickhouse/writer.ts';
import { parseStoreUrl } from '../../../electron/engine/store/clickhouse/url.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { FLUMEN, REPO, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer, PASSWORD } from '../../../bench/sections/clickhouse/server.ts';

const EVENTS = 200_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, test: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; ; i++) {
    if (await test()) return;
    if (i > 6000) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

function syslogLines(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = i % 86_400;
    const t = `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    out.push(
      `Jun ${14 + Math.floor(i / 86_400)} ${t} host-${i % 7} app[${1000 + (i % 97)}]: event number ${i} of the restart test`,
    );
  }
  return out.join('\n') + '\n';
}

function syntheticEvents(sourceId: number, from: number, n: number): LogEvent[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      ts: Date.UTC(2024, 0, 1) + i * 1000,
      host: `h${i % 3}`,
      sourceId,
      line: i + 1,
      offset: i * 40,
      severity: 'info',
      message: `message ${i}`,
      raw: `raw line ${i} message ${i}`,
      fields: { n: i },
      template: 1,
      anomaly: 0,
    };
  });
}

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('exactly once on ClickHouse', () => {
  const tmp = tempDir('flumen-ch-once-');
  let server: ClickHouseServer;

  beforeAll(async () => {
    process.env.FLUMEN_CLICKHOUSE_PASSWORD = PASSWORD;
    server = await ClickHouseServer.start();
  });
  afterAll(async () => {
    await server?.stop();
    tmp.cleanup();
  });

  it('stores every event of a 200k-event ingest once when the server is killed mid-ingest and restarted', async () => {
    const file = path.join(tmp.dir, 'restart.log');
    fs.writeFileSync(file, syslogLines(EVENTS));
    const ws = path.join(tmp.dir, 'restart-ws');
    const child = spawn(
      process.execPath,
      [FLUMEN, 'ingest', '--workspace', ws, '--store', server.storeUrl('restart'), file],
      {
        cwd: REPO,
        env: { ...process.env, FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    // The first batches have landed, the rest has not: stop the server the hard way.
    let landed = 0;
    await waitFor('the first rows in ClickHouse', async () => {
      expect(child.exitCode, stderr).toBeNull();
      landed = Number(await server.query('SELECT count() FROM restart.flumen_events').catch(() => '0'));
      return landed > 0;
    });
    expect(landed).toBeLessThan(EVENTS);
    await server.kill();
    expect(child.exitCode, 'the ingest must still be running when the server goes').toBeNull();
    // The writer notices (an insert or the commit fails) and keeps the events waiting instead of failing.
    await waitFor('the writer to report the outage', () => /retrying/.test(stderr));
    expect(child.exitCode).toBeNull();
    await server.startProcess();
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/is back: writing again/);
    expect(stdout).toMatch(/ingested 200,000 events from 1 source/);

    const [count, seqs, positions, lines, minSeq, maxSeq] = (
      await server.query(
        'SELECT count(), uniqExact(seq), uniqExact(source_id, off), uniqExact(raw), min(seq), max(seq) FROM restart.flumen_events',
      )
    )
      .trim()
      .split('\t')
      .map(Number);
    expect({ count, seqs, positions, lines, minSeq, maxSeq }).toEqual({
      count: EVENTS,
      seqs: EVENTS,
      positions: EVENTS,
      lines: EVENTS,
      minSeq: 1,
      maxSeq: EVENTS,
    });
    const env = { FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD };
    for (const q of ['', 'event', 'restart test', '"number 199999 of"']) {
      const r = await runFlumen(['query', '--workspace', ws, '--count', q], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(Number(r.stdout), q).toBe(q.startsWith('"') ? 1 : EVENTS);
    }
  });

  it('does not send again a batch that landed when its acknowledgement was lost', async () => {
    // A proxy that forwards everything, except that it cuts the first insert's connection once the server has
    // answered it: the rows are in, the writer never hears so.
    let cut = 0;
    let armed = true;
    const proxy = net.createServer((client) => {
      const upstream = net.connect(server.httpPort, '127.0.0.1');
      let insertPending = false;
      client.on('data', (d: Buffer) => {
        if (armed && d.includes('query=INSERT')) {
          armed = false;
          insertPending = true;
        }
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (insertPending) {
          insertPending = false;
          cut++;
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(d);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as net.AddressInfo).port;
    const logs: string[] = [];
    const ws = await Workspace.open(path.join(tmp.dir, 'ack-ws'), { create: true });
    const store = await openEventStore(ws, ws.reader(), {
      store: `clickhouse://default@127.0.0.1:${port}/ack`,
      log: (m) => logs.push(m),
    });
    try {
      const src = ws.addSource(newSource({ uri: 'synthetic.log', kind: 'file' }));
      const w = ws.eventWriter();
      await w.append(syntheticEvents(src.id, 0, 30_000));
      await w.append(syntheticEvents(src.id, 30_000, 20_000));
      await w.commit();
      await w.close();
      expect(cut).toBe(1);
      expect(logs.join('\n')).toMatch(/retrying/);
      expect((await server.query('SELECT count(), uniqExact(seq) FROM ack.flumen_events')).trim()).toBe(
        '50000\t50000',
      );
      expect(await store.count(ws.manifest().sources, '')).toBe(50_000);
      expect(await store.count(ws.manifest().sources, 'n>=49990')).toBe(10);
    } finally {
      await ws.close();
      await store.close();
      proxy.close();
    }
  });

  it('hides rows a writer never committed and removes them before the next writer writes', async () => {
    const dir = path.join(tmp.dir, 'recover-ws');
    const ws = await Workspace.open(dir, { create: true });
    const store = await openEventStore(ws, ws.reader(), { store: server.storeUrl('recover') });
    const binding = readBinding(dir)!;
    // Small batches, so that rows reach the server long before any commit.
    ws.useExternalWriter(
      (host) =>
        new ClickHouseWriter(host, new ClickHouseClient(parseStoreUrl(server.storeUrl('recover'))), {
          workspaceId: binding.workspaceId,
          batchRows: 1000,
        }),
    );
    try {
      const src = ws.addSource(newSource({ uri: 'synthetic.log', kind: 'file' }));
      const first = ws.eventWriter();
      await first.append(syntheticEvents(src.id, 0, 5000));
      await first.commit();
      await first.append(syntheticEvents(src.id, 5000, 4000));
      // Closed without a commit, as a crash would leave it: the rows sent are in ClickHouse, uncommitted.
      await first.close();
      const stored = Number(await server.query('SELECT count() FROM recover.flumen_events'));
      expect(stored).toBeGreaterThan(5000);
      expect(await store.count(ws.manifest().sources, '')).toBe(5000);
      expect(Number(await server.query('SELECT count() FROM recover.events'))).toBe(5000);

      const second = ws.eventWriter();
      await second.append(syntheticEvents(src.id, 5000, 2000));
      await second.commit();
      await second.close();
      expect(
        (await server.query('SELECT count(), uniqExact(seq), max(seq) FROM recover.flumen_events')).trim(),
      ).toBe('7000\t7000\t7000');
      expect(await store.count(ws.manifest().sources, '')).toBe(7000);
      expect(ws.manifest().sources[0].events).toBe(7000);
    } finally {
      await ws.close();
      await store.close();
    }
  });
});
