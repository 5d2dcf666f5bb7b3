// Builds one segment file (schema.ts) and its terms sidecar (term-index.ts) from packed batches, in a
// segment-builder worker. Rows are encoded straight into the pages of the file as they arrive (ids ascend, so the
// `ev` table is written in order); the index keys are kept in typed arrays, sorted and written at seal. The
// database is written by sqlite-file/, not sql.js: see database-writer.ts for why.
import { INT_COLUMNS, NUM_COLUMNS, type EventColumns } from './event-columns.ts';
import { SEGMENT_OBJECTS, SEGMENT_SCHEMA_VERSION } from './schema.ts';
import type { SealedSegment, SegmentSourceRow, SourceDelta } from './segment-builder-protocol.ts';
import { TermIndexBuilder } from './term-index-builder.ts';
import { DatabaseWriter } from './sqlite-file/database-writer.ts';
import { RecordEncoder } from './sqlite-file/record.ts';
import type { TableTreeWriter } from './sqlite-file/btree-writer.ts';

export interface SegmentFiles {
  /** The segment file's bytes, in consecutive pieces. */
  segment: Uint8Array[];
  /** The terms sidecar, or null when the word index is off. */
  terms: Uint8Array | null;
  sealed: SealedSegment;
}

/** Index keys of every row so far (row id i + 1 at position i), grown by doubling. */
class IndexKeys {
  ts = new Float64Array(1024);
  source = new Float64Array(1024);
  line = new Float64Array(1024);
  template = new Float64Array(1024);

  ensure(n: number): void {
    if (n <= this.ts.length) return;
    let cap = this.ts.length * 2;
    while (cap < n) cap *= 2;
    const grow = (a: Float64Array) => {
      const g = new Float64Array(cap);
      g.set(a);
      return g;
    };
    this.ts = grow(this.ts);
    this.source = grow(this.source);
    this.line = grow(this.line);
    this.template = grow(this.template);
  }
}

export class SegmentFileBuilder {
  private readonly db = new DatabaseWriter();
  private readonly rows: TableTreeWriter;
  private readonly enc = new RecordEncoder();
  private readonly terms: TermIndexBuilder | null;
  private readonly keys = new IndexKeys();
  private events = 0;
  private tsMin = Infinity;
  private tsMax = -Infinity;
  private untimed = 0;
  private readonly hosts = new Set<string>();
  private readonly perSource = new Map<number, SourceDelta>();

  constructor(
    readonly segId: number,
    opts: { indexTerms: boolean },
  ) {
    this.rows = this.db.table();
    this.terms = opts.indexTerms ? new TermIndexBuilder() : null;
  }

  addBatch(cols: EventColumns): void {
    const { n, nums, ints, hosts, text } = cols;
    if (nums.length !== n * NUM_COLUMNS || ints.length !== n * INT_COLUMNS)
      throw new Error('malformed batch');
    const bytes = Buffer.from(text, 'utf8');
    // All ASCII (the common case): character positions are byte positions.
    const ascii = bytes.length === text.length;
    const hostBytes = hosts.map((h) => Buffer.from(h, 'utf8'));
    const hostUsed = new Uint8Array(hosts.length);
    const { enc, keys } = this;
    keys.ensure(this.events + n);
    let pos = 0; // in characters
    let at = 0; // in bytes
    const span = (chars: number): number => {
      const len = ascii ? chars : Buffer.byteLength(text.slice(pos, pos + chars), 'utf8');
      pos += chars;
      at += len;
      return len;
    };
    for (let i = 0; i < n; i++) {
      const id = this.events + i + 1;
      const ts = nums[i];
      const line = nums[n + i];
      const sourceId = nums[3 * n + i];
      const template = nums[4 * n + i];
      const sev = ints[i];
      const hostIdx = ints[n + i];
      const rawChars = ints[2 * n + i];
      const msgChars = ints[3 * n + i];
      const fieldsChars = ints[5 * n + i];

      const rawPos = pos;
      const rawAt = at;
      const rawLen = span(rawChars);
      enc.begin().null().numOrNull(ts);
      if (hostIdx < 0) enc.null();
      else {
        const h = hostBytes[hostIdx];
        enc.textBytes(h, 0, h.length);
        hostUsed[hostIdx] = 1;
      }
      enc
        .num(sourceId)
        .numOrNull(line)
        .num(nums[2 * n + i]);
      if (sev < 0) enc.null();
      else enc.num(sev);
      enc.textBytes(bytes, rawAt, rawAt + rawLen);
      let msgAt = 0;
      if (msgChars >= 0) {
        const msgAtByte = at;
        const len = span(msgChars);
        enc.textBytes(bytes, msgAtByte, msgAtByte + len);
      } else {
        msgAt = ints[4 * n + i];
        // SQLite's substr counts code points, JavaScript counts UTF-16 units: where they differ, keep the message.
        if (!ascii && hasSurrogate(text, rawPos, rawPos + msgAt)) {
          const m = Buffer.from(text.slice(rawPos + msgAt, rawPos + rawChars), 'utf8');
          enc.textBytes(m, 0, m.length);
          msgAt = 0;
        } else enc.null();
      }
      enc.num(msgAt);
      if (fieldsChars >= 0) {
        const fAt = at;
        const len = span(fieldsChars);
        enc.textBytes(bytes, fAt, fAt + len);
      } else enc.null();
      enc.numOrNull(template).num(nums[5 * n + i]);
      this.rows.addRecord(id, enc);

      const timed = !Number.isNaN(ts);
      if (this.terms) this.terms.add(id, text.slice(rawPos, rawPos + rawChars), timed);
      keys.ts[id - 1] = ts;
      keys.source[id - 1] = sourceId;
      keys.line[id - 1] = line;
      keys.template[id - 1] = template;
      let src = this.perSource.get(sourceId);
      if (!src) {
        src = { id: sourceId, events: 0, bytes: 0, tsMin: null, tsMax: null };
        this.perSource.set(sourceId, src);
      }
      src.events++;
      src.bytes += rawLen + 1;
      if (!timed) this.untimed++;
      else {
        if (ts < this.tsMin) this.tsMin = ts;
        if (ts > this.tsMax) this.tsMax = ts;
        if (src.tsMin === null || ts < src.tsMin) src.tsMin = ts;
        if (src.tsMax === null || ts > src.tsMax) src.tsMax = ts;
      }
    }
    this.events += n;
    for (let h = 0; h < hosts.length; h++) if (hostUsed[h]) this.hosts.add(hosts[h]);
  }

