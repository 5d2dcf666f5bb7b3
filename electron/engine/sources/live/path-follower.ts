// Follows one path the way Filebeat and Fluent Bit do: the file is known by device, inode and a hash of its first
// bytes; a file renamed away (rename-and-create rotation) or deleted is kept open and drained until it has been
// quiet for a while; a truncated file (copy-truncate rotation) is read again from the start, after the lines it
// lost to the copy are read from the copy. Every batch carries the full read position so a restart resumes exactly.
// A file another follower of the workspace already reads (the same device and inode under another path or pattern)
// is left to it: this path waits, said once, and takes over from the other's position if that one lets go.
// A file met anew at the path goes on where the workspace's ledger says its content was read (the path names a
// rotation of a followed file: `--tail 'app.log*'`), and a compressed file (a gzipped rotation) is not read.
import { stat } from 'node:fs/promises';
import type { LiveBatch } from '../../pipeline/live.ts';
import type { ClaimOwner, LiveClaims } from '../../pipeline/live-claims.ts';
import { cutLines } from './line-cutter.ts';
import {
  compressionOf,
  fileKey,
  HEAD_BYTES,
  headMatches,
  readHead,
  type FilePosition,
} from './file-identity.ts';
import { findCopy, openAt, type OpenFile } from './file-finder.ts';
import type { ReadLedger } from './read-ledger.ts';

export type { FilePosition } from './file-identity.ts';

export interface FollowerCheckpoint {
  current: FilePosition | null;
  /** Rotated-away files still being drained, oldest first. */
  draining: FilePosition[];
}

/** What the collector gives each of its followers. */
export interface FollowerEnv {
  claims: LiveClaims;
  /** How far the workspace read each file's content (renamed and copied files go on from there). */
  ledger: ReadLedger;
  /** The collector's key in the ledger (its checkpoint keeps what its followers noted). */
  owner: string;
  put: (b: LiveBatch) => Promise<void>;
  log: (message: string) => void;
  /** Puts the collector's part of the ledger: before a follower's checkpoint forgets a file it read. */
  saveLedger: () => Promise<void>;
  /** A compressed file is at the path: the collector says so (once for all its paths). */
  compressed: (file: string, format: string) => void;
  /** Followers are polled one at a time, so one read buffer serves them all. */
  buf: Buffer;
}

/** Bytes read at a time; the collector shares one buffer among its followers (they are polled one at a time). */
export const READ_BYTES = 1024 * 1024;
const ROTATE_WAIT_MS = 2000;

function isChannelClosed(err: unknown): boolean {
  return err instanceof Error && err.message === 'channel is closed';
}

function isPosition(v: unknown): v is FilePosition {
  const p = v as FilePosition | null;
  return typeof p?.offset === 'number' && typeof p.line === 'number' && typeof p.head === 'string';
}

export class PathFollower implements ClaimOwner {
  readonly key: string;
  private current: OpenFile | null = null;
  private draining: OpenFile[] = [];
  /** The follower whose path names the same file as this one: while it does, this path waits for it. */
  private aliasOf: PathFollower | null = null;
  /** Who this path was last said to be left to (so that it is said once, not at every poll). */
  private told: ClaimOwner | null = null;
  /** A compressed file met at the path: not read, nor looked at again while the path names it. */
  private passed: { dev: number; ino: number } | null = null;
  private closed = false;
  records = 0;
  bytes = 0;
  errors: string[] = [];

  constructor(
    readonly file: string,
    /** What a person is told holds this path's file ("--tail /var/log/*.log"). */
    readonly label: string,
    /** The store source of this path, opened on the first lines (they are the format-detection sample). */
    private readonly sourceId: (sample: string[]) => number,
    private readonly env: FollowerEnv,
  ) {
    this.key = `tail:${file}`;
  }

