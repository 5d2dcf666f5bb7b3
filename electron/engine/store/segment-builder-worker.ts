// A segment-builder worker thread: builds one segment at a time in sql.js memory, with its word index (the terms
// sidecar, term-index.ts) grown row by row beside it, then seals it: the sidecar is written first, then the
// segment's indexes are built in one go (far faster than row by row) and it is written as an ordinary SQLite file.
import { parentPort } from 'node:worker_threads';
import type { Database, SqlValue, Statement } from 'sql.js';
import { writeFileAtomicSync } from './atomic-write.ts';
import { INT_COLUMNS, NUM_COLUMNS, type EventColumns } from './event-columns.ts';
import { SEGMENT_DDL, SEGMENT_SCHEMA_VERSION, SEGMENT_SEAL_DDL } from './schema.ts';
import { termsFileFor } from './term-index.ts';
import { TermIndexBuilder } from './term-index-builder.ts';
import type { BuilderReply, BuilderRequest, SealedSegment, SourceDelta } from './segment-builder-protocol.ts';
import { loadSqlJs } from './sql-js-loader.ts';

const INSERT =
  'INSERT INTO ev(id, ts, host, source_id, line, off, sev, raw, msg, msg_at, fields, template, anomaly) ' +
  'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)';

interface OpenSegment {
  segId: number;
  db: Database;
  insert: Statement;
  terms: TermIndexBuilder;
  events: number;
  tsMin: number;
  tsMax: number;
  untimed: number;
  hosts: Set<string>;
  perSource: Map<number, SourceDelta>;
}

const SQL = await loadSqlJs();
const port = parentPort!;
/** Off only to measure what the word index costs (FLUMEN_NO_TERM_INDEX=1; such segments are queried by scanning). */
const indexTerms = process.env.FLUMEN_NO_TERM_INDEX !== '1';
let open: OpenSegment | null = null;
const params: SqlValue[] = new Array(13).fill(null);

function startSegment(segId: number): OpenSegment {
  const db = new SQL.Database();
  db.exec('PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;');
  db.exec(SEGMENT_DDL);
  return {
    segId,
    db,
    insert: db.prepare(INSERT),
    terms: new TermIndexBuilder(),
    events: 0,
    tsMin: Infinity,
    tsMax: -Infinity,
    untimed: 0,
    hosts: new Set(),
    perSource: new Map(),
  };
}

