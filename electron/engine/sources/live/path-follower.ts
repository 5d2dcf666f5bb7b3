// Follows one path the way Filebeat and Fluent Bit do: the file is known by device, inode and a hash of its first
// bytes; a file renamed away (rename-and-create rotation) or deleted is kept open and drained until it has been
// quiet for a while; a truncated file (copy-truncate rotation) is read again from the start, after the lines it
// lost to the copy are read from the copy. Every batch carries the full read position so a restart resumes exactly.
// A file another follower of the workspace already reads (the same device and inode under another path or pattern)
// is left to it: this path waits, said once, and takes over from the other's position if that one lets go.
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LiveBatch } from '../../pipeline/live.ts';
import type { ClaimOwner, LiveClaims } from '../../pipeline/live-claims.ts';
import { cutLines } from './line-cutter.ts';
import { fileKey, HEAD_BYTES, headMatches, readHead, type FileIdentity } from './file-identity.ts';

/** Position in one physical file: what a checkpoint records. */
export interface FilePosition extends FileIdentity {
  /** Offset of the first byte not yet handed to the channel (always at a line start). */
  offset: number;
  /** Line number of the line at `offset`. */
  line: number;
}

export interface FollowerCheckpoint {
  current: FilePosition | null;
  /** Rotated-away files still being drained, oldest first. */
  draining: FilePosition[];
}

interface OpenFile {
  fh: FileHandle;
  pos: FilePosition;
  size: number;
  /** When the file last grew (drained files are closed once quiet for ROTATE_WAIT_MS). */
  grewAt: number;
  /** Modification time when last looked at: a file rewritten to the very size it had still shows a change. */
  mtimeMs: number;
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
  private closed = false;
  records = 0;
  bytes = 0;
  errors: string[] = [];

