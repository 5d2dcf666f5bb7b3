// The one dialog Electron has no native form for: a ClickHouse store URL and its password. A small modal window
// with a page of our own (a data: URL, no preload, no Node, no navigation, scripts blocked by its CSP); the main
// process installs the form's handlers with executeJavaScript and reads the answer as that call's result, so the
// password crosses no IPC channel, URL or title, and is neither logged nor kept by this module.
import { BrowserWindow } from 'electron';
import type { StoreAnswer } from './clickhouse-password.ts';
import { lockDownContents, secureWebPreferences } from './window.ts';

export interface StorePromptOptions {
  title: string;
  /** Shown above the form: what the store is for, or why the password is asked for again. */
  message: string;
  /** Prefilled URL (the workspace's store when its password is asked for again). */
  url?: string;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'";

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function promptPage(opts: StorePromptOptions): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}"><title>${escapeHtml(opts.title)}</title>
<style>
body{font:13px system-ui,sans-serif;background:#1e1e1e;color:#ddd;margin:16px}
label{display:block;margin:10px 0 4px}input{width:100%;box-sizing:border-box;padding:5px;background:#2a2a2a;
color:#eee;border:1px solid #555;border-radius:3px}.buttons{margin-top:16px;text-align:right}
button{margin-left:8px;padding:5px 14px}p{margin:0 0 8px;color:#bbb}
</style></head><body><form id="f" autocomplete="off">
<p>${escapeHtml(opts.message)}</p>
<label for="url">Store URL</label>
<input id="url" name="url" required spellcheck="false" placeholder="clickhouse://user@host:8123/database"
 value="${escapeHtml(opts.url ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password">
<div class="buttons"><button type="button" id="cancel">Cancel</button><button type="submit">Open</button></div>
</form></body></html>`;
}

/** Runs in the page (executeJavaScript): resolves with the answer on submit, null on Cancel or Escape. */
export const COLLECT_ANSWER = `new Promise((resolve) => {
  const f = document.getElementById('f');
  const url = document.getElementById('url');
  (url.value ? document.getElementById('password') : url).focus();
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    resolve({ url: url.value, password: document.getElementById('password').value });
  });
  document.getElementById('cancel').addEventListener('click', () => resolve(null));
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') resolve(null); });
})`;

/** Asks for a store URL and password; null when the person cancels or closes the window. */
export async function promptStore(
  parent: BrowserWindow | null,
  opts: StorePromptOptions,
): Promise<StoreAnswer | null> {
  const { preload: _none, ...prefs } = secureWebPreferences('');
  const win = new BrowserWindow({
    ...(parent ? { parent, modal: true } : {}),
    width: 520,
    height: 270,
    resizable: false,
    minimizable: false,
    maximizable: false,
    title: opts.title,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: prefs,
  });
  win.setMenu(null);
  lockDownContents(win.webContents, () => false);
  const closed = new Promise<null>((resolve) => win.once('closed', () => resolve(null)));
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(promptPage(opts))}`);
    win.show();
    const answer = (await Promise.race([
      win.webContents.executeJavaScript(COLLECT_ANSWER),
      closed,
    ])) as unknown;
    return isAnswer(answer) ? answer : null;
  } finally {
    if (!win.isDestroyed()) win.close();
  }
}

function isAnswer(value: unknown): value is StoreAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.url === 'string' && typeof v.password === 'string';
}
