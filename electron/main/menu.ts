// The application menu. Its actions are handed in, so the template is plain data (and the shell's one place
// for dialogs is index.ts).
import type { MenuItemConstructorOptions } from 'electron';

export type OpenKind = 'file' | 'folder' | 'bundle';

export interface MenuActions {
  open(kind: OpenKind): void;
  newWorkspace(): void;
  /** A new workspace whose events live in a ClickHouse database (asks for the store URL and password). */
  newClickHouseWorkspace(): void;
  openWorkspace(name: string): void;
  closeWorkspace(): void;
  deleteWorkspace(): void;
  about(): void;
  querySyntax(): void;
}

export interface MenuState {
  current: string;
  recent: string[];
  isMac: boolean;
  dev: boolean;
}

export function menuTemplate(a: MenuActions, s: MenuState): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] =
    s.recent.length > 0
      ? s.recent.map((name) => ({
          label: name,
          type: 'radio' as const,
          checked: name === s.current,
          click: () => a.openWorkspace(name),
        }))
      : [{ label: 'No recent workspaces', enabled: false }];
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open File…', accelerator: 'CmdOrCtrl+O', click: () => a.open('file') },
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => a.open('folder') },
      { label: 'Open Bundle…', click: () => a.open('bundle') },
      { type: 'separator' },
      { label: 'New Workspace', accelerator: 'CmdOrCtrl+N', click: () => a.newWorkspace() },
      { label: 'New ClickHouse Workspace…', click: () => a.newClickHouseWorkspace() },
      { label: 'Recent Workspaces', submenu: recent },
      { label: 'Close Workspace', accelerator: 'CmdOrCtrl+W', click: () => a.closeWorkspace() },
      { label: 'Delete Workspace…', click: () => a.deleteWorkspace() },
      { type: 'separator' },
      s.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(s.dev ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Query Syntax', click: () => a.querySyntax() },
      { label: 'About Flumen', click: () => a.about() },
    ],
  };
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  return [...(s.isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []), file, edit, view, help];
}

/** The dialog filters of Open Bundle…: the archive kinds ingest reads. */
export const BUNDLE_FILTERS = [
  { name: 'Log bundles', extensions: ['zip', 'tgz', 'gz', 'tar', 'bz2'] },
  { name: 'All files', extensions: ['*'] },
];
