// The store end to end on real files: 50k events through two segment-builder workers into tiny segments,
// reopened without parsing, read with the system sqlite3 and within a memory cap.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace, type SegmentMeta } from '../../../electron/engine/store/index.ts';
import { decodePostings } from '../../../electron/engine/store/postings.ts';
import { termsFileFor, UNTIMED_TERM } from '../../../electron/engine/store/term-index.ts';
import { countEvents } from '../../../electron/engine/query/index.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { T0, addTestSource, syntheticBatch, syntheticEvent } from './synthetic-events.ts';

const PER_SOURCE = 25_000;
const SEGMENT_EVENTS = 7_000;
const ROOT = path.resolve(import.meta.dirname, '../../..');

let dir: string;
let ids: number[];

function countWhere(pred: (k: number) => boolean): number {
  let n = 0;
  for (let k = 0; k < PER_SOURCE; k++) if (pred(k)) n++;
  return n * 2;
}

async function sumOverSegments(ws: Workspace, sql: string): Promise<number> {
  const reader = ws.reader();
  let total = 0;
  for (const seg of reader.segments()) {
    total += await reader.withSegment(seg, (db) => Number(db.exec(sql)[0].values[0][0]));
  }
  return total;
}

beforeAll(async () => {
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'flumen-store-')), 'ws');
  const ws = await Workspace.open(dir, { create: true });
  const a = addTestSource(ws, '/var/log/a.log', 'fp-a');
  const b = addTestSource(ws, '/var/log/b.log', 'fp-b');
  ids = [a.id, b.id];
  const writer = ws.writer({ workers: 2, maxSegmentEvents: SEGMENT_EVENTS });
  expect(writer.builders).toHaveLength(2);
  for (let start = 0; start < PER_SOURCE; start += 5000) {
    await writer.append(syntheticBatch(a.id, start, 5000));
    await writer.append(syntheticBatch(b.id, start, 5000));
  }
  await writer.commit();
  await writer.close();
  await ws.close();
});

afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

