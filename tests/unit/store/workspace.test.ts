// Workspace folders: creating, reopening, refusing what is not a workspace, one writer at a time, the
// message/offset encoding with characters JavaScript and SQLite count differently.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/event.ts';
import { LOCK_FILE, MANIFEST_FILE, Workspace } from '../../../electron/engine/store/index.ts';
import { T0, addTestSource, syntheticBatch } from './synthetic-events.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'flumen-ws-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function event(sourceId: number, raw: string, message: string, line: number): LogEvent {
  return {
    ts: T0 + line,
    host: null,
    sourceId,
    line,
    offset: 0,
    severity: null,
    message,
    raw,
    fields: {},
    template: null,
    anomaly: 0,
  };
}

describe('Workspace.open', () => {
  it('creates the folder, the manifest and segments/ when asked to', async () => {
    const dir = path.join(root, 'new', 'ws');
    const ws = await Workspace.open(dir, { create: true });
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ version: 1, sources: [], segments: [] });
    expect(ws.dir).toBe(dir);
    await ws.close();
    const again = await Workspace.open(dir, { create: true });
    expect(again.manifest().createdAt).toBe(manifest.createdAt);
  });

  it('refuses a folder that is not a workspace, naming it', async () => {
    await expect(Workspace.open(root)).rejects.toThrow(`${root} is not a Flumen workspace (no flumen.json)`);
    await expect(Workspace.open(path.join(root, 'missing'))).rejects.toThrow('does not exist');
    writeFileSync(path.join(root, 'notes.txt'), 'mine');
    await expect(Workspace.open(root, { create: true })).rejects.toThrow('is not empty and is not a Flumen');
  });

  it('gives a clear error for a corrupt manifest', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    writeFileSync(path.join(ws.dir, MANIFEST_FILE), '{"version": 1, "sources": [');
    await expect(Workspace.open(ws.dir)).rejects.toThrow(/workspace manifest .*flumen\.json is corrupt/);
    writeFileSync(path.join(ws.dir, MANIFEST_FILE), '{"version": 1, "sources": {}, "segments": []}');
    await expect(Workspace.open(ws.dir)).rejects.toThrow(/is corrupt: unexpected structure/);
  });

  it('refuses a manifest written by a newer version', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    writeFileSync(
      path.join(ws.dir, MANIFEST_FILE),
      JSON.stringify({ version: 2, sources: [], segments: [] }),
    );
    await expect(Workspace.open(ws.dir)).rejects.toThrow('was written by a newer Flumen (manifest version 2');
  });
});

describe('sources', () => {
  it('gives ids unique across the workspace, kept after a commit and a reopen', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const w = ws.writer();
    const a = addTestSource(ws, 'a.log', 'fa');
    await w.commit();
    await w.close();
    const reopened = await Workspace.open(ws.dir);
    const b = addTestSource(reopened, 'b.log', 'fb');
    expect(b.id).not.toBe(a.id);
    reopened.updateSource(b.id, { errors: ['truncated'] });
    expect(reopened.findSourceByFingerprint('fb')?.errors).toEqual(['truncated']);
    // Uncommitted sources do not reach the manifest on disk.
    expect((await Workspace.open(ws.dir)).sources().map((s) => s.uri)).toEqual(['a.log']);
  });

  it('sees another process commit after refresh()', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const other = await Workspace.open(ws.dir);
    const w = ws.writer({ maxSegmentEvents: 100 });
    const s = addTestSource(ws, 'a.log');
    await w.append(syntheticBatch(s.id, 0, 250));
    await w.commit();
    await w.close();
    expect(other.manifest().segments).toHaveLength(0);
    await other.refresh();
    expect(other.manifest().segments.map((x) => x.events)).toEqual([100, 100, 50]);
    expect(other.sources()[0].events).toBe(250);
  });
});

describe('the writer lock', () => {
  it('refuses a second writer while the first is open, and frees the workspace on close', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const second = await Workspace.open(ws.dir);
    const w = ws.writer();
    expect(() => second.writer()).toThrow(`workspace ${ws.dir} is in use by pid ${process.pid}`);
    await w.close();
    const w2 = second.writer();
    await w2.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(path.join(ws.dir, LOCK_FILE), `${dead.stdout}\n`);
    const w = ws.writer();
    expect(readFileSync(path.join(ws.dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await w.close();
  });

  it('removes segment files a crashed writer left behind', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    mkdirSync(path.join(ws.dir, 'segments'), { recursive: true });
    writeFileSync(path.join(ws.dir, 'segments', '000001.sqlite'), 'half a segment');
    const w = ws.writer();
    const s = addTestSource(ws, 'a.log');
    await w.append(syntheticBatch(s.id, 0, 10));
    await w.commit();
    await w.close();
    const reader = ws.reader();
    const n = await reader.withSegment(
      reader.segments()[0],
      (db) => db.exec('SELECT count(*) FROM ev')[0].values,
    );
    expect(n).toEqual([[10]]);
  });

  it("removes a crashed writer's word-index sidecars too, and keeps those of committed segments", async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const w = ws.writer();
    const s = addTestSource(ws, 'a.log');
    await w.append(syntheticBatch(s.id, 0, 10));
    await w.commit();
    await w.close();
    const segments = path.join(ws.dir, 'segments');
    writeFileSync(path.join(segments, '000099.sqlite'), 'half a segment');
    writeFileSync(path.join(segments, '000099.terms.sqlite'), 'half a sidecar');
    await ws.writer().close();
    expect(readdirSync(segments).sort()).toEqual(['000001.sqlite', '000001.terms.sqlite']);
  });
});

describe('message storage', () => {
  it('rebuilds every message in SQL, with emoji and other surrogate pairs before and inside it', async () => {
    const ws = await Workspace.open(path.join(root, 'ws'), { create: true });
    const s = addTestSource(ws, 'u.log');
    const events = [
      event(s.id, 'host app: plain tail', 'plain tail', 1),
      event(s.id, '🚀 host app: after an emoji', 'after an emoji', 2),
      event(s.id, 'host app: ends in 🔥 fire', 'ends in 🔥 fire', 3),
      event(s.id, 'née café: accents are one unit', 'accents are one unit', 4),
      event(s.id, '{"msg":"json line"}', 'json line', 5),
      event(s.id, 'nothing', '', 6),
      event(s.id, '𝔘 host: 𝔪𝔞𝔱𝔥', '𝔪𝔞𝔱𝔥', 7),
    ];
    const w = ws.writer();
    await w.append(events);
    await w.commit();
    await w.close();
    const reader = ws.reader();
    const rows = await reader.withSegment(
      reader.segments()[0],
      (db) =>
        db.exec(
          'SELECT e.message, ev.msg IS NULL, ev.msg_at FROM events e JOIN ev ON ev.id = e.id ORDER BY e.id',
        )[0].values,
    );
    expect(rows.map((r) => r[0])).toEqual(events.map((e) => e.message));
    // Offsets are used where JS and SQLite count alike; otherwise the message is stored whole.
    expect(rows.map((r) => r[1])).toEqual([1, 0, 1, 1, 0, 1, 0]);
    expect(rows[2][2]).toBe('host app: '.length);
  });
});
