// The Electron shell's security: window options, navigation and window.open blocking, and the IPC handler's
// sender and message checks, against a real EngineService. `electron` is the one module mocked (no binary here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { API_LIMITS } from '../../../shared/api.ts';
import { EngineService } from '../../../electron/engine/service/engine-service.ts';
import { CALL_CHANNEL, handleCall, registerApiIpc } from '../../../electron/main/ipc.ts';
import { appUrlMatcher, createMainWindow } from '../../../electron/main/window.ts';
import { LOGHUB } from '../../helpers/cli.ts';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    openHandler: ((details: { url: string }) => unknown) | null = null;
    on(event: string, fn: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
      return this;
    }
    setWindowOpenHandler(fn: (details: { url: string }) => unknown) {
      this.openHandler = fn;
    }
    /** Fires `event` like Electron does and reports whether a listener called preventDefault(). */
    fire(event: string, ...args: unknown[]): boolean {
      let prevented = false;
      const e = { preventDefault: () => (prevented = true) };
      for (const fn of this.listeners.get(event) ?? []) fn(e, ...args);
      return prevented;
    }
  }
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = [];
    webContents = new FakeWebContents();
    loaded: string | null = null;
    constructor(readonly options: Record<string, unknown>) {
      FakeBrowserWindow.created.push(this);
    }
    once() {}
    show() {}
    async loadURL(url: string) {
      this.loaded = url;
    }
  }
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  return { FakeBrowserWindow, ipcMain, handlers };
});

vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow, ipcMain: fake.ipcMain }));

const INDEX = pathToFileURL('/opt/flumen/out/renderer/index.html').href;
const isAppUrl = appUrlMatcher(INDEX);

describe('the main window', () => {
  const win = createMainWindow({ preload: '/opt/flumen/out/preload/index.cjs', appUrl: INDEX, isAppUrl });
  const created = fake.FakeBrowserWindow.created.at(-1)!;

  it('is created with context isolation, the sandbox, no Node integration and web security', () => {
    expect(win).toBe(created);
    const prefs = created.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/opt/flumen/out/preload/index.cjs',
    });
    expect(created.loaded).toBe(INDEX);
  });

  it('blocks navigation and redirects away from the app, but allows reloading its own index', () => {
    const wc = created.webContents;
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-navigate', `${INDEX}#/search`)).toBe(false);
  });

  it('denies every new window and every <webview>', () => {
    const wc = created.webContents;
    expect(wc.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler?.({ url: INDEX })).toEqual({ action: 'deny' });
    expect(wc.fire('will-attach-webview', {}, {})).toBe(true);
  });

  it('recognises the app by its exact index file or its dev server origin', () => {
    expect(isAppUrl(`${INDEX}?x=1#y`)).toBe(true);
    expect(isAppUrl(pathToFileURL('/opt/flumen/out/renderer/other.html').href)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/')).toBe(false);
    const dev = appUrlMatcher('http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('the flumen:call IPC handler', () => {
  let dir: string;
  let service: EngineService;
  const deps = { api: () => service, isAppUrl };
  const from = (url: string, parent: unknown = null) =>
    ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-shell-'));
    service = await EngineService.open(path.join(dir, 'ws'), { create: true });
    const done = new Promise<void>((resolve) =>
      service.subscribe((n) => n.type === 'progress' && n.progress.done && resolve()),
    );
    await service.ingest({ paths: [path.join(LOGHUB, 'Linux', 'Linux_2k.log')] });
    await done;
  });

  afterAll(async () => {
    await service?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is registered on the flumen:call channel', () => {
    const unregister = registerApiIpc(fake.ipcMain as never, deps);
    expect(fake.handlers.has(CALL_CHANNEL)).toBe(true);
    unregister();
    expect(fake.handlers.has(CALL_CHANNEL)).toBe(false);
  });

  it('answers a good call from the app with the engine result', async () => {
    registerApiIpc(fake.ipcMain as never, deps);
    const handler = fake.handlers.get(CALL_CHANNEL)!;
    const reply = await handler(from(INDEX), {
      method: 'count',
      params: { query: 'sshd', from: null, to: null },
    });
    expect(reply).toEqual({ result: await service.count({ query: 'sshd', from: null, to: null }) });
    expect((reply as { result: number }).result).toBeGreaterThan(0);
  });

  it('carries the analysis methods like the others: a trace of an IP address, templates, anomalies', async () => {
    const ip = '218.188.2.4';
    const reply = await handleCall(from(INDEX), { method: 'trace', params: { id: ip } }, deps);
    expect(reply).toEqual({ result: await service.trace({ id: ip }) });
    const events = (reply as { result: { events: { raw: string }[] } }).result.events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.raw.includes(ip))).toBe(true);
    expect(await handleCall(from(INDEX), { method: 'templates' }, deps)).toEqual({
      result: await service.templates(),
    });
    expect(
      await handleCall(from(INDEX), { method: 'anomalies', params: { limit: 5, minScore: 0 } }, deps),
    ).toMatchObject({ result: expect.any(Array) });
    expect(await handleCall(from(INDEX), { method: 'trace', params: { id: 1 } }, deps)).toMatchObject({
      error: { code: 'invalid-request' },
    });
  });

  it('rejects calls from a foreign page and from a subframe of the app', async () => {
    const msg = { method: 'workspace' };
    for (const event of [from('https://evil.example/'), from('file:///tmp/evil.html'), from(INDEX, {})]) {
      expect(await handleCall(event, msg, deps)).toMatchObject({ error: { code: 'unauthorized' } });
    }
    const noFrame = { senderFrame: null } as unknown as IpcMainInvokeEvent;
    expect(await handleCall(noFrame, msg, deps)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('rejects malformed and oversized messages without reaching the engine', async () => {
    const bad: unknown[] = [
      null,
      'count',
      [1, 2],
      { method: 'count', params: { query: 'x', from: null, to: null }, extra: true },
      { method: 'count', params: { query: 1, from: null, to: null } },
      { method: 'eval', params: {} },
      { method: 'count', params: { query: 'x', from: 10n, to: null } },
      { method: 'ingest', params: { paths: ['x'.repeat(API_LIMITS.maxMessageBytes)] } },
    ];
    for (const message of bad) {
      const reply = await handleCall(from(INDEX), message, deps);
      expect(reply, String(typeof message)).toMatchObject({ error: { code: 'invalid-request' } });
    }
    expect(
      await handleCall(
        from(INDEX),
        { method: 'count', params: { query: 'a (', from: null, to: null } },
        deps,
      ),
    ).toMatchObject({ error: { code: 'bad-query', position: expect.any(Number) } });
  });
});
