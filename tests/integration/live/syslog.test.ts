// `flumen collect --syslog`: util-linux logger as the sender (TCP with octet counting and with newlines, UDP),
// and a TLS sender (RFC 5425) with a certificate made by openssl.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { countOf, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { freePort, startCollect, waitFor } from './collect-process.ts';
import { exactlyOnce, storedEvents } from './stored-lines.ts';
import { cleanupsAfterEach } from '../../helpers/cleanups.ts';

const cleanups = cleanupsAfterEach();

function messages(prefix: string, n: number): string {
  let out = '';
  for (let i = 1; i <= n; i++) out += `${prefix} seq=${i} user login accepted\n`;
  return out;
}

function logger(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('logger', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`logger ${args.join(' ')}: ${code} ${err}`)),
    );
  });
}

describe.runIf(requireProgram('logger'))('flumen collect --syslog', () => {
  it('stores 20k RFC 5424 (octet counting) and 20k RFC 3164 (newlines) over TCP once each, and accounts for every UDP datagram', async () => {
    const { dir, cleanup } = tempDir('flumen-syslog-');
    cleanups.push(cleanup);
    const ws = path.join(dir, 'ws');
    const [tcp, udp] = [await freePort(), await freePort()];
    fs.writeFileSync(path.join(dir, '5424.txt'), messages('r5424', 20_000));
    fs.writeFileSync(path.join(dir, '3164.txt'), messages('r3164', 20_000));
    fs.writeFileSync(path.join(dir, 'udp.txt'), messages('dgram', 10_000));
    const collect = await startCollect(
      ['--workspace', ws, '--syslog', `tcp://127.0.0.1:${tcp}`, '--syslog', `udp://127.0.0.1:${udp}`],
      {},
      2,
    );
    const to = ['-n', '127.0.0.1', '-P'];
    await Promise.all([
      logger([
        ...to,
        `${tcp}`,
        '--tcp',
        '--rfc5424',
        '--octet-count',
        '-t',
        'app5424',
        '--sd-id',
        'test@32473',
        '--sd-param',
        'run="r1"',
        '-p',
        'local0.warning',
        '-f',
        path.join(dir, '5424.txt'),
      ]),
      logger([
        ...to,
        `${tcp}`,
        '--tcp',
        '--rfc3164',
        '-t',
        'app3164',
        '-p',
        'user.err',
        '-f',
        path.join(dir, '3164.txt'),
      ]),
      logger([...to, `${udp}`, '--udp', '--rfc5424', '-t', 'appudp', '-f', path.join(dir, 'udp.txt')]),
    ]);
    await waitFor(
      'TCP messages stored',
      async () => (await countOf(ws, '').catch(() => 0)) >= 40_000,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the UDP datagrams still in flight
    expect(await collect.stop(), collect.stderr()).toBe(0);

    const events = await storedEvents(ws);
    const of = (prefix: string) => events.filter((e) => String(e.message).startsWith(prefix));
    const r5424 = of('r5424');
    const r3164 = of('r3164');
    expect(
      exactlyOnce(
        r5424.map((e) => String(e.message)),
        20_000,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    expect(
      exactlyOnce(
        r3164.map((e) => String(e.message)),
        20_000,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    expect(r5424[0]).toMatchObject({
      severity: 'warn',
      source: `tcp://127.0.0.1:${tcp}`,
      fields: { app: 'app5424', 'sd.test@32473.run': 'r1' },
    });
    expect(r5424[0].host).toEqual(expect.any(String));
    expect(r3164[0]).toMatchObject({ severity: 'error', fields: { app: 'app3164' } });

    const dgrams = of('dgram');
    expect(
      exactlyOnce(
        dgrams.map((e) => String(e.message)),
        10_000,
      ).duplicated,
    ).toEqual([]);
    const summary = new RegExp(
      `udp://127\\.0\\.0\\.1:${udp}: (\\d+) records, \\d+ bytes, (\\d+) dropped`,
    ).exec(collect.stdout());
    expect(summary).not.toBeNull();
    const [, received, dropped] = summary!.map(Number);
    expect(received).toBe(dgrams.length);
    expect(dgrams.length + dropped).toBe(10_000);
  }, 120_000);

  it.runIf(requireProgram('openssl'))(
    'accepts RFC 5425 syslog over TLS with the given certificate and key',
    async () => {
      const { dir, cleanup } = tempDir('flumen-syslog-tls-');
      cleanups.push(cleanup);
      const ws = path.join(dir, 'ws');
      const cert = path.join(dir, 'cert.pem');
      const key = path.join(dir, 'key.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const port = await freePort();
      const collect = await startCollect([
        '--workspace',
        ws,
        '--syslog',
        `tls://127.0.0.1:${port}`,
        '--tls-cert',
        cert,
        '--tls-key',
        key,
      ]);
      const socket = tls.connect({ host: '127.0.0.1', port, ca: fs.readFileSync(cert) });
      await new Promise<void>((resolve, reject) =>
        socket.once('secureConnect', resolve).once('error', reject),
      );
      for (let i = 1; i <= 1000; i++) {
        const msg = `<165>1 2026-11-23T10:00:00.000Z tlshost tlsapp 42 ID7 [origin ip="127.0.0.1"] tls seq=${i} over TLS`;
        socket.write(`${Buffer.byteLength(msg)} ${msg}`);
      }
      await new Promise<void>((resolve) => socket.end(resolve));
      await waitFor(
        'TLS messages stored',
        async () => (await countOf(ws, '').catch(() => 0)) >= 1000,
        30_000,
      );
      expect(await collect.stop(), collect.stderr()).toBe(0);
      const events = await storedEvents(ws);
      expect(
        exactlyOnce(
          events.map((e) => String(e.message)),
          1000,
        ),
      ).toEqual({ lost: [], duplicated: [] });
      expect(events[0]).toMatchObject({
        host: 'tlshost',
        severity: 'notice',
        fields: { app: 'tlsapp', 'sd.origin.ip': '127.0.0.1' },
      });
    },
    60_000,
  );

  it('takes many TCP senders at once, each framed its own way, and stores each message once', async () => {
    const { dir, cleanup } = tempDir('flumen-syslog-many-');
    cleanups.push(cleanup);
    const ws = path.join(dir, 'ws');
    const port = await freePort();
    const collect = await startCollect(['--workspace', ws, '--syslog', `tcp://127.0.0.1:${port}`]);
    const senders = 50;
    const per = 200;
    await Promise.all(
      Array.from(
        { length: senders },
        (_, c) =>
          new Promise<void>((resolve, reject) => {
            const sock = net.connect(port, '127.0.0.1');
            sock.once('error', reject);
            sock.once('connect', () => {
              let data = '';
              for (let i = 1; i <= per; i++) {
                const msg = `<134>Nov 23 10:00:00 sender${c} app: many seq=${c * per + i} from connection ${c}`;
                data += c % 2 === 0 ? `${Buffer.byteLength(msg)} ${msg}` : `${msg}\n`;
              }
              // Split at an odd size so frames straddle TCP writes.
              for (let i = 0; i < data.length; i += 997) sock.write(data.slice(i, i + 997));
              sock.end(resolve);
            });
          }),
      ),
    );
    await waitFor(
      'all senders stored',
      async () => (await countOf(ws, '').catch(() => 0)) >= senders * per,
      30_000,
    );
    expect(await collect.stop(), collect.stderr()).toBe(0);
    const events = await storedEvents(ws);
    expect(
      exactlyOnce(
        events.map((e) => String(e.message)),
        senders * per,
      ),
    ).toEqual({ lost: [], duplicated: [] });
    expect(new Set(events.map((e) => e.host)).size).toBe(senders);
  }, 60_000);

  it('refuses a TLS listener without certificate and key, naming what is missing', async () => {
    const { dir, cleanup } = tempDir('flumen-syslog-bad-');
    cleanups.push(cleanup);
    const { collectFailure } = await import('./collect-process.ts');
    const r = await collectFailure(['--workspace', path.join(dir, 'ws'), '--syslog', 'tls://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--tls-cert');
  });
});
