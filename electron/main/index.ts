// The desktop app's main process: one window, one workspace at a time, the engine in a worker thread.
// Everything the renderer can do goes through the validated `flumen:call` IPC channel (ipc.ts).
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FlumenApi } from '../../shared/api.ts';
import { EngineWorkerClient } from '../engine/service/worker-client.ts';
import { pathsFromArgv } from './argv-paths.ts';
import {
  boundStoreUrl,
  isClickHouseWorkspace,
  openWithStorePassword,
  storeUrlForWorkspace,
} from './clickhouse-password.ts';
import { APP_CSP } from './csp.ts';
import { safeStorageVault } from './secret-vault.ts';
import type { SecretVault } from '../engine/service/secret-vault.ts';
import { NOTICE_CHANNEL, registerApiIpc } from './ipc.ts';
import { BUNDLE_FILTERS, menuTemplate, type OpenKind } from './menu.ts';
import { promptStore } from './store-prompt.ts';
import { appUrlMatcher, createMainWindow } from './window.ts';
import { DEFAULT_WORKSPACE, WorkspaceFolders } from './workspaces.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built: out/main/index.js, beside out/preload and out/renderer. */
const OUT = path.resolve(here, '..');
const devUrl = !app.isPackaged ? process.env.FLUMEN_DEV_URL : undefined;
const appUrl = devUrl ?? pathToFileURL(path.join(OUT, 'renderer', 'index.html')).href;
const isAppUrl = appUrlMatcher(appUrl);
const ARGV_SKIP = app.isPackaged ? 1 : 2;

let win: BrowserWindow | null = null;
let engine: EngineWorkerClient | null = null;
let current = DEFAULT_WORKSPACE;
let stopNotices: (() => void) | null = null;
let folders: WorkspaceFolders;
/** Live sources' secrets are sealed with safeStorage, when the OS offers a real keychain (set once ready). */
let vault: SecretVault | null = null;
/** Paths that arrived before the engine was ready (argv of the first launch, macOS open-file). */
const pendingPaths: string[] = [];

/** `store`: a ClickHouse URL with its password, when one was just typed; else the workspace's own (sealed) one. */
async function openWorkspace(name: string, store?: string): Promise<void> {
  const dir = folders.dirOf(name);
  // Before the open workspace closes: a missing or undecryptable password then leaves it open.
  const storeUrl = store ?? (await storeUrlForWorkspace(dir, vault));
  const old = engine;
  engine = null;
  stopNotices?.();
  if (old) await old.close();
  engine = await EngineWorkerClient.start(dir, {
    create: true,
    store: storeUrl,
    // Built (out/main/index.js): the engine runs from the project's sources (electron/, shared/) through tsx.
    sourceRoot: import.meta.url.endsWith('.js') ? path.resolve(OUT, '..') : undefined,
    vault,
  });
  current = name;
  folders.touch(name);
  stopNotices = engine.subscribe((notice) => win?.webContents.send(NOTICE_CHANNEL, notice));
  win?.setTitle(`${name} — Flumen`);
  refreshMenu();
  if (win && old) win.webContents.reload();
  flushPending();
}

function ingest(paths: string[]): void {
  if (paths.length === 0) return;
  if (!engine) {
    pendingPaths.push(...paths);
    return;
  }
  // Errors come back as a failed job's progress notice; nothing to do with the reply here.
  void engine.ingest({ paths }).catch((err: unknown) => showError('Could not open', err));
}

function flushPending(): void {
  if (pendingPaths.length > 0) ingest(pendingPaths.splice(0));
}

async function pickAndIngest(kind: OpenKind): Promise<void> {
  if (!win) return;
  const result = await dialog.showOpenDialog(win, {
    title: kind === 'folder' ? 'Open Folder' : kind === 'bundle' ? 'Open Bundle' : 'Open File',
    properties: kind === 'folder' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
    filters: kind === 'bundle' ? BUNDLE_FILTERS : undefined,
  });
  if (!result.canceled) ingest(result.filePaths);
}