describe('a workspace written through two workers and reopened', () => {
  it('records every segment, bounded in size, with time ranges, sources and hosts', async () => {
    const ws = await Workspace.open(dir);
    const segs = ws.manifest().segments;
    expect(segs).toHaveLength(Math.ceil((2 * PER_SOURCE) / SEGMENT_EVENTS));
    expect(segs.reduce((n, s) => n + s.events, 0)).toBe(2 * PER_SOURCE);
    expect(segs.every((s) => s.events <= SEGMENT_EVENTS)).toBe(true);
    expect(segs.reduce((n, s) => n + s.untimed, 0)).toBe(countWhere((k) => k % 10 === 9));
    for (const s of segs) {
      expect(s.hosts).toEqual(['host0', 'host1', 'host2']);
      expect(statSync(ws.segmentFilePath(s.file)).size).toBe(s.bytes);
      expect(s.tsMin).not.toBeNull();
      expect(s.tsMin!).toBeLessThanOrEqual(s.tsMax!);
    }
    // Batches alternate between the sources, so the first segment holds both and time ranges overlap.
    expect(segs[0].sources).toEqual(ids);
    expect(segs[0].tsMin).toBe(T0);
    await ws.close();
  });

  it('keeps per-source counts, bytes and time ranges in the manifest', async () => {
    const ws = await Workspace.open(dir);
    let bytes = 0;
    for (let k = 0; k < PER_SOURCE; k++) bytes += Buffer.byteLength(syntheticEvent(1, k).raw) + 1;
    for (const s of ws.sources()) {
      expect(s.events).toBe(PER_SOURCE);
      expect(s.bytes).toBe(bytes);
      expect(s.tsMin).toBe(T0);
      expect(s.tsMax).toBe(T0 + (PER_SOURCE - 2) * 1000); // the last event (k % 10 === 9) has no time
    }
    expect(ws.findSourceByFingerprint('fp-b')?.uri).toBe('/var/log/b.log');
    await ws.close();
  });

  it('reopens with every event, without a writer', async () => {
    const ws = await Workspace.open(dir);
    expect(await sumOverSegments(ws, 'SELECT count(*) FROM events')).toBe(2 * PER_SOURCE);
    await ws.close();
  });

  it('reopens from a separate node process', () => {
    const out = execFileSync(
      process.execPath,
      [path.join(ROOT, 'bin/run-ts.mjs'), path.join(import.meta.dirname, 'fixtures/count-rows.ts'), dir],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({ events: 2 * PER_SOURCE, served: 2 * PER_SOURCE, segments: 8 });
  });

  it.runIf(requireProgram('sqlite3'))('writes segments the sqlite3 command line tool reads', async () => {
    const ws = await Workspace.open(dir);
    let total = 0;
    for (const s of ws.manifest().segments) {
      const out = execFileSync('sqlite3', [ws.segmentFilePath(s.file), 'SELECT count(*) FROM events'], {
        encoding: 'utf8',
      });
      total += Number(out.trim());
    }
    expect(total).toBe(2 * PER_SOURCE);
    const first = ws.segmentFilePath(ws.manifest().segments[0].file);
    const integrity = execFileSync('sqlite3', [first, 'PRAGMA integrity_check'], { encoding: 'utf8' });
    expect(integrity.trim()).toBe('ok');
    const terms = termsFileFor(first);
    expect(execFileSync('sqlite3', [terms, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim()).toBe(
      'ok',
    );
    const served = execFileSync('sqlite3', [terms, "SELECT n FROM terms WHERE term = 'served'"], {
      encoding: 'utf8',
    });
    expect(Number(served.trim())).toBe(ws.manifest().segments[0].events);
    await ws.close();
  });

  it('writes a terms sidecar beside every segment: words folded to lowercase, underscores inside words', async () => {
    const ws = await Workspace.open(dir);
    const reader = ws.reader();
    const postings = async (term: string) => {
      let total = 0;
      for (const seg of reader.segments()) {
        total += await reader.withTerms(seg, (terms) => {
          const e = terms!.get(term);
          if (!e) return 0;
          const { n } = e;
          const ids = decodePostings(e.rows, n);
          for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
          expect(ids[n - 1]).toBeLessThanOrEqual(seg.events);
          return n;
        });
      }
      return total;
    };
    expect(await postings('worker_3')).toBe(countWhere((k) => k % 7 === 3));
    expect(await postings('WORKER_3')).toBe(0); // keys are folded: the query stage folds too
    expect(await postings('worker')).toBe(0);
    expect(await postings('served')).toBe(2 * PER_SOURCE);
    expect(await postings(UNTIMED_TERM)).toBe(countWhere((k) => k % 10 === 9));
    for (const seg of reader.segments()) {
      expect(statSync(ws.segmentFilePath(termsFileFor(seg.file))).size).toBeLessThan(seg.bytes);
    }
    // Only sidecars were loaded.
    expect(reader.loadedFiles().every((f) => f.endsWith('.terms.sqlite'))).toBe(true);
    await ws.close();
  });

  it('counts words from the sidecars alone, equal to a scan of the lines', async () => {
    const ws = await Workspace.open(dir);
    const reader = ws.reader();
    const sources = ws.sources();
    const scan = (re: RegExp) => countWhere((k) => re.test(syntheticEvent(1, k).raw));
    expect(await countEvents(reader, sources, 'WORKER_3')).toBe(scan(/\bworker_3\b/i));
    expect(await countEvents(reader, sources, 'status 500')).toBe(scan(/^(?=.*\bstatus\b).*\b500\b/));
    expect(await countEvents(reader, sources, '(worker_1 OR worker_2) -host1')).toBe(
      scan(/^(?!.* host1 ).*\bworker_[12]\b/),
    );
    expect(reader.loadedFiles().every((f) => f.endsWith('.terms.sqlite'))).toBe(true);
    await ws.close();
  });

  it('still searches segments whose sidecar is missing or damaged, by scanning them', async () => {
    const copy = path.join(path.dirname(dir), 'ws-damaged');
    cpSync(dir, copy, { recursive: true });
    const ws = await Workspace.open(copy);
    const [first, second] = ws.manifest().segments;
    rmSync(ws.segmentFilePath(termsFileFor(first.file)));
    writeFileSync(ws.segmentFilePath(termsFileFor(second.file)), 'not a database, just text '.repeat(200));
    const reader = ws.reader();
    const want = countWhere((k) => k % 7 === 3);
    expect(await countEvents(reader, ws.sources(), 'worker_3')).toBe(want);
    expect(await countEvents(reader, ws.sources(), 'worker_3 status')).toBe(want);
    expect(reader.loadedFiles()).toContain(first.file);
    expect(reader.loadedFiles()).toContain(second.file);
    await ws.close();
    rmSync(copy, { recursive: true, force: true });
  });

  it('queries extracted fields with json_extract', async () => {
    const ws = await Workspace.open(dir);
    const n = await sumOverSegments(
      ws,
      "SELECT count(*) FROM events WHERE json_extract(fields, '$.status') = 500",
    );
    expect(n).toBe(countWhere((k) => k % 15 === 0));
    expect(await sumOverSegments(ws, 'SELECT count(*) FROM events WHERE fields IS NULL')).toBe(
      countWhere((k) => k % 3 !== 0),
    );
    await ws.close();
  });

  it('stores the message as an offset into the raw line and gives it back whole', async () => {
    const ws = await Workspace.open(dir);
    const reader = ws.reader();
    const seg = reader.segments()[0];
    const rows = await reader.withSegment(
      seg,
      (db) =>
        db.exec(
          'SELECT e.line, e.message, e.severity, e.host, e.source, e.ts, ev.msg FROM events e ' +
            'JOIN ev ON ev.id = e.id WHERE e.id <= 3 ORDER BY e.id',
        )[0].values,
    );
    for (const [line, message, severity, host, source, ts, msg] of rows) {
      const e = syntheticEvent(ids[0], Number(line) - 1);
      expect(message).toBe(e.message);
      expect(msg).toBeNull();
      expect(severity).toBe(e.severity);
      expect(host).toBe(e.host);
      expect(source).toBe('/var/log/a.log');
      expect(ts).toBe(new Date(e.ts!).toISOString());
    }
    await ws.close();
  });

  it('prunes segments by time range, source and host', async () => {
    const ws = await Workspace.open(dir);
    const reader = ws.reader();
    const all = reader.segments();
    const late = reader.segments({ from: T0 + (PER_SOURCE - 100) * 1000 });
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(all.length);
    expect(late.every((s: SegmentMeta) => s.tsMax! >= T0 + (PER_SOURCE - 100) * 1000)).toBe(true);
    expect(reader.segments({ to: T0 - 1 })).toEqual([]);
    expect(reader.segments({ hosts: ['nowhere'] })).toEqual([]);
    expect(reader.segments({ sourceIds: [999] })).toEqual([]);
    expect(reader.segments({ sourceIds: [ids[1]] }).length).toBe(all.length);
    await ws.close();
  });

  it('keeps only as many segments loaded as fit in the memory cap', async () => {
    const ws = await Workspace.open(dir);
    const segs = ws.manifest().segments;
    const biggest = Math.max(...segs.map((s) => s.bytes));
    const reader = ws.reader({ memoryCapBytes: biggest * 2 + 1 });
    let total = 0;
    for (const seg of segs) {
      total += await reader.withSegment(seg, (db) =>
        Number(db.exec('SELECT count(*) FROM ev')[0].values[0][0]),
      );
      expect(reader.loadedFiles().length).toBeLessThanOrEqual(2);
      expect(reader.bytesLoaded).toBeLessThanOrEqual(biggest * 2 + 1);
    }
    expect(total).toBe(2 * PER_SOURCE);
    expect(reader.loadedFiles()).toEqual(segs.slice(-2).map((s) => s.file));
    await ws.close();
  });

  it('matches the REGEXP operator with a cached JavaScript regex', async () => {
    const ws = await Workspace.open(dir);
    const n = await sumOverSegments(ws, "SELECT count(*) FROM events WHERE message REGEXP 'status 5\\d\\d$'");
    expect(n).toBe(countWhere((k) => k % 5 === 0));
    const ci = await sumOverSegments(ws, "SELECT count(*) FROM events WHERE raw REGEXP '(?i)WORKER_6 '");
    expect(ci).toBe(countWhere((k) => k % 7 === 6));
    await ws.close();
  });
});
