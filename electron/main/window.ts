// The app's one window, locked down after Electron's security checklist: isolated, sandboxed renderer without
// Node; no navigation away from the app, no new windows, no <webview>, no permissions.
import { BrowserWindow, type WebContents, type WebPreferences } from 'electron';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // A file dropped outside the drop zone must not replace the app with the file's contents.
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export interface MainWindowOptions {
  preload: string;
  /** The app's index: out/renderer/index.html as a file:// URL, or the Vite dev server's URL. */
  appUrl: string;
  isAppUrl(url: string): boolean;
  title?: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: opts.title ?? 'Flumen',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(opts.preload),
  });
  lockDownContents(win.webContents, opts.isAppUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.appUrl);
  return win;
}

/** Blocks navigation (links, drops, redirects, scripts setting location) and every new window. */
export function lockDownContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    // A reload of the app's own index is the only navigation allowed.
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The test of "is this URL the app itself" for a file:// index or a dev server origin (query and hash ignored). */
export function appUrlMatcher(appUrl: string): (url: string) => boolean {
  const app = new URL(appUrl);
  const devServer = app.protocol === 'http:' || app.protocol === 'https:';
  return (url: string) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (devServer) return u.origin === app.origin;
    return u.protocol === 'file:' && u.pathname === app.pathname;
  };
}
