// A workspace folder: `flumen.json` (the manifest), `segments/` (sealed SQLite files) and, while someone writes,
// `flumen.lock`. Reopening it reads the manifest and nothing else: no input is parsed again.
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceInfo } from '../../../shared/event.ts';
import {
  MANIFEST_FILE,
  checkpointsOf,
  emptyManifest,
  type Checkpoints,
  readManifest,
  readManifestSync,
  writeManifest,
} from './manifest-file.ts';
import type { SealedSegment, SegmentSourceRow, SourceDelta } from './segment-builder-protocol.ts';
import { SegmentCache, type ReaderHost, type ReaderOptions } from './segment-reader.ts';
import { SegmentWriter, type WriterHost, type WriterOptions } from './segment-writer.ts';
import { termsFileFor } from './term-index.ts';
import type { ColumnWriter, EventWriter, Manifest, SegmentMeta } from './types.ts';
import { LOCK_FILE, WorkspaceLock } from './workspace-lock.ts';

export interface OpenOptions {
  /** Create the workspace (and its folder) when it does not exist. */
  create?: boolean;
}

const SEGMENTS_DIR = 'segments';
/** A segment file or its word-index sidecar (`000001.sqlite`, `000001.terms.sqlite`). */
const SEGMENT_FILE = /^\d{6,}(\.terms)?\.sqlite$/;

function segmentFileName(id: number): string {
  return `${String(id).padStart(6, '0')}.sqlite`;
}

function segmentMeta(seg: SealedSegment): SegmentMeta {
  return {
    id: seg.segId,
    file: segmentFileName(seg.segId),
    events: seg.events,
    bytes: seg.bytes,
    tsMin: seg.tsMin,
    tsMax: seg.tsMax,
    untimed: seg.untimed,
    sources: seg.sources,
    hosts: seg.hosts,
  };
}

export class Workspace implements WriterHost, ReaderHost {
  /** The manifest as last read or written. */
  private committed: Manifest;
  /** Sources known now: the committed ones plus those added since (they land in the manifest on commit). */
  private working: SourceInfo[];
  private readonly uncommitted = new Set<number>();
  private nextSegment = 1;
  private lock: WorkspaceLock | null = null;
  private readonly writers = new Set<SegmentWriter>();
  private readonly readers = new Set<SegmentCache>();
  /** Checkpoints to write with the next commit (see stageCheckpoints). */
  private staged: Checkpoints = {};
  private manifestWrites: Promise<unknown> = Promise.resolve();
  /** Opens the writer of a store other than segments (ClickHouse), set by useExternalWriter. */
  private externalWriter: ((ws: Workspace) => ColumnWriter) | null = null;
  private readonly externalWriters = new Set<EventWriter>();

  private constructor(
    readonly dir: string,
    manifest: Manifest,
  ) {
    this.committed = manifest;
    this.working = structuredClone(manifest.sources);
    this.noteSegments(manifest.segments);
  }

  static async open(dir: string, opts: OpenOptions = {}): Promise<Workspace> {
    const abs = path.resolve(dir);
    let manifest: Manifest;
    if (existsSync(path.join(abs, MANIFEST_FILE)) || !opts.create) {
      if (!existsSync(abs)) throw new Error(`workspace ${dir} does not exist`);
      manifest = await readManifest(abs);
    } else {
      await mkdir(abs, { recursive: true });
      const foreign = (await readdir(abs)).filter((f) => f !== SEGMENTS_DIR && f !== LOCK_FILE);
      if (foreign.length > 0) throw new Error(`${dir} is not empty and is not a Flumen workspace`);
      manifest = emptyManifest();
      await mkdir(path.join(abs, SEGMENTS_DIR), { recursive: true });
      await writeManifest(abs, manifest);
    }
    await mkdir(path.join(abs, SEGMENTS_DIR), { recursive: true });
    return new Workspace(abs, manifest);
  }

  manifest(): Manifest {
    return this.committed;
  }

  /** Re-reads the manifest (another process may have committed). Sources added here and not committed stay. */
  async refresh(): Promise<void> {
    this.adopt(await readManifest(this.dir));
  }

  sources(): SourceInfo[] {
    return this.working;
  }

  addSource(info: Omit<SourceInfo, 'id'>): SourceInfo {
    let id = 1;
    for (const s of this.working) if (s.id >= id) id = s.id + 1;
    const source: SourceInfo = { ...info, id };
    this.working.push(source);
    this.uncommitted.add(id);
    return source;
  }

  /** Changes a source; the change is written with the next commit. */
  updateSource(id: number, patch: Partial<SourceInfo>): SourceInfo {
    const s = this.working.find((x) => x.id === id);
    if (!s) throw new Error(`workspace ${this.dir} has no source ${id}`);
    Object.assign(s, patch, { id });
    return s;
  }

