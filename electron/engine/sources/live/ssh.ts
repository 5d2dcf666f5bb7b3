// `--ssh ssh://[user@]host[:port]/path-or-glob` (or `…/?journal` for `journalctl -f -o json`): follows files on
// a remote host over one SSH connection per host, with exact offsets across reconnects and rotations (see
// remote-tail.ts). A dropped connection is opened again with backoff; an unknown or changed host key stops the
// collector (a person must decide), as OpenSSH's client does. A login the server refuses fails the first connection
// at once. Two SSH sources naming one remote file (a glob and the file, the same URI twice) read it once: each
// remote file is claimed in the workspace's LiveClaims under its user, host, port and absolute path.
import type { Client, ClientChannel } from 'ssh2';
import type { ClaimOwner } from '../../pipeline/live-claims.ts';
import type { CollectorStatus, LiveCollector, LiveContext } from '../../pipeline/live.ts';
import { hasGlob } from '../glob.ts';
import { cutLines } from './line-cutter.ts';
import { RemoteTailDecoder, remoteTailCommand, shellQuote, type RemotePosition } from './remote-tail.ts';
import {
  connectSsh,
  HostKeyError,
  LoginError,
  type SshConnectOptions,
  type SshEndpoint,
} from './ssh-connect.ts';

export interface SshTarget {
  user: string | null;
  /** A host name or a Host alias of the ssh config. */
  host: string;
  port: number | null;
  /** Remote path or glob; null for the journal. */
  path: string | null;
  /** `?journal&dir=/path`: read the journal files in that folder (`journalctl -D`) instead of the system's. */
  journalDir?: string | null;
}

const SAFE_PATH = /^[A-Za-z0-9._/\-*?[\]~+@%,:=]+$/;
const RESCAN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

export function parseSshTarget(uri: string): SshTarget {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`${uri}: not an ssh:// URI (expected ssh://[user@]host[:port]/path-or-glob)`);
  }
  if (url.protocol !== 'ssh:' || !url.hostname)
    throw new Error(`${uri}: expected ssh://[user@]host[:port]/path-or-glob`);
  if (url.password)
    throw new Error(
      `${uri}: a password in the URI would be stored in plain text; set FLUMEN_SSH_PASSWORD instead`,
    );
  const journal = url.searchParams.has('journal');
  const p = decodeURIComponent(url.pathname);
  if (!journal && (p === '/' || p === '')) throw new Error(`${uri}: no remote path`);
  if (!journal && !SAFE_PATH.test(p))
    throw new Error(`${uri}: the remote path has characters the remote shell would interpret`);
  const dir = url.searchParams.get('dir');
  if (dir !== null && (!journal || !dir.startsWith('/') || !SAFE_PATH.test(dir)))
    throw new Error(`${uri}: dir= takes an absolute remote folder and goes with ?journal`);
  return {
    user: url.username ? decodeURIComponent(url.username) : null,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : null,
    path: journal ? null : p,
    // Only a journal read from a folder has one: a file target stays as it was before dir= existed.
    ...(dir !== null ? { journalDir: dir } : {}),
  };
}

interface Followed {
  pos: RemotePosition | { cursor: string | null; offset: number; line: number };
  sourceId: number | null;
  records: number;
  bytes: number;
}

export class SshCollector implements LiveCollector, ClaimOwner {
  private ctx: LiveContext | null = null;
  private client: Client | null = null;
  private endpoint: SshEndpoint | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly followed = new Map<string, Followed>();
  private readonly errors: string[] = [];
  private connected = false;
  private wake: (() => void) | null = null;
  /** Claim keys held by another source, each said once. */
  private readonly heldElsewhere = new Set<string>();

  constructor(
    private readonly target: SshTarget,
    private readonly opts: SshConnectOptions,
  ) {}

  get name(): string {
    const t = this.target;
    const who = `${t.user ? `${t.user}@` : ''}${t.host}${t.port ? `:${t.port}` : ''}`;
    return `ssh://${who}${t.path ?? journalQuery(t.journalDir)}`;
  }

  /** What another source that meets a file this one follows is told. */
  get label(): string {
    return this.name;
  }

