// `--syslog udp://H:P | tcp://H:P | tls://H:P`: a syslog listener. Streams (TCP, TLS) are read only as fast as
// the channel takes them, so a flooding sender is slowed by TCP backpressure; UDP cannot be slowed, so datagrams
// that find the channel full are dropped and counted, and so are those the kernel dropped (/proc/net/udp).
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import type { CollectorStatus, LiveBatch, LiveCollector, LiveContext } from '../../pipeline/live.ts';
import type { RawRecord } from '../types.ts';
import { FrameDecoder, isRfc5424 } from './syslog-framing.ts';

export interface ListenAddress {
  protocol: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
}

export interface TlsFiles {
  certFile?: string;
  keyFile?: string;
}

const ADDRESS_RE = /^(udp|tcp|tls):\/\/(?:\[([^\]]+)\]|([^:/]*))(?::(\d{1,5}))?\/?$/;
const DEFAULT_PORTS = { udp: 514, tcp: 514, tls: 6514 } as const;
const UDP_FLUSH_MESSAGES = 1024;
const UDP_FLUSH_MS = 20;

/** Parses a listen URI; the address defaults to 127.0.0.1 (listening on other interfaces must be asked for). */
export function parseListenAddress(uri: string): ListenAddress {
  const m = ADDRESS_RE.exec(uri);
  if (!m)
    throw new Error(
      `${uri}: not a syslog address (expected udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT)`,
    );
  const protocol = m[1] as ListenAddress['protocol'];
  const port = m[4] ? Number(m[4]) : DEFAULT_PORTS[protocol];
  if (port > 65535) throw new Error(`${uri}: port ${port} is out of range`);
  return { protocol, host: m[2] ?? (m[3] || '127.0.0.1'), port };
}

type Kind = 'syslog-rfc5424' | 'syslog-rfc3164';