  /** Reopens what the checkpoint names; files rotated while we were stopped are found in the same folder. */
  async resume(cp: FollowerCheckpoint | undefined): Promise<void> {
    if (!cp) return;
    for (const p of cp.draining) {
      const f = await this.find(p);
      if (f) {
        if (await this.adopt(f)) this.draining.push(f);
      } else
        this.error(
          `a rotated file of ${this.file}, read up to offset ${p.offset} when collection stopped, is gone (deleted, or compressed by a later rotation): anything written to it after that offset was not read`,
        );
    }
    const c = cp.current;
    if (!c) return;
    const f = await this.find(c);
    if (!f) {
      // Often harmless (a rotation read to its end, then gzipped while nothing ran), but lines may be lost: said.
      this.error(
        `the file ${this.file} named when collection stopped, read up to offset ${c.offset}, is gone (deleted, or compressed by a later rotation): anything written to it after that offset was not read`,
      );
      return;
    }
    if (!(await this.adopt(f))) return;
    const st = await stat(this.file).catch(() => null);
    if (st && st.dev === c.dev && st.ino === c.ino && f.pos.ino === c.ino && f.size >= c.offset)
      this.current = f;
    else this.draining.push(f);
  }

  lagBytes(): number {
    let lag = 0;
    for (const f of [...this.draining, ...(this.current ? [this.current] : [])])
      lag += Math.max(0, f.size - f.pos.offset);
    return lag;
  }

  openFiles(): number {
    return this.draining.length + (this.current ? 1 : 0);
  }

  /** True when this follower reads the file `key` names at its own path (not as a rotated file it drains). */
  readsAtPath(key: string): boolean {
    return this.current !== null && fileKey(this.current.pos) === key;
  }