  /**
   * Sets a committed source's clock offset (SourceInfo.clockOffsetMs; 0 removes it) in one atomic manifest write.
   * A writer of this process (live collection, an ingest job) holds the lock: the write then queues behind its
   * commits. Otherwise the lock is taken for the write, so a writer in another process makes this fail with
   * "workspace DIR is in use by pid N" rather than lose the change in its next commit.
   */
  async setClockOffset(id: number, offsetMs: number): Promise<SourceInfo> {
    if (this.lock) return this.serialManifest(() => this.writeClockOffset(id, offsetMs));
    const lock = WorkspaceLock.acquire(this.dir);
    try {
      this.adopt(readManifestSync(this.dir));
      return await this.writeClockOffset(id, offsetMs);
    } finally {
      lock.release();
    }
  }

  private async writeClockOffset(id: number, offsetMs: number): Promise<SourceInfo> {
    const at = this.committed.sources.findIndex((s) => s.id === id);
    if (at < 0) {
      const pending = this.working.some((s) => s.id === id);
      throw new Error(
        pending
          ? `source ${id} of workspace ${this.dir} is still being ingested: set its clock offset once it is committed`
          : `workspace ${this.dir} has no source ${id}`,
      );
    }
    // 0 leaves no trace: the manifest reads as it did before any offset was set.
    const setOffset = (s: SourceInfo): void => {
      if (offsetMs === 0) delete s.clockOffsetMs;
      else s.clockOffsetMs = offsetMs;
    };
    const sources = [...this.committed.sources];
    sources[at] = structuredClone(sources[at]);
    setOffset(sources[at]);
    const next: Manifest = { ...this.committed, sources };
    await writeManifest(this.dir, next);
    this.committed = next;
    // The next commit writes the working sources (in place: callers hold them), so they carry it too.
    const w = this.working.find((s) => s.id === id);
    if (w) setOffset(w);
    return structuredClone(sources[at]);
  }

  /** A live collector's committed checkpoint (undefined when none was ever committed). */
  checkpoint(key: string): unknown {
    return checkpointsOf(this.committed)[key];
  }

  /**
   * Stages checkpoints for the next commit: they are written in the same manifest write as the segments that
   * commit seals, or not at all. discardStagedCheckpoints() drops them (the commit failed).
   */
  stageCheckpoints(values: Checkpoints): void {
    Object.assign(this.staged, values);
  }

  discardStagedCheckpoints(): void {
    this.staged = {};
  }

  findSourceByFingerprint(fp: string): SourceInfo | undefined {
    return this.working.find((s) => s.fingerprint === fp);
  }

  /** Folders of user-defined formats (*.json) for this workspace. */
  formatDirs(): string[] {
    return [path.join(this.dir, 'formats')];
  }

  /**
   * Takes the workspace's writer lock (throws "workspace DIR is in use by pid N") until the writer closes.
   *
   * A workspace whose events live in another store (useExternalWriter: ClickHouse) returns that store's writer
   * here, so the pipeline (ingest.ts, live.ts) writes to it unchanged. Only EventWriter's methods exist on it
   * then: callers that need more than EventWriter (tests of segments) use local workspaces. eventWriter() says
   * the same without the cast.
   */
  writer(opts?: WriterOptions): SegmentWriter {
    return this.openWriter(opts) as SegmentWriter;
  }

  /** The writer as the pipeline uses it: the segment writer, or the external store's. */
  eventWriter(opts?: WriterOptions): ColumnWriter {
    return this.openWriter(opts);
  }

  /**
   * Events go to another store from now on (a ClickHouse-backed workspace): writer() opens its writer, which
   * commits through commitExternal. Sources, checkpoints, templates and anomaly counts stay in this folder.
   */
  useExternalWriter(open: (ws: Workspace) => ColumnWriter): void {
    this.externalWriter = open;
  }

  private openWriter(opts?: WriterOptions): SegmentWriter | ColumnWriter {
    if (this.lock) throw new Error(`workspace ${this.dir} already has an open writer`);
    const lock = WorkspaceLock.acquire(this.dir);
    try {
      this.adopt(readManifestSync(this.dir));
      this.removeOrphans();
    } catch (err) {
      lock.release();
      throw err;
    }
    this.lock = lock;
    if (this.externalWriter) {
      try {
        const external = this.externalWriter(this);
        this.externalWriters.add(external);
        return external;
      } catch (err) {
        this.writerClosed();
        throw err;
      }
    }
    const w = new SegmentWriter(this, opts);
    this.writers.add(w);
    return w;
  }

  reader(opts?: ReaderOptions): SegmentCache {
    const r = new SegmentCache(this, opts);
    this.readers.add(r);
    return r;
  }

  async close(): Promise<void> {
    for (const r of this.readers) r.close();
    this.readers.clear();
    await Promise.all([...this.writers, ...this.externalWriters].map((w) => w.close()));
  }

  /** Path of a segment file named in the manifest. */
  segmentFilePath(file: string): string {
    return path.join(this.dir, SEGMENTS_DIR, file);
  }