export class SyslogCollector implements LiveCollector {
  private ctx: LiveContext | null = null;
  private server: net.Server | null = null;
  private udp: dgram.Socket | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly handlers = new Set<Promise<void>>();
  private readonly sourceIds = new Map<Kind, number>();
  private port = 0;
  private seq = 0;
  private offset = 0;
  private records = 0;
  private bytes = 0;
  private dropped = 0;
  private kernelDrops = 0;
  private readonly errors: string[] = [];
  private pending: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly addr: ListenAddress,
    private readonly tlsFiles: TlsFiles = {},
  ) {
    this.port = addr.port;
  }

  get name(): string {
    const host = this.addr.host.includes(':') ? `[${this.addr.host}]` : this.addr.host;
    return `${this.addr.protocol}://${host}:${this.port}`;
  }

  private get key(): string {
    return `syslog:${this.addr.protocol}://${this.addr.host}:${this.addr.port}`;
  }

  async start(ctx: LiveContext): Promise<void> {
    this.ctx = ctx;
    const cp = ctx.checkpoint(this.key) as { messages?: number; bytes?: number } | undefined;
    this.seq = cp?.messages ?? 0;
    this.offset = cp?.bytes ?? 0;
    if (this.addr.protocol === 'udp') return this.listenUdp();
    const onSocket = (sock: net.Socket) => {
      const h = this.handle(sock).finally(() => this.handlers.delete(h));
      this.handlers.add(h);
    };
    if (this.addr.protocol === 'tls') {
      // One after the other: with both files missing, the error names the certificate every time (in parallel,
      // whichever read failed first won, and the message changed from run to run).
      const cert = await readTls(this.tlsFiles.certFile, 'certificate');
      const key = await readTls(this.tlsFiles.keyFile, 'key');
      const server = tls.createServer({ cert, key }, onSocket);
      server.on('tlsClientError', (err) => this.error(`TLS handshake failed: ${err.message}`));
      this.server = server;
    } else {
      this.server = net.createServer(onSocket);
    }
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', (err) => reject(new Error(`${this.name}: cannot listen: ${err.message}`)));
      this.server!.listen(this.addr.port, this.addr.host, () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    if (this.udp) {
      this.readKernelDrops();
      this.flushUdp();
      await new Promise<void>((r) => this.udp!.close(() => r()));
      this.udp = null;
    }
    if (this.server) {
      const closed = new Promise<void>((r) => this.server!.close(() => r()));
      // Whatever senders still had in flight is read and committed; then their connections are closed.
      await new Promise((r) => setTimeout(r, 100));
      for (const s of this.sockets) s.destroy();
      await closed;
      this.server = null;
    }
    await Promise.all([...this.handlers]);
  }

  status(): CollectorStatus {
    if (this.udp) this.readKernelDrops();
    return {
      name: this.name,
      records: this.records,
      bytes: this.bytes,
      dropped: this.dropped,
      lagBytes: null,
      active: this.addr.protocol === 'udp' ? 1 : this.sockets.size,
      errors: [...this.errors],
    };
  }

  private async handle(sock: net.Socket): Promise<void> {
    this.sockets.add(sock);
    const dec = new FrameDecoder();
    const peer = `${sock.remoteAddress}:${sock.remotePort}`;
    try {
      for await (const chunk of sock as AsyncIterable<Buffer>) {
        const messages = dec.push(chunk);
        // Awaiting the channel here stops reading the socket: the sender is slowed by TCP flow control.
        if (messages.length > 0) await this.emit(messages, chunk.length);
      }
      const rest = dec.end();
      if (rest.length > 0) await this.emit(rest, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET')
        this.error(`${peer}: ${(err as Error).message}`);
    } finally {
      this.sockets.delete(sock);
      sock.destroy();
    }
  }

  private listenUdp(): Promise<void> {
    const type = net.isIPv6(this.addr.host) ? 'udp6' : 'udp4';
    const sock = dgram.createSocket({ type, recvBufferSize: 8 * 1024 * 1024 });
    this.udp = sock;
    sock.on('message', (msg) => {
      const text = msg.toString('utf8').replace(/[\r\n]+$/, '');
      if (!text) return;
      this.pending.push(text);
      this.bytes += msg.length;
      if (this.pending.length >= UDP_FLUSH_MESSAGES) this.flushUdp();
      else this.flushTimer ??= setTimeout(() => this.flushUdp(), UDP_FLUSH_MS);
    });
    sock.on('error', (err) => this.error(`UDP: ${err.message}`));
    return new Promise((resolve, reject) => {
      sock.once('error', (err) => reject(new Error(`${this.name}: cannot listen: ${err.message}`)));
      sock.bind(this.addr.port, this.addr.host, () => {
        this.port = sock.address().port;
        resolve();
      });
    });
  }

  private flushUdp(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const messages = this.pending;
    this.pending = [];
    if (messages.length === 0) return;
    for (const b of this.batches(messages, 0)) {
      if (!this.ctx!.offer(b)) {
        this.dropped += b.size;
        this.records -= b.size;
        this.ctx!.recordDrop(b.size);
      }
    }
  }

  private async emit(messages: string[], bytes: number): Promise<void> {
    this.bytes += bytes;
    for (const b of this.batches(messages, bytes)) await this.ctx!.put(b);
  }

  /** One batch per format in the messages (a listener may hear RFC 5424 and RFC 3164 senders at once). */
  private batches(messages: string[], bytes: number): LiveBatch[] {
    const by = new Map<Kind, RawRecord[]>();
    for (const text of messages) {
      const kind: Kind = isRfc5424(text) ? 'syslog-rfc5424' : 'syslog-rfc3164';
      let list = by.get(kind);
      if (!list) by.set(kind, (list = []));
      list.push({ text, offset: this.offset, line: ++this.seq });
      this.offset += text.length + 1;
    }
    this.records += messages.length;
    const out: LiveBatch[] = [];
    for (const [kind, records] of by) {
      out.push({
        sourceId: this.sourceFor(kind, records),
        records,
        bytes,
        size: records.length,
        flush: true,
        receivedAt: Date.now(),
        checkpoint: { key: this.key, value: { messages: this.seq, bytes: this.offset } },
      });
      bytes = 0;
    }
    return out;
  }

  private sourceFor(kind: Kind, records: RawRecord[]): number {
    let id = this.sourceIds.get(kind);
    if (id == null) {
      const uri = `${this.addr.protocol}://${this.addr.host.includes(':') ? `[${this.addr.host}]` : this.addr.host}:${this.port}`;
      const sample = records.slice(0, 50).map((r) => r.text);
      id = this.ctx!.source({ uri, kind: 'syslog', size: null, mtimeMs: Date.now() }, sample, kind);
      this.sourceIds.set(kind, id);
    }
    return id;
  }

  /** Datagrams the kernel dropped because our receive buffer was full (Linux; elsewhere only ours are counted). */
  private readKernelDrops(): void {
    let total = 0;
    const portHex = `:${this.port.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
      let text: string;
      try {
        text = readFileSync(file, 'latin1');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 13 || !cols[1].endsWith(portHex)) continue;
        total += Number(cols[cols.length - 1]) || 0;
      }
    }
    if (total > this.kernelDrops) {
      const n = total - this.kernelDrops;
      this.kernelDrops = total;
      this.dropped += n;
      this.ctx!.recordDrop(n);
    }
  }

  private error(message: string): void {
    this.ctx?.log(`${this.name}: ${message}`);
    this.errors.push(message);
    if (this.errors.length > 20) this.errors.shift();
  }
}

async function readTls(file: string | undefined, what: string): Promise<Buffer> {
  if (!file) throw new Error(`a TLS listener needs a ${what} file`);
  try {
    return await readFile(file);
  } catch (err) {
    throw new Error(`cannot read TLS ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}