  constructor(
    readonly file: string,
    /** What a person is told holds this path's file ("--tail /var/log/*.log"). */
    readonly label: string,
    private readonly claims: LiveClaims,
    /** The store source of this path, opened on the first lines (they are the format-detection sample). */
    private readonly sourceId: (sample: string[]) => number,
    private readonly put: (b: LiveBatch) => Promise<void>,
    private readonly log: (message: string) => void = () => {},
    private readonly buf: Buffer = Buffer.allocUnsafe(READ_BYTES),
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
          `rotated file of ${this.file} was gone before it was read to the end (from offset ${p.offset})`,
        );
    }
    const c = cp.current;
    if (!c) return;
    const f = await this.find(c);
    if (!f) {
      this.error(
        `${this.file} was replaced and its old content could not be found (from offset ${c.offset})`,
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
        // Read to the end: another path naming this file (a glob matching rotated names) goes on from here.
        this.claims.release(fileKey(f.pos), this, { ...f.pos });
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
      this.claims.release(fileKey(f.pos), this, { ...f.pos });
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
      // Copy-truncate: what was written after our last read went into the copy; read it from there first.
      const copy = await this.findCopy(c.pos);
      if (copy) this.draining.push(copy);
      else if (c.pos.offset < c.size)
        this.error(`${this.file} was truncated before ${c.size - c.pos.offset} bytes were read`);
      const { head, headLen } = await readHead(c.fh, st.size);
      c.pos = { ...c.pos, head, headLen, offset: 0, line: 1 };
      await this.checkpoint();
    } else if (c.pos.headLen < HEAD_BYTES && st.size > c.pos.headLen) {
      const { head, headLen } = await readHead(c.fh, st.size);
      c.pos = { ...c.pos, head, headLen };
    }
    c.size = st.size;
    c.mtimeMs = st.mtimeMs;
  }

  /**
   * Opens the file now at the path, if this path may read it: not while the path it was left to still names the
   * same file (that follower reads it, or will at its next poll), nor while another follower holds it. Claimed from
   * a follower that let go, it goes on from that one's position.
   */
  private async openClaimed(st: { dev: number; ino: number }): Promise<OpenFile | null> {
    if (this.aliasOf && !this.aliasOf.closed) {
      const other = await stat(this.aliasOf.file).catch(() => null);
      if (other && other.dev === st.dev && other.ino === st.ino) return null;
    }
    this.aliasOf = null;
    const claim = this.claims.claim(fileKey(st), this);
    if (!claim.ok) {
      this.leaveTo(claim.heldBy);
      return null;
    }
    this.told = null;
    let f = isPosition(claim.handoff) ? await this.openAt(this.file, claim.handoff) : null;
    f ??= await this.openAt(this.file, null);
    if (f && f.pos.dev === st.dev && f.pos.ino === st.ino) return f;
    // Gone or replaced between the stat and the open: the next poll looks again.
    await f?.fh.close();
    this.claims.release(fileKey(st), this, claim.handoff);
    return null;
  }

  /**
   * Claims a file found by position (a checkpoint, a rotated copy); closes it when another follower holds it. A
   * copy held by another follower (a glob matching the rotated names) is its to read: nothing to say about it.
   */
  private async adopt(f: OpenFile, say = true): Promise<boolean> {
    const claim = this.claims.claim(fileKey(f.pos), this);
    if (claim.ok) return true;
    await f.fh.close().catch(() => {});
    if (say) this.leaveTo(claim.heldBy);
    return false;
  }

  private leaveTo(holder: ClaimOwner): void {
    if (holder instanceof PathFollower) this.aliasOf = holder;
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

  /** Reads what is there (up to READ_BYTES); returns true when the read was full (more may be waiting). */
  private async read(f: OpenFile, final: boolean): Promise<boolean> {
    const { bytesRead } = await f.fh.read(this.buf, 0, READ_BYTES, f.pos.offset);
    if (bytesRead === 0) return false;
    const cut = cutLines(this.buf, bytesRead, f.pos.offset, f.pos.line, final);
    if (cut.consumed === 0) return false;
    f.pos = { ...f.pos, offset: f.pos.offset + cut.consumed, line: cut.nextLine };
    if (f.pos.offset > f.size) f.size = f.pos.offset;
    this.records += cut.records.length;
    this.bytes += cut.consumed;
    await this.put({
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
    return this.put({
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

  private async openAt(file: string, want: FilePosition | null): Promise<OpenFile | null> {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch {
      return null;
    }
    const st = await fh.stat();
    if (want) {
      const same = st.size >= want.offset && (await headMatches(fh, want));
      if (!same) {
        await fh.close();
        return null;
      }
      return {
        fh,
        pos: { ...want, dev: st.dev, ino: st.ino },
        size: st.size,
        grewAt: Date.now(),
        mtimeMs: st.mtimeMs,
      };
    }
    const { head, headLen } = await readHead(fh, st.size);
    return {
      fh,
      pos: { dev: st.dev, ino: st.ino, head, headLen, offset: 0, line: 1 },
      size: st.size,
      grewAt: Date.now(),
      mtimeMs: st.mtimeMs,
    };
  }

  /** The file a checkpoint names: the path itself, or a sibling with the same inode, or a copy of its head. */
  private async find(p: FilePosition): Promise<OpenFile | null> {
    const st = await stat(this.file).catch(() => null);
    if (st && st.dev === p.dev && st.ino === p.ino) {
      const f = await this.openAt(this.file, p);
      if (f) return f;
    }
    return this.findCopy(p, true);
  }

  /** A sibling of the path whose first bytes match p's and that is long enough (the rotated file or its copy). */
  private async findCopy(p: FilePosition, sameInodeFirst = false): Promise<OpenFile | null> {
    // With no head to compare (the file was empty when last seen), only the same inode can be the same file.
    const inodeOnly = p.headLen === 0;
    const dir = path.dirname(this.file);
    const names = await readdir(dir).catch(() => [] as string[]);
    const candidates: { file: string; ino: number; mtimeMs: number }[] = [];
    for (const name of names) {
      const file = path.join(dir, name);
      if (file === this.file) continue;
      const st = await stat(file).catch(() => null);
      if (!st || !st.isFile() || st.size < p.offset || (inodeOnly && (st.ino !== p.ino || st.dev !== p.dev)))
        continue;
      candidates.push({ file, ino: st.ino, mtimeMs: st.mtimeMs });
    }
    candidates.sort((a, b) =>
      sameInodeFirst && (a.ino === p.ino) !== (b.ino === p.ino)
        ? a.ino === p.ino
          ? -1
          : 1
        : b.mtimeMs - a.mtimeMs,
    );
    for (const c of candidates) {
      const f = await this.openAt(c.file, p);
      if (f && (await this.adopt(f, false))) return f;
    }
    return null;
  }

  private error(message: string): void {
    this.log(message);
    this.errors.push(message);
    if (this.errors.length > 20) this.errors.shift();
  }
}
