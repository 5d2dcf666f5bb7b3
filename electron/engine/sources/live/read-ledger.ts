// How far the content of each file was read, for the whole workspace: a file met anew under some path goes on
// where its content was left, never from its start, as Filebeat's and Fluent Bit's registries do. A glob such as
// `app.log*` matches the rotations of the file it follows: the renamed file (same device and inode, read up to
// where its follower let go) and the copy that copy-truncate makes (a new inode with the same first bytes as the
// content read). A copy of content some follower still reads at its own inode is that follower's: it reads the
// copy's unread part when it sees its file truncated, and whoever follows the copy's name goes on from there.
// Each tail collector keeps its part of the ledger in a checkpoint, so this holds across a restart too.
import type { LiveClaims } from '../../pipeline/live-claims.ts';
import { fileKey, fingerprint, type FilePosition } from './file-identity.ts';

interface Entry {
  pos: FilePosition;
  /** The fingerprinted first bytes, while known (a copy still being written is recognised by a prefix of them). */
  bytes: Buffer | null;
  /** The tail collector whose checkpoint keeps this entry. */
  owner: string;
}

/** A file's content as a checkpoint keeps it; `past` is content its inode no longer holds (truncated, rewritten). */
export type LedgerRecord = FilePosition & { past?: true };

export type LedgerVerdict =
  /** Nothing is known of this content: read it from its start. */
  | { kind: 'new' }
  /** Its content was read up to `pos` (renamed, or a copy of content read that far). */
  | { kind: 'known'; pos: FilePosition }
  /** A copy of content another follower reads now (or its first bytes so far): that follower deals with it. */
  | { kind: 'copy-of-followed'; of: FilePosition }
  /** A copy of content read further than the copy is long: nothing in it to read unless it grows past that. */
  | { kind: 'short-copy'; pos: FilePosition };

/** Contents remembered in memory, per kind (oldest forgotten first), and per collector in a checkpoint. */
const MAX_ENTRIES = 4096;
const MAX_SAVED = 512;

export class ReadLedger {
  /** The content each inode holds, as last read, by fileKey; most recently noted last. */
  private readonly current = new Map<string, Entry>();
  /** Content an inode held before it was truncated or rewritten (still found in its copies), by fileKey+head. */
  private readonly past = new Map<string, Entry>();

  constructor(private readonly claims: LiveClaims) {}

  /** A follower read `pos.offset` bytes of this content; `bytes` are its first bytes when they are at hand. */
  note(pos: FilePosition, owner: string, bytes?: Buffer): void {
    const key = fileKey(pos);
    const was = this.current.get(key);
    const keep = was && was.pos.head === pos.head ? was.bytes : null;
    this.current.delete(key);
    this.current.set(key, { pos: { ...pos }, bytes: bytes ?? keep, owner });
    if (this.current.size > MAX_ENTRIES) this.current.delete(this.current.keys().next().value!);
  }

  /** The inode of `pos` was truncated (or rewritten) after `pos.offset` bytes of its content were read. */
  rewritten(pos: FilePosition, owner: string): void {
    const key = fileKey(pos);
    this.current.delete(key);
    this.remember(pos, owner);
  }

  private remember(pos: FilePosition, owner: string): void {
    if (pos.headLen === 0) return; // an empty head cannot recognise a copy
    const pastKey = `${fileKey(pos)}:${pos.head}:${pos.headLen}`;
    const was = this.past.get(pastKey);
    if (was && was.pos.offset > pos.offset) return;
    this.past.delete(pastKey);
    this.past.set(pastKey, { pos: { ...pos }, bytes: null, owner });
    if (this.past.size > MAX_ENTRIES) this.past.delete(this.past.keys().next().value!);
  }

  /**
   * What is known of the file `st` whose first bytes are `first` (all of them up to HEAD_BYTES): the same inode
   * with the same first bytes, read up to no more than its size; a copy of content followed now; a copy of content
   * read before (the furthest any of its copies was read).
   */
  lookup(st: { dev: number; ino: number; size: number }, first: Buffer): LedgerVerdict {
    const key = fileKey(st);
    const hashes = new Map<number, string>();
    const hashOf = (len: number): string | null => {
      if (first.length < len) return null;
      let h = hashes.get(len);
      if (h === undefined) hashes.set(len, (h = fingerprint(first.subarray(0, len))));
      return h;
    };
    const same = this.current.get(key);
    if (same && hashOf(same.pos.headLen) === same.pos.head && st.size >= same.pos.offset)
      return { kind: 'known', pos: { ...same.pos, dev: st.dev, ino: st.ino } };
    for (const [k, e] of this.current) {
      if (k === key || e.pos.headLen === 0 || !this.claims.holder(k)) continue;
      // A copy still being written is a prefix of the content so far: compared byte by byte while the bytes are
      // known, else (never the case for a follower's open files) by the whole fingerprint.
      const n = Math.min(first.length, e.pos.headLen);
      const copy = e.bytes
        ? n > 0 && first.subarray(0, n).equals(e.bytes.subarray(0, n))
        : hashOf(e.pos.headLen) === e.pos.head;
      if (copy) return { kind: 'copy-of-followed', of: e.pos };
    }
    let best: FilePosition | null = null;
    for (const [k, e] of [...this.current, ...this.past]) {
      if (k.startsWith(`${key}:`) || k === key || e.pos.headLen === 0) continue;
      if (this.current.get(k) === e && this.claims.holder(k)) continue;
      if (hashOf(e.pos.headLen) !== e.pos.head) continue;
      if (!best || e.pos.offset > best.offset) best = e.pos;
    }
    if (!best) return { kind: 'new' };
    const pos = { ...best, dev: st.dev, ino: st.ino };
    return st.size >= best.offset ? { kind: 'known', pos } : { kind: 'short-copy', pos };
  }

  /** What `owner`'s checkpoint keeps: its most recently noted contents. */
  saved(owner: string): LedgerRecord[] {
    const out: LedgerRecord[] = [];
    for (const e of this.past.values()) if (e.owner === owner) out.push({ ...e.pos, past: true });
    for (const e of this.current.values()) if (e.owner === owner) out.push({ ...e.pos });
    return out.slice(-MAX_SAVED);
  }

  /** Takes back what a checkpoint kept (a restart); what a follower noted since is newer and stays. */
  load(records: unknown, owner: string): void {
    if (!Array.isArray(records)) return;
    for (const r of records as LedgerRecord[]) {
      if (typeof r?.offset !== 'number' || typeof r.head !== 'string' || typeof r.ino !== 'number') continue;
      const { past, ...pos } = r;
      if (past) {
        this.remember(pos, owner);
        continue;
      }
      const was = this.current.get(fileKey(pos));
      if (!was || (was.pos.head === pos.head && was.pos.offset < pos.offset)) this.note(pos, owner);
    }
  }
}
