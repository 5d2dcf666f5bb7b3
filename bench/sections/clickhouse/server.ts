// A real clickhouse-server (Debian's package) for the tests and the bench: its own config, users and data in a
// temporary folder, listening on 127.0.0.1 on free ports, run as the current user without systemd. kill() stops
// it the hard way (SIGKILL, as a crash would) and startProcess() brings it back on the same data and port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CLICKHOUSE_PROGRAM = 'clickhouse-server';
export const PASSWORD = 'flumen-test-secret';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ClickHouseServer {
  private child: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly httpPort: number,
    /** The HTTPS port when started with tls (its self-signed certificate is `caFile`), else null. */
    readonly httpsPort: number | null,
  ) {}

  /** The certificate of the HTTPS port (self-signed for 127.0.0.1): the CA a client must trust. */
  get caFile(): string {
    return path.join(this.dir, 'cert.pem');
  }

  /** Writes the config and starts the server; resolves once it answers /ping. */
  static async start(opts: { tls?: boolean } = {}): Promise<ClickHouseServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-clickhouse-'));
    const httpPort = await freePort();
    const tcpPort = await freePort();
    const httpsPort = opts.tls ? await freePort() : null;
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    let tls = '';
    if (httpsPort != null) {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      tls = `<https_port>${httpsPort}</https_port>
  <openSSL><server><certificateFile>${dir}/cert.pem</certificateFile><privateKeyFile>${dir}/key.pem</privateKeyFile><verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile><cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3</disableProtocols><preferServerCiphers>true</preferServerCiphers></server></openSSL>`;
    }
    fs.writeFileSync(
      path.join(dir, 'config.xml'),
      `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  ${tls}
  <path>${data}/</path>
  <tmp_path>${data}/tmp/</tmp_path>
  <user_files_path>${data}/user_files/</user_files_path>
  <format_schema_path>${data}/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
</yandex>
`,
    );
    fs.writeFileSync(
      path.join(dir, 'users.xml'),
      `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password>${PASSWORD}</password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
    );
    const server = new ClickHouseServer(dir, httpPort, httpsPort);
    await server.startProcess();
    return server;
  }

  /** The --store URL for a database on this server (the password comes from FLUMEN_CLICKHOUSE_PASSWORD). */
  storeUrl(database: string): string {
    return `clickhouse://default@127.0.0.1:${this.httpPort}/${database}`;
  }

  /** Starts the server again on the same data (after kill()). */
  async startProcess(): Promise<void> {
    const out = fs.openSync(path.join(this.dir, 'stdout.log'), 'a');
    const child = spawn(CLICKHOUSE_PROGRAM, [`--config-file=${path.join(this.dir, 'config.xml')}`], {
      cwd: this.dir,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.child = child;
    let exited = false;
    child.once('exit', () => (exited = true));
    for (;;) {
      if (exited) {
        throw new Error(
          `clickhouse-server exited at start: ${fs.readFileSync(path.join(this.dir, 'stdout.log'), 'utf8')}`,
        );
      }
      if (await this.ping()) return;
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown, nothing flushed, as a crash or a pulled plug would leave it. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode != null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  /** Runs SQL over HTTP and returns the reply's text (throws with the server's message on an error). */
  query(sql: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.httpPort,
          method: 'POST',
          path: '/',
          auth: `default:${PASSWORD}`,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () =>
            res.statusCode === 200 ? resolve(body) : reject(new Error(`${sql}: ${body.trim()}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(sql);
    });
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: this.httpPort, path: '/ping' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
    });
  }
}