  /** Finishes both files. `sources` must name at least this segment's sources. */
  seal(sources: SegmentSourceRow[]): SegmentFiles {
    const { db, enc } = this;
    const terms = this.terms?.toBytes({ segmentId: this.segId, events: this.events }) ?? null;
    const evRoot = this.rows.finish();
    db.keyValueTable('meta', SEGMENT_OBJECTS.meta, [
      ['schema_version', String(SEGMENT_SCHEMA_VERSION)],
      ['segment_id', String(this.segId)],
      ['events', String(this.events)],
      ['sealed_at', new Date().toISOString()],
    ]);
    const srcTable = db.table();
    for (const s of [...sources].sort((a, b) => a.id - b.id)) {
      if (!this.perSource.has(s.id)) continue;
      enc.begin().null().text(s.uri);
      if (s.format == null) enc.null();
      else enc.text(s.format);
      srcTable.add(s.id, enc.finish());
    }
    db.schema('table', 'sources', 'sources', srcTable.finish(), SEGMENT_OBJECTS.sources);
    db.schema('table', 'ev', 'ev', evRoot, SEGMENT_OBJECTS.ev);
    db.schema('view', 'events', 'events', 0, SEGMENT_OBJECTS.events);
    db.schema('index', 'ev_time', 'ev', this.writeTimeIndex(), SEGMENT_OBJECTS.ev_time);
    db.schema('index', 'ev_template', 'ev', this.writeTemplateIndex(), SEGMENT_OBJECTS.ev_template);
    const segment = db.finishPieces();
    const timed = this.events > this.untimed;
    return {
      segment,
      terms,
      sealed: {
        segId: this.segId,
        events: this.events,
        bytes: segment.reduce((n, p) => n + p.length, 0),
        tsMin: timed ? this.tsMin : null,
        tsMax: timed ? this.tsMax : null,
        untimed: this.untimed,
        sources: [...this.perSource.keys()].sort((a, b) => a - b),
        hosts: [...this.hosts].sort(),
        perSource: [...this.perSource.values()],
      },
    };
  }

  /** ev_time(ts, source_id, line): NULLs sort first, ties by row id. Rows usually arrive in order already. */
  private writeTimeIndex(): number {
    const { ts, source, line } = this.keys;
    const cmp = (a: number, b: number): number =>
      cmpNullable(ts[a], ts[b]) || source[a] - source[b] || cmpNullable(line[a], line[b]) || a - b;
    const order = this.sortedRows(cmp);
    const tree = this.db.index();
    const { enc } = this;
    for (const r of order)
      tree.addRecord(
        enc
          .begin()
          .numOrNull(ts[r])
          .num(source[r])
          .numOrNull(line[r])
          .num(r + 1),
      );
    return tree.finish();
  }

  /** ev_template(template): NULLs first, ties by row id. */
  private writeTemplateIndex(): number {
    const { template } = this.keys;
    const tree = this.db.index();
    const { enc } = this;
    for (const r of this.rowsByTemplate())
      tree.addRecord(
        enc
          .begin()
          .numOrNull(template[r])
          .num(r + 1),
      );
    return tree.finish();
  }

  /** Row positions in template order: a counting sort, template ids being small integers (else a comparison sort). */
  private rowsByTemplate(): Iterable<number> {
    const { template } = this.keys;
    const n = this.events;
    let max = -1;
    let countable = true;
    for (let r = 0; r < n; r++) {
      const t = template[r];
      if (t > max) max = t;
      if (!Number.isNaN(t) && !(Number.isInteger(t) && t >= 0)) countable = false;
    }
    if (!countable || max > 4 * n + 1_000_000) {
      return this.sortedRows((a, b) => cmpNullable(template[a], template[b]) || a - b);
    }
    // Slot 0 holds the rows without a template; slot id + 1 the rows of template id.
    const starts = new Int32Array(max + 3);
    for (let r = 0; r < n; r++) starts[Number.isNaN(template[r]) ? 1 : template[r] + 2]++;
    for (let i = 1; i < starts.length; i++) starts[i] += starts[i - 1];
    const order = new Int32Array(n);
    for (let r = 0; r < n; r++) order[starts[Number.isNaN(template[r]) ? 0 : template[r] + 1]++] = r;
    return order;
  }

  /** Row positions 0..events-1 in `cmp` order (skipping the sort when they already are). */
  private sortedRows(cmp: (a: number, b: number) => number): Uint32Array | number[] {
    const n = this.events;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (cmp(i - 1, i) > 0) sorted = false;
    const order = Array.from({ length: n }, (_, i) => i);
    if (!sorted) order.sort(cmp);
    return order;
  }
}

/** NaN (null) first, as SQLite orders NULL before numbers. */
function cmpNullable(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  return a - b;
}

function hasSurrogate(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}