  async start(ctx: LiveContext): Promise<void> {
    this.ctx = ctx;
    // The first connection is made here so that a refused host key fails `flumen collect` at once.
    let first: Client | null = null;
    try {
      first = await this.connect();
    } catch (err) {
      // A refused login is fatal only here: later, while reconnecting, it may be a server's passing trouble.
      if (err instanceof HostKeyError || err instanceof LoginError) throw err;
      this.error((err as Error).message);
    }
    this.loop = this.run(first);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.end();
    await this.loop;
    // Whoever claims these files next (a glob of another source) goes on from where this one stopped.
    for (const [key, f] of this.followed) this.ctx?.claims.release(key, this, f.pos);
  }

  status(): CollectorStatus {
    const s: CollectorStatus = {
      name: this.name,
      records: 0,
      bytes: 0,
      dropped: 0,
      lagBytes: null,
      active: 0,
      errors: [...this.errors],
    };
    for (const f of this.followed.values()) {
      s.records += f.records;
      s.bytes += f.bytes;
    }
    s.active = this.connected ? this.followed.size : 0;
    return s;
  }

  private async connect(): Promise<Client> {
    const { client, endpoint } = await connectSsh(this.target.host, this.target, this.opts);
    this.client = client;
    this.endpoint = endpoint;
    return client;
  }

  private async run(first: Client | null): Promise<void> {
    let backoff = 500;
    let client = first;
    while (!this.stopped) {
      if (!client) {
        try {
          client = await this.connect();
        } catch (err) {
          this.error((err as Error).message);
          if (err instanceof HostKeyError) return;
          await this.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          continue;
        }
      }
      backoff = 500;
      this.connected = true;
      try {
        await this.session(client);
      } catch (err) {
        if (!this.stopped) this.error((err as Error).message);
      }
      this.connected = false;
      client.end();
      client = null;
      if (!this.stopped) {
        // Said on stderr and in the status row: a link that keeps dropping is something the user must see.
        this.error(`connection closed; reconnecting in ${backoff / 1000} s`);
        await this.sleep(backoff);
      }
    }
  }