  /** Total size of the segment files (for `flumen` status output). */
  async diskBytes(): Promise<number> {
    let total = 0;
    for (const s of this.committed.segments) total += (await stat(this.segmentFilePath(s.file))).size;
    return total;
  }

  // WriterHost: used by SegmentWriter only.

  allocateSegmentId(): number {
    return this.nextSegment++;
  }

  segmentPath(segId: number): string {
    return this.segmentFilePath(segmentFileName(segId));
  }

  sourceRows(): SegmentSourceRow[] {
    return this.working.map((s) => ({ id: s.id, uri: s.uri, format: s.format }));
  }

  commitSegments(sealed: SealedSegment[]): Promise<void> {
    return this.serialManifest(() => this.addSegments(sealed));
  }

  /**
   * What an external store's writer made durable (useExternalWriter): the sources' new counts and the staged
   * checkpoints, in one atomic manifest write, with no segment.
   */
  commitExternal(perSource: SourceDelta[]): Promise<void> {
    return this.serialManifest(() => this.addSegments([], perSource));
  }

  /**
   * Replaces segments by others holding the same events (compaction), in one atomic manifest write. Sources and
   * checkpoints are untouched. The replaced files are left on disk: readers may still be reading them.
   */
  replaceSegments(replaced: number[], sealed: SealedSegment[]): Promise<void> {
    return this.serialManifest(async () => {
      const gone = new Set(replaced);
      const segments = this.committed.segments.filter((s) => !gone.has(s.id));
      for (const seg of sealed) segments.push(segmentMeta(seg));
      segments.sort((a, b) => a.id - b.id);
      const next: Manifest = { ...this.committed, segments };
      await writeManifest(this.dir, next);
      this.committed = next;
    });
  }

  /** Manifest writes one at a time: each starts from the manifest the previous one wrote (compaction runs beside commits). */
  private serialManifest<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.manifestWrites.then(fn, fn);
    this.manifestWrites = run.catch(() => {});
    return run;
  }

  private async addSegments(sealed: SealedSegment[], external: SourceDelta[] = []): Promise<void> {
    const sources = structuredClone(this.working);
    const byId = new Map(sources.map((s) => [s.id, s]));
    const segments = [...this.committed.segments];
    for (const seg of sealed) segments.push(segmentMeta(seg));
    for (const perSource of [...sealed.map((seg) => seg.perSource), external]) {
      for (const d of perSource) {
        const s = byId.get(d.id);
        if (!s) continue;
        s.events += d.events;
        s.bytes += d.bytes;
        if (d.tsMin != null && (s.tsMin == null || d.tsMin < s.tsMin)) s.tsMin = d.tsMin;
        if (d.tsMax != null && (s.tsMax == null || d.tsMax > s.tsMax)) s.tsMax = d.tsMax;
      }
    }
    segments.sort((a, b) => a.id - b.id);
    const next: Manifest = { ...this.committed, sources, segments };
    // Taken now: a failed write drops them (the caller stages them again with the retried events).
    const staged = this.staged;
    this.staged = {};
    if (Object.keys(staged).length > 0) {
      (next as Manifest & { checkpoints: Checkpoints }).checkpoints = {
        ...checkpointsOf(this.committed),
        ...staged,
      };
    }
    await writeManifest(this.dir, next);
    this.committed = next;
    // Keep the objects callers hold (addSource's return value) current.
    for (const s of this.working) Object.assign(s, byId.get(s.id));
    this.uncommitted.clear();
  }

  writerClosed(): void {
    this.lock?.release();
    this.lock = null;
    this.writers.clear();
    this.externalWriters.clear();
  }

  private adopt(m: Manifest): void {
    const pending = this.working.filter((s) => this.uncommitted.has(s.id));
    for (const p of pending) {
      if (m.sources.some((s) => s.id === p.id)) {
        throw new Error(
          `workspace ${this.dir} was changed by another writer while source ${p.uri} was pending`,
        );
      }
    }
    this.committed = m;
    this.working = [...structuredClone(m.sources), ...pending];
    this.noteSegments(m.segments);
  }

  private noteSegments(segments: SegmentMeta[]): void {
    for (const s of segments) if (s.id >= this.nextSegment) this.nextSegment = s.id + 1;
  }

  /** Segment files no manifest names (a writer crashed before its commit) and temp files: garbage. */
  private removeOrphans(): void {
    const dir = path.join(this.dir, SEGMENTS_DIR);
    mkdirSync(dir, { recursive: true });
    const known = new Set(this.committed.segments.flatMap((s) => [s.file, termsFileFor(s.file)]));
    for (const f of readdirSync(dir)) {
      if ((SEGMENT_FILE.test(f) && !known.has(f)) || f.endsWith('.tmp')) {
        try {
          unlinkSync(path.join(dir, f));
        } catch {
          // gone already
        }
      }
    }
  }
}
