// Read access to sealed segments. A query names the segments it needs (pruned by the manifest's time ranges,
// sources and hosts); they are loaded into sql.js on demand and kept in an LRU bounded by their file sizes, so
// memory stays within the cap however many segments the workspace holds. A segment's word index (its terms
// sidecar) is loaded on its own, through the same LRU, so a word count never loads the segment itself.
import { readFile } from 'node:fs/promises';
import type { Database, SqlJsStatic } from 'sql.js';
import { loadSqlJs } from './sql-js-loader.ts';
import { termsFileFor } from './term-index.ts';
import { TermsFile } from './terms-file.ts';
import type { Manifest, SegmentFilter, SegmentMeta, SegmentReader, SegmentTerms } from './types.ts';

export interface ReaderOptions {
  /** Most bytes of segment files kept loaded (default 256 MiB); at least one segment is always allowed. */
  memoryCapBytes?: number;
}

export interface ReaderHost {
  readonly dir: string;
  manifest(): Manifest;
  segmentFilePath(file: string): string;
}

interface Loaded {
  /** A segment's database, a terms sidecar, or null: the segment has no usable sidecar (asked once). */
  value: Database | SegmentTerms | null;
  bytes: number;
}

const REGEX_CACHE_MAX = 256;
const regexCache = new Map<string, RegExp>();

/** Compiles a REGEXP pattern once; a leading `(?i)` (as in RE2 and PCRE) makes it case-insensitive. */
function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = pattern.startsWith('(?i)') ? new RegExp(pattern.slice(4), 'i') : new RegExp(pattern);
    if (regexCache.size >= REGEX_CACHE_MAX) regexCache.delete(regexCache.keys().next().value!);
    regexCache.set(pattern, re);
  }
  return re;
}

/** The filter's test against one segment's manifest entry (may it hold a passing event?). */
export function segmentMayMatch(s: SegmentMeta, f: SegmentFilter): boolean {
  if (f.from != null || f.to != null) {
    if (s.tsMin == null || s.tsMax == null) return false;
    if (f.from != null && s.tsMax < f.from) return false;
    if (f.to != null && s.tsMin > f.to) return false;
  }
  if (f.sourceIds && !f.sourceIds.some((id) => s.sources.includes(id))) return false;
  if (f.hosts && !f.hosts.some((h) => s.hosts.includes(h))) return false;
  return true;
}

export class SegmentCache implements SegmentReader {
  private readonly cap: number;
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<void>>();
  private loadedBytes = 0;
  private sql: SqlJsStatic | null = null;

  constructor(
    private readonly host: ReaderHost,
    opts: ReaderOptions = {},
  ) {
    this.cap = opts.memoryCapBytes ?? 256 * 1024 * 1024;
  }

  segments(filter: SegmentFilter = {}): SegmentMeta[] {
    return this.host.manifest().segments.filter((s) => segmentMayMatch(s, filter));
  }

  /** fn must be synchronous: the database may be closed once it returns. */
  async withSegment<T>(meta: SegmentMeta, fn: (db: Database) => T): Promise<T> {
    return this.withFile(
      meta.file,
      () => this.load(meta),
      (db) => fn(db as Database),
    );
  }

  /**
   * fn must be synchronous; terms is null when the segment has no usable terms sidecar. Sidecars are read as
   * bytes (terms-file.ts), not through sql.js: a word count never starts sql.js at all.
   */
  async withTerms<T>(meta: SegmentMeta, fn: (terms: SegmentTerms | null) => T): Promise<T> {
    const file = termsFileFor(meta.file);
    return this.withFile(
      file,
      () => this.loadTerms(file),
      (t) => fn(t as SegmentTerms | null),
    );
  }

  private async withFile<T>(
    key: string,
    load: () => Promise<void>,
    fn: (value: Database | SegmentTerms | null) => T,
  ): Promise<T> {
    for (;;) {
      const hit = this.loaded.get(key);
      if (hit) {
        this.loaded.delete(key);
        this.loaded.set(key, hit);
        return fn(hit.value);
      }
      let p = this.loading.get(key);
      if (!p) {
        p = load().finally(() => this.loading.delete(key));
        this.loading.set(key, p);
      }
      await p;
    }
  }

  /** Files of the segments loaded now, least recently used first. */
  loadedFiles(): string[] {
    return [...this.loaded.keys()];
  }

  get bytesLoaded(): number {
    return this.loadedBytes;
  }

  close(): void {
    for (const l of this.loaded.values()) close(l);
    this.loaded.clear();
    this.loadedBytes = 0;
  }

  private async load(meta: SegmentMeta): Promise<void> {
    const file = this.host.segmentFilePath(meta.file);
    const sql = (this.sql ??= await loadSqlJs());
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new Error(
        `segment ${file} of workspace ${this.host.dir} cannot be read: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const db = new sql.Database(bytes);
    db.create_function('regexp', (pattern, s) => {
      if (pattern == null || s == null) return null;
      return compiled(String(pattern)).test(String(s)) ? 1 : 0;
    });
    this.admit(meta.file, { value: db, bytes: bytes.length });
  }

  private async loadTerms(file: string): Promise<void> {
    let terms: TermsFile | null = null;
    let size = 0;
    try {
      const bytes = await readFile(this.host.segmentFilePath(file));
      size = bytes.length;
      terms = new TermsFile(bytes);
    } catch (err) {
      // Missing or damaged (not a database): the query stage scans the segment instead.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== undefined && code !== 'ENOENT') throw err;
    }
    this.admit(file, { value: terms, bytes: size });
  }

  /** Adds a loaded file and closes the least recently used ones past the cap (never the one just added). */
  private admit(key: string, entry: Loaded): void {
    this.loaded.set(key, entry);
    this.loadedBytes += entry.bytes;
    for (const [f, l] of this.loaded) {
      if (this.loadedBytes <= this.cap || f === key) break;
      this.loaded.delete(f);
      this.loadedBytes -= l.bytes;
      close(l);
    }
  }
}

function close(l: Loaded): void {
  if (l.value && 'close' in l.value) l.value.close();
}