  /** Follows the target's files until the connection closes. */
  private async session(client: Client): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      client.once('close', resolve);
      client.once('error', () => resolve());
    });
    const running = new Map<string, Promise<void>>();
    const startFollowing = (file: string) => {
      if (running.has(file) || !this.claim(file)) return;
      running.set(
        file,
        this.follow(client, file).catch((err) => this.error(`${file}: ${(err as Error).message}`)),
      );
    };
    let done = false;
    void closed.then(() => (done = true));
    // Looked at again every RESCAN_MS: a glob finds new files, and a file another source held may have been let go.
    while (!done && !this.stopped) {
      const path = this.target.path;
      const files =
        path === null
          ? ['']
          : hasGlob(path)
            ? await this.expand(client, path).catch(() => [] as string[])
            : [path];
      for (const f of files) startFollowing(f);
      await Promise.race([closed, this.sleep(RESCAN_MS)]);
    }
    await Promise.all(running.values());
  }

  private async expand(client: Client, glob: string): Promise<string[]> {
    const out = await execText(client, `for f in ${glob}; do [ -f "$f" ] && printf '%s\\n' "$f"; done; true`);
    return out.split('\n').filter((l) => l.length > 0);
  }

  /**
   * The key of a remote file (or journal): its checkpoint and its claim. The same user, host, port and absolute
   * path after glob expansion is the same file; two paths to one remote inode (a symlink, a hard link) are not
   * recognised, as that would take a stat per file over the connection.
   */
  private keyOf(file: string): string {
    const ep = this.endpoint!;
    const journalDir = this.target.journalDir ?? null;
    return `ssh:${ep.user}@${ep.host}:${ep.port}:${file || `journal${journalDir ? `:${journalDir}` : ''}`}`;
  }

  /** Claims the file for this source; false (said once) when another source of the workspace reads it. */
  private claim(file: string): boolean {
    const key = this.keyOf(file);
    const claim = this.ctx!.claims.claim(key, this);
    if (claim.ok) {
      this.heldElsewhere.delete(key);
      // Let go by another source: its position, newer than the committed checkpoint, is where this one goes on.
      if (claim.handoff !== undefined && !this.followed.has(key))
        this.newFollowed(key, file === '', claim.handoff);
      return true;
    }
    if (!this.heldElsewhere.has(key)) {
      this.heldElsewhere.add(key);
      this.error(`${this.uriOf(file)} is already followed by ${claim.heldBy.label}`);
    }
    return false;
  }

  /** Follows `key` from `saved` (a checkpoint or a handoff), else from the start of a file / the journal's end. */
  private newFollowed(key: string, journal: boolean, saved: unknown): Followed {
    const f: Followed = {
      pos:
        (saved as Followed['pos'] | undefined) ??
        (journal ? { cursor: null, offset: 0, line: 1 } : { ino: 0, offset: 0, line: 1 }),
      sourceId: null,
      records: 0,
      bytes: 0,
    };
    this.followed.set(key, f);
    return f;
  }

  private uriOf(file: string): string {
    const ep = this.endpoint!;
    const where = file === '' ? journalQuery(this.target.journalDir) : file;
    return `ssh://${ep.user}@${ep.host}${ep.port === 22 ? '' : `:${ep.port}`}${where}`;
  }

  private async follow(client: Client, file: string): Promise<void> {
    const ctx = this.ctx!;
    const journalDir = this.target.journalDir ?? null;
    const key = this.keyOf(file);
    const journal = file === '';
    const f = this.followed.get(key) ?? this.newFollowed(key, journal, ctx.checkpoint(key));
    const uri = this.uriOf(file);
    const source = (sample: string[]) =>
      (f.sourceId ??= ctx.source({ uri, kind: 'ssh', size: null, mtimeMs: Date.now() }, sample));
    const stream = await execStream(
      client,
      journal
        ? journalCommand(f.pos as { cursor: string | null }, journalDir)
        : remoteTailCommand(file, f.pos as RemotePosition),
    );
    stream.stderr.on('data', (d: Buffer) => this.error(`${uri}: ${d.toString('utf8').trim()}`));
    stream.setEncoding('latin1');
    const dec = journal ? null : new RemoteTailDecoder(f.pos as RemotePosition);
    let carry = '';
    for await (const chunk of stream as AsyncIterable<string>) {
      let records;
      let bytes;
      if (dec) {
        const out = dec.push(chunk);
        for (const n of dec.notes.splice(0)) this.error(`${uri}: ${n}`);
        records = out.records;
        bytes = out.bytes;
        f.pos = dec.pos;
      } else {
        // journalctl -o json: one JSON object per line; its __CURSOR is the checkpoint.
        const buf = Buffer.from(carry + chunk, 'latin1');
        const jp = f.pos as { cursor: string | null; offset: number; line: number };
        const cut = cutLines(buf, buf.length, jp.offset, jp.line, false);
        carry = buf.toString('latin1', cut.consumed);
        records = cut.records;
        bytes = cut.consumed;
        const last =
          records.length > 0 ? /"__CURSOR"\s*:\s*"([^"]+)"/.exec(records[records.length - 1].text) : null;
        f.pos = { cursor: last ? last[1] : jp.cursor, offset: jp.offset + cut.consumed, line: cut.nextLine };
      }
      if (records.length === 0 && bytes === 0) continue;
      f.records += records.length;
      f.bytes += bytes;
      await ctx.put({
        sourceId: records.length > 0 ? source(records.slice(0, 50).map((r) => r.text)) : 0,
        records,
        bytes,
        size: records.length,
        flush: records.length > 0,
        receivedAt: Date.now(),
        checkpoint: { key, value: f.pos },
      });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private error(message: string): void {
    this.errors.push(message);
    if (this.errors.length > 20) this.errors.shift();
    this.opts.log?.(`${this.name}: ${message}`);
  }
}

/**
 * A first run starts at the journal's end (`-n 0`); later ones resume after the last stored entry's cursor.
 * `-n all` matters: `-f` implies `-n 10` even with --after-cursor, which would skip all but the last 10 entries
 * written while the connection was down.
 */
function journalCommand(pos: { cursor: string | null }, dir: string | null): string {
  const from = pos.cursor ? `-n all --after-cursor=${shellQuote(pos.cursor)}` : '-n 0';
  return `journalctl ${dir ? `-D ${shellQuote(dir)} ` : ''}-f -o json --no-pager ${from}`;
}

function journalQuery(dir: string | null | undefined): string {
  return dir ? `/?journal&dir=${dir}` : '/?journal';
}

function execStream(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

async function execText(client: Client, command: string): Promise<string> {
  const stream = await execStream(client, command);
  let out = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) out += chunk;
  return out;
}