  /** One round: drain rotated files, notice rotation or truncation, read new lines. True when more is waiting. */
  async poll(): Promise<boolean> {
    let more = false;
    for (const f of [...this.draining]) {
      let done = false;
      try {
        const st = await f.fh.stat();
        f.size = st.size;
        if (st.size > f.pos.offset) {
          f.grewAt = Date.now();
          more = (await this.read(f, false)) || more;
        } else if (Date.now() - f.grewAt >= ROTATE_WAIT_MS) {
          await this.read(f, true);
          done = true;
        }
      } catch (err) {
        if (isChannelClosed(err)) throw err;
        // An unreadable rotated file must not stop the live one from being read.
        this.error(`rotated file of ${this.file} could not be read to the end: ${(err as Error).message}`);
        done = true;
      }
      if (done) {
        this.draining.splice(this.draining.indexOf(f), 1);
        await f.fh.close().catch(() => {});
        // Read to the end: another path naming this file (a glob matching rotated names) goes on from here, also
        // after a restart (the ledger is saved before this follower's checkpoint forgets the file).
        this.env.claims.release(fileKey(f.pos), this, { ...f.pos });
        await this.env.saveLedger();
        await this.checkpoint();
      }
    }
    await this.notice();
    if (this.current) more = (await this.read(this.current, false)) || more;
    return more;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const f of [...this.draining, ...(this.current ? [this.current] : [])]) {
      await f.fh.close().catch(() => {});
      // A path that waited for this one (its collector goes on) continues where this one stopped.
      this.env.claims.release(fileKey(f.pos), this, { ...f.pos });
    }
    this.draining = [];
    this.current = null;
  }

  /** Rotation, deletion, truncation or a first appearance of the path. */
  private async notice(): Promise<void> {
    const st = await stat(this.file).catch(() => null);
    const cur = this.current;
    if (!st || !st.isFile()) {
      if (cur) this.retire(cur);
      return;
    }
    if (cur && (st.dev !== cur.pos.dev || st.ino !== cur.pos.ino)) this.retire(cur);
    if (!this.current) {
      if (this.draining.some((d) => d.pos.dev === st.dev && d.pos.ino === st.ino)) return; // renamed back: draining
      this.current = await this.openClaimed(st);
      if (this.current) await this.checkpoint();
      return;
    }
    if (st.size === cur!.size && st.mtimeMs === cur!.mtimeMs) return;
    const c = this.current;
    const shrunk = st.size < c.pos.offset;
    if (shrunk || !(await headMatches(c.fh, c.pos))) {
      // Copy-truncate: what was written after our last read went into the copy; read it from there first. The
      // content read so far is remembered: another copy of it (a glob matching the copies) goes on from there.
      this.env.ledger.rewritten(c.pos, this.env.owner);
      const copy = await findCopy(this.file, c.pos, (f) => this.adopt(f, false));
      if (copy) {
        this.draining.push(copy);
        this.note(copy);
      } else if (c.pos.offset < c.size)
        this.error(`${this.file} was truncated before ${c.size - c.pos.offset} bytes were read`);
      const { head, headLen, bytes } = await readHead(c.fh, st.size);
      c.pos = { ...c.pos, head, headLen, offset: 0, line: 1 };
      c.first = bytes;
      this.note(c);
      await this.env.saveLedger();
      await this.checkpoint();
    } else if (c.pos.headLen < HEAD_BYTES && st.size > c.pos.headLen) {
      const { head, headLen, bytes } = await readHead(c.fh, st.size);
      c.pos = { ...c.pos, head, headLen };
      c.first = bytes;
      this.note(c);
    }
    c.size = st.size;
    c.mtimeMs = st.mtimeMs;
  }

  /**
   * Opens the file now at the path, if this path may read it: not while the path it was left to still names the
   * same file (that follower reads it, or will at its next poll), nor while another follower holds it, nor while
   * it is a copy of what another follower reads (that one reads the copy's unread part when its file is
   * truncated), nor when it is compressed. Claimed from a follower that let go, it goes on from that one's
   * position; met anew, from where the ledger says its content was read, else from its start.
   */
  private async openClaimed(st: {
    dev: number;
    ino: number;
    size: number;
    mtimeMs: number;
  }): Promise<OpenFile | null> {
    if (this.aliasOf && !this.aliasOf.closed) {
      const other = await stat(this.aliasOf.file).catch(() => null);
      if (other && other.dev === st.dev && other.ino === st.ino) return null;
    }
    this.aliasOf = null;
    // A compressed file stays compressed; anything else passed over is looked at again (its original let go).
    if (this.passed && this.passed.dev === st.dev && this.passed.ino === st.ino) return null;
    const key = fileKey(st);
    const held = this.env.claims.holder(key);
    if (held && held !== this) {
      await this.leaveTo(held, key);
      return null;
    }
    // Nothing to read yet in an empty file; a copy being written starts out empty, too.
    if (st.size === 0) return null;
    const look = await openAt(this.file, null);
    if (!look || look.pos.dev !== st.dev || look.pos.ino !== st.ino) {
      await look?.fh.close(); // replaced between the stat and the open: the next poll looks again
      return null;
    }
    const verdict = await this.firstLook(look);
    if (!verdict) return null;
    const claim = this.env.claims.claim(key, this);
    if (!claim.ok) {
      await look.fh.close();
      await this.leaveTo(claim.heldBy, key);
      return null;
    }
    this.told = null;
    this.passed = null;
    for (const want of [claim.handoff, verdict === 'new' ? null : verdict.pos]) {
      if (!isPosition(want) || want.ino !== st.ino || want.dev !== st.dev) continue;
      const f = await openAt(this.file, want);
      if (f && f.pos.dev === st.dev && f.pos.ino === st.ino) {
        await look.fh.close();
        this.note(f);
        return f;
      }
      await f?.fh.close();
    }
    this.note(look);
    return look;
  }

  /**
   * Whether a file met anew at the path is read, and from where: 'new' (its start) or a known position; null
   * when it is passed over (closed): compressed, or for now (a copy of what another follower reads, a copy
   * shorter than what was read of its content, the first bytes of what may be a compressed file).
   */
  private async firstLook(look: OpenFile): Promise<'new' | { pos: FilePosition } | null> {
    const { pos } = look;
    const first = look.first ?? Buffer.alloc(0);
    const packed = compressionOf(first);
    const verdict = packed ? null : this.env.ledger.lookup({ ...pos, size: look.size }, first);
    if (verdict && (verdict.kind === 'new' || verdict.kind === 'known'))
      return verdict.kind === 'new' ? 'new' : { pos: verdict.pos };
    await look.fh.close();
    if (packed && packed !== 'maybe') {
      this.passed = { dev: pos.dev, ino: pos.ino };
      this.env.compressed(this.file, packed);
    }
    return null;
  }

  /** Claims a file found by position (a checkpoint, a rotated copy); closes it when another follower holds it. */
  private async adopt(f: OpenFile, say = true): Promise<boolean> {
    const claim = this.env.claims.claim(fileKey(f.pos), this);
    if (claim.ok) {
      this.note(f);
      return true;
    }
    await f.fh.close().catch(() => {});
    if (say) await this.leaveTo(claim.heldBy, fileKey(f.pos));
    return false;
  }

  /**
   * This path's file is read by `holder`. Said once when the holder reads it at its own path (two names for one
   * file); not when it drains it as a rotated file (a glob matching the rotations names it next, and goes on
   * from where the holder lets go), nor when the holder's path names another file by now: the file was renamed
   * to this path after the holder's last poll and before this one's (a rotation the holder has yet to notice).
   */
  private async leaveTo(holder: ClaimOwner, key: string): Promise<void> {
    if (holder instanceof PathFollower) {
      this.aliasOf = holder;
      if (!holder.readsAtPath(key)) return;
      const there = await stat(holder.file).catch(() => null);
      if (!there || fileKey(there) !== key) return;
    }
    if (this.told === holder) return;
    this.told = holder;
    // Under another path (a symlink, a hard link), that path is named too: it is what the holder's lines are under.
    const as = holder instanceof PathFollower && holder.file !== this.file ? ` (as ${holder.file})` : '';
    this.error(`${this.file} is already followed by ${holder.label}${as}`);
  }

  private retire(f: OpenFile): void {
    f.grewAt = Date.now();
    this.draining.push(f);
    this.current = null;
  }

  /** Tells the ledger how far this file's content is read. */
  private note(f: OpenFile): void {
    this.env.ledger.note(f.pos, this.env.owner, f.first);
  }

  /** Reads what is there (up to READ_BYTES); returns true when the read was full (more may be waiting). */
  private async read(f: OpenFile, final: boolean): Promise<boolean> {
    const buf = this.env.buf;
    const { bytesRead } = await f.fh.read(buf, 0, READ_BYTES, f.pos.offset);
    if (bytesRead === 0) return false;
    const cut = cutLines(buf, bytesRead, f.pos.offset, f.pos.line, final);
    if (cut.consumed === 0) return false;
    f.pos = { ...f.pos, offset: f.pos.offset + cut.consumed, line: cut.nextLine };
    if (f.pos.offset > f.size) f.size = f.pos.offset;
    this.note(f);
    this.records += cut.records.length;
    this.bytes += cut.consumed;
    await this.env.put({
      sourceId: this.sourceId(cut.records.slice(0, 50).map((r) => r.text)),
      records: cut.records,
      bytes: cut.consumed,
      size: cut.records.length,
      flush: true,
      receivedAt: Date.now(),
      checkpoint: { key: this.key, value: this.snapshot() },
    });
    return bytesRead === READ_BYTES;
  }

  private checkpoint(): Promise<void> {
    return this.env.put({
      sourceId: 0,
      records: [],
      bytes: 0,
      size: 0,
      checkpoint: { key: this.key, value: this.snapshot() },
    });
  }

  private snapshot(): FollowerCheckpoint {
    return {
      current: this.current ? { ...this.current.pos } : null,
      draining: this.draining.map((d) => ({ ...d.pos })),
    };
  }

  /** The file a checkpoint names: the path itself, or a sibling with the same inode, or a copy of its head. */
  private async find(p: FilePosition): Promise<OpenFile | null> {
    const st = await stat(this.file).catch(() => null);
    if (st && st.dev === p.dev && st.ino === p.ino) {
      const f = await openAt(this.file, p);
      if (f) return f;
    }
    return findCopy(this.file, p, (f) => this.adopt(f, false), true);
  }

  private error(message: string): void {
    this.env.log(message);
    this.errors.push(message);
    if (this.errors.length > 20) this.errors.shift();
  }
}
