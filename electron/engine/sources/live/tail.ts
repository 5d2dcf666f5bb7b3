// `--tail PATH|GLOB`: follows files, picks up new files matching a glob, survives rotation, truncation and
// restarts (each path's read position is a checkpoint committed with the events it covers). A file is read once
// per workspace however many patterns name it: the same path from two patterns gets one follower, and two paths
// naming one file (a symlink, a hard link, another tail source) are settled by the workspace's claims (PathFollower).
// A glob matching the rotations of a file it follows (`app.log*`) reads no line twice: the workspace's ledger of
// how far each file's content was read (read-ledger.ts) says where a renamed file or a copy goes on, and this
// collector's part of it is a checkpoint of its own. Compressed files it matches are skipped, said once.
import path from 'node:path';
import type { CollectorStatus, LiveCollector, LiveContext } from '../../pipeline/live.ts';
import { globPaths, hasGlob } from '../glob.ts';
import { PathFollower, READ_BYTES, type FollowerCheckpoint, type FollowerEnv } from './path-follower.ts';
import { ReadLedger } from './read-ledger.ts';

const POLL_MS = 200;
const RESCAN_MS = 1000;

export class TailCollector implements LiveCollector {
  readonly name: string;
  private readonly followers = new Map<string, PathFollower>();
  /** Which of the patterns (by index) first named each followed path. */
  private readonly namedBy = new Map<string, number>();
  /** Paths already said to be named by a second pattern (said once, not at every rescan), and what was said. */
  private readonly overlapTold = new Set<string>();
  private readonly overlaps: string[] = [];
  private ctx: LiveContext | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastScan = 0;
  private fatal: string | null = null;
  /** Followers are polled one at a time, so one read buffer serves them all (a glob may match many files). */
  private readonly buf = Buffer.allocUnsafe(READ_BYTES);
  private env: FollowerEnv | null = null;
  /** What was said of the compressed files the patterns match (said once for all of them). */
  private compressedTold: string | null = null;

  constructor(private readonly patterns: string[]) {
    this.name = `tail ${patterns.join(' ')}`;
  }

  async start(ctx: LiveContext): Promise<void> {
    this.ctx = ctx;
    const ledger = ctx.claims.keep('tail-ledger', () => new ReadLedger(ctx.claims));
    // Under the patterns, as given: the same command line finds its part of the ledger again after a restart.
    const owner = `tail-ledger:${this.patterns.join('\n')}`;
    ledger.load(ctx.checkpoint(owner), owner);
    this.env = {
      claims: ctx.claims,
      ledger,
      owner,
      put: (b) => ctx.put(b),
      // The follower's messages name the file themselves.
      log: (message) => ctx.log(`tail: ${message}`),
      saveLedger: () =>
        ctx.put({
          sourceId: 0,
          records: [],
          bytes: 0,
          size: 0,
          checkpoint: { key: owner, value: ledger.saved(owner) },
        }),
      compressed: (file, format) => {
        if (this.compressedTold) return;
        this.compressedTold = `${file} is compressed (${format}): not read, nor any other compressed file ${this.name.replace(/^tail /, '--tail ')} matches (a compressed rotation holds lines read before it was compressed)`;
        ctx.log(`tail: ${this.compressedTold}`);
      },
      buf: this.buf,
    };
    await this.scan();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    for (const f of this.followers.values()) await f.close();
  }

  status(): CollectorStatus {
    const s: CollectorStatus = {
      name: this.name,
      records: 0,
      bytes: 0,
      dropped: 0,
      lagBytes: 0,
      active: 0,
      errors: [],
    };
    for (const f of this.followers.values()) {
      s.records += f.records;
      s.bytes += f.bytes;
      s.lagBytes! += f.lagBytes();
      s.active += f.openFiles();
      for (const e of f.errors) s.errors.push(e);
    }
    s.errors.push(...this.overlaps);
    if (this.compressedTold) s.errors.push(this.compressedTold);
    if (this.fatal) s.errors.push(this.fatal);
    return s;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let more = false;
      try {
        if (Date.now() - this.lastScan >= RESCAN_MS) await this.scan();
        for (const f of this.followers.values()) {
          if (this.stopped) break;
          more = (await f.poll()) || more;
        }
      } catch (err) {
        // A closed channel (the pipeline is stopping) or an unreadable file: try again next round.
        if (this.fatal !== (err as Error).message) this.ctx!.log(`tail: ${(err as Error).message}`);
        this.fatal = (err as Error).message;
      }
      if (!more && !this.stopped)
        await new Promise<void>((r) => {
          const t = setTimeout(r, POLL_MS);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
    }
  }

  /** Adds a follower for each path the patterns name now (a plain path is followed even before it exists). */
  private async scan(): Promise<void> {
    this.lastScan = Date.now();
    for (const [i, p] of this.patterns.entries()) {
      const files = hasGlob(p) ? await globPaths(p).catch(() => [] as string[]) : [p];
      for (const f of files) {
        const abs = path.resolve(f);
        const known = this.followers.get(abs);
        if (known) {
          if (this.namedBy.get(abs) !== i && !this.overlapTold.has(abs)) {
            this.overlapTold.add(abs);
            const message = `${abs} is already followed by ${known.label}`;
            this.ctx!.log(`tail: ${message}`);
            if (this.overlaps.push(message) > 20) this.overlaps.shift();
          }
          continue;
        }
        const follower = this.follow(abs, p);
        this.followers.set(abs, follower);
        this.namedBy.set(abs, i);
        await follower.resume(this.ctx!.checkpoint(follower.key) as FollowerCheckpoint | undefined);
      }
    }
  }

  private follow(file: string, pattern: string): PathFollower {
    const ctx = this.ctx!;
    let sourceId: number | null = null;
    return new PathFollower(
      file,
      label(pattern),
      (sample) =>
        (sourceId ??= ctx.source({ uri: file, kind: 'tail', size: null, mtimeMs: Date.now() }, sample)),
      this.env!,
    );
  }
}

/** How a pattern is named to a person: as it was given on the command line. */
function label(pattern: string): string {
  return `--tail ${pattern}`;
}