/** True when s[0, end) holds a UTF-16 surrogate: there SQLite's character index and JS's index disagree. */
function hasSurrogateBefore(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

function insertBatch(seg: OpenSegment, cols: EventColumns): void {
  const { n, nums, ints, hosts, text } = cols;
  if (nums.length !== n * NUM_COLUMNS || ints.length !== n * INT_COLUMNS) throw new Error('malformed batch');
  const hostUsed = new Uint8Array(hosts.length);
  let pos = 0;
  seg.db.exec('BEGIN');
  for (let i = 0; i < n; i++) {
    const ts = nums[i];
    const sourceId = nums[3 * n + i];
    const hostIdx = ints[n + i];
    const rawLen = ints[2 * n + i];
    const msgLen = ints[3 * n + i];
    const fieldsLen = ints[5 * n + i];
    const raw = text.slice(pos, pos + rawLen);
    pos += rawLen;
    let msg: string | null = null;
    let msgAt = 0;
    if (msgLen >= 0) {
      msg = text.slice(pos, pos + msgLen);
      pos += msgLen;
    } else {
      msgAt = ints[4 * n + i];
      if (hasSurrogateBefore(raw, msgAt)) {
        msg = raw.slice(msgAt);
        msgAt = 0;
      }
    }
    let fields: string | null = null;
    if (fieldsLen >= 0) {
      fields = text.slice(pos, pos + fieldsLen);
      pos += fieldsLen;
    }
    const line = nums[n + i];
    const template = nums[4 * n + i];
    const sev = ints[i];
    // Ids are explicit (1, 2, … in insertion order): the term index refers to rows by them.
    const id = seg.events + i + 1;
    params[0] = id;
    params[1] = Number.isNaN(ts) ? null : ts;
    params[2] = hostIdx < 0 ? null : hosts[hostIdx];
    params[3] = sourceId;
    params[4] = Number.isNaN(line) ? null : line;
    params[5] = nums[2 * n + i];
    params[6] = sev < 0 ? null : sev;
    params[7] = raw;
    params[8] = msg;
    params[9] = msgAt;
    params[10] = fields;
    params[11] = Number.isNaN(template) ? null : template;
    params[12] = nums[5 * n + i];
    seg.insert.run(params);
    if (indexTerms) seg.terms.add(id, raw, !Number.isNaN(ts));

    if (hostIdx >= 0) hostUsed[hostIdx] = 1;
    let src = seg.perSource.get(sourceId);
    if (!src) {
      src = { id: sourceId, events: 0, bytes: 0, tsMin: null, tsMax: null };
      seg.perSource.set(sourceId, src);
    }
    src.events++;
    src.bytes += Buffer.byteLength(raw) + 1;
    if (Number.isNaN(ts)) seg.untimed++;
    else {
      if (ts < seg.tsMin) seg.tsMin = ts;
      if (ts > seg.tsMax) seg.tsMax = ts;
      if (src.tsMin === null || ts < src.tsMin) src.tsMin = ts;
      if (src.tsMax === null || ts > src.tsMax) src.tsMax = ts;
    }
  }
  seg.db.exec('COMMIT');
  seg.events += n;
  for (let h = 0; h < hosts.length; h++) if (hostUsed[h]) seg.hosts.add(hosts[h]);
}

function seal(seg: OpenSegment, req: Extract<BuilderRequest, { type: 'seal' }>): SealedSegment {
  const { db } = seg;
  seg.insert.free();
  // The sidecar first: a segment file on disk always has its word index (and its memory is freed before the
  // segment's own indexes are built).
  if (indexTerms) {
    writeFileAtomicSync(
      termsFileFor(req.path),
      seg.terms.toBytes(SQL, { segmentId: seg.segId, events: seg.events }),
    );
  }
  db.exec('BEGIN');
  db.exec(SEGMENT_SEAL_DDL);
  const src = db.prepare('INSERT INTO sources(id, uri, format) VALUES (?,?,?)');
  for (const s of req.sources) if (seg.perSource.has(s.id)) src.run([s.id, s.uri, s.format]);
  src.free();
  const meta = db.prepare('INSERT INTO meta(key, value) VALUES (?,?)');
  meta.run(['schema_version', String(SEGMENT_SCHEMA_VERSION)]);
  meta.run(['segment_id', String(seg.segId)]);
  meta.run(['events', String(seg.events)]);
  meta.run(['sealed_at', new Date().toISOString()]);
  meta.free();
  db.exec('COMMIT');
  const bytes = db.export();
  db.close();
  writeFileAtomicSync(req.path, bytes);
  const timed = seg.events > seg.untimed;
  return {
    segId: seg.segId,
    events: seg.events,
    bytes: bytes.length,
    tsMin: timed ? seg.tsMin : null,
    tsMax: timed ? seg.tsMax : null,
    untimed: seg.untimed,
    sources: [...seg.perSource.keys()].sort((a, b) => a - b),
    hosts: [...seg.hosts].sort(),
    perSource: [...seg.perSource.values()],
  };
}

function handle(req: BuilderRequest): BuilderReply {
  if (req.type === 'batch') {
    if (open && open.segId !== req.segId) throw new Error(`segment ${open.segId} is still open`);
    open ??= startSegment(req.segId);
    insertBatch(open, req.cols);
    return { seq: req.seq, ok: true };
  }
  if (!open || open.segId !== req.segId) throw new Error(`segment ${req.segId} is not open`);
  const seg = open;
  open = null;
  try {
    return { seq: req.seq, ok: true, sealed: seal(seg, req) };
  } catch (err) {
    try {
      seg.db.close();
    } catch {
      // already closed by export()
    }
    throw err;
  }
}

port.on('message', (req: BuilderRequest) => {
  let reply: BuilderReply;
  try {
    reply = handle(req);
  } catch (err) {
    reply = { seq: req.seq, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