async function deleteCurrent(): Promise<void> {
  if (!win) return;
  const { response } = await dialog.showMessageBox(win, {
    type: 'warning',
    buttons: ['Delete', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Delete the workspace "${current}"?`,
    detail: 'Its stored events are removed. The original log files are not touched.',
  });
  if (response !== 0) return;
  const doomed = current;
  const next = folders.list().find((w) => w.name !== doomed)?.name ?? DEFAULT_WORKSPACE;
  await switchTo(next);
  folders.remove(doomed);
  refreshMenu();
}

async function switchTo(name: string): Promise<void> {
  try {
    await openWorkspace(name);
  } catch (err) {
    if (isClickHouseWorkspace(folders.dirOf(name))) await offerPassword(name, err);
    else showError(`Could not open the workspace "${name}"`, err);
  }
}

/** A ClickHouse workspace that did not open (no saved password, a changed one, a server away): offers to retype. */
async function offerPassword(name: string, err: unknown): Promise<void> {
  const dir = folders.dirOf(name);
  for (let reason = err; ;) {
    const { response } = await dialog.showMessageBox({
      type: 'error',
      buttons: ['Enter Password…', 'Cancel'],
      defaultId: 0,
      cancelId: 1,
      message: `Could not open the workspace "${name}"`,
      detail: reason instanceof Error ? reason.message : String(reason),
    });
    if (response !== 0) return;
    const answer = await promptStore(win, {
      title: 'ClickHouse Password',
      message: `The workspace "${name}" keeps its events in this ClickHouse database.`,
      url: boundStoreUrl(dir) ?? undefined,
    });
    if (!answer) return;
    try {
      await openWithStorePassword(dir, answer, vault, (store) => openWorkspace(name, store));
      return;
    } catch (again) {
      reason = again;
    }
  }
}

/** File > New ClickHouse Workspace…: a new workspace bound to the database the person names. */
async function newClickHouseWorkspace(): Promise<void> {
  const answer = await promptStore(win, {
    title: 'New ClickHouse Workspace',
    message:
      'The new workspace keeps its events in this ClickHouse database; its password stays in the system keychain.',
  });
  if (!answer) return;
  const previous = current;
  const name = folders.create(folders.freshName('ClickHouse')).name;
  try {
    await openWithStorePassword(folders.dirOf(name), answer, vault, (store) => openWorkspace(name, store));
  } catch (err) {
    showError('Could not open the ClickHouse store', err);
    if (current === name || !engine) await switchTo(previous);
    folders.remove(name);
    refreshMenu();
  }
}

function refreshMenu(): void {
  const template = menuTemplate(
    {
      open: (kind) => void pickAndIngest(kind),
      newWorkspace: () => void switchTo(folders.create(folders.freshName()).name),
      newClickHouseWorkspace: () => void newClickHouseWorkspace(),
      openWorkspace: (name) => void switchTo(name),
      closeWorkspace: () => void switchTo(DEFAULT_WORKSPACE),
      deleteWorkspace: () => void deleteCurrent(),
      about: () =>
        void dialog.showMessageBox({
          message: `Flumen ${app.getVersion()}`,
          detail: 'Investigate logs on your own machine.',
        }),
      querySyntax: () =>
        void dialog.showMessageBox({
          message: 'Query syntax',
          detail:
            'word  "exact phrase"  /regex/  host:web1  sev>=warn  status:500  latency_ms>500\n' +
            '-term  NOT  OR  ( … )  since:15m  from:2024-01-01T10:00 to:2024-01-01T11:00',
        }),
    },
    {
      current,
      recent: folders.recent().map((w) => w.name),
      isMac: process.platform === 'darwin',
      dev: !app.isPackaged,
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function showError(title: string, err: unknown): void {
  dialog.showErrorBox(title, err instanceof Error ? err.message : String(err));
}

async function start(): Promise<void> {
  folders = new WorkspaceFolders(path.join(app.getPath('userData'), 'workspaces'));
  vault = await safeStorageVault(safeStorage);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  registerApiIpc(ipcMain, { api: (): FlumenApi | null => engine, isAppUrl });
  win = createMainWindow({ preload: path.join(OUT, 'preload', 'index.cjs'), appUrl, isAppUrl });
  win.on('closed', () => (win = null));
  await switchTo(folders.startup().name);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  pendingPaths.push(...pathsFromArgv(process.argv, process.cwd(), ARGV_SKIP));
  app.on('second-instance', (_event, argv, cwd) => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
    ingest(pathsFromArgv(argv, cwd, ARGV_SKIP));
  });
  // macOS: files opened through the file associations (may fire before ready).
  app.on('open-file', (event, file) => {
    event.preventDefault();
    ingest([file]);
  });
  app.on('window-all-closed', () => {
    void (engine?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
  app.whenReady().then(start, (err: unknown) => {
    showError('Flumen could not start', err);
    app.quit();
  });
}
