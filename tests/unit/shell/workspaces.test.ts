// Workspace folders of the desktop app, the application menu's entries and command-line paths: plain Node, real
// folders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pathsFromArgv } from '../../../electron/main/argv-paths.ts';
import { menuTemplate, type MenuActions } from '../../../electron/main/menu.ts';
import { DEFAULT_WORKSPACE, WorkspaceFolders } from '../../../electron/main/workspaces.ts';

const temps: string[] = [];
function temp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-wsf-'));
  temps.push(d);
  return d;
}
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('WorkspaceFolders', () => {
  it('creates, renames, reopens (most recent first) and deletes workspaces', () => {
    const root = path.join(temp(), 'workspaces');
    const f = new WorkspaceFolders(root);
    expect(f.startup().name).toBe(DEFAULT_WORKSPACE);
    expect(fs.existsSync(path.join(root, DEFAULT_WORKSPACE))).toBe(true);
    f.create('incident 42');
    f.touch(DEFAULT_WORKSPACE, 1000);
    f.touch('incident 42', 2000);
    expect(f.recent().map((w) => w.name)).toEqual(['incident 42', DEFAULT_WORKSPACE]);
    expect(f.startup().name).toBe('incident 42');
    f.rename('incident 42', 'outage-2024');
    expect(fs.existsSync(path.join(root, 'outage-2024'))).toBe(true);
    expect(f.recent()[0]).toMatchObject({ name: 'outage-2024', openedAt: 2000 });
    f.remove('outage-2024');
    expect(f.list().map((w) => w.name)).toEqual([DEFAULT_WORKSPACE]);
    expect(f.freshName()).toBe('Untitled');
    f.create('Untitled');
    expect(f.freshName()).toBe('Untitled 2');
  });

  it('refuses names that would escape the folder or hide, and duplicates', () => {
    const f = new WorkspaceFolders(temp());
    for (const bad of ['../x', 'a/b', '.hidden', '', ' lead', 'x'.repeat(65), 'trail.', 'nul\0']) {
      expect(() => f.create(bad), bad).toThrow(/not a usable workspace name/);
    }
    f.create('ok');
    expect(() => f.create('ok')).toThrow(/already exists/);
    expect(() => f.rename('missing', 'other')).toThrow(/no workspace/);
  });
});

describe('the application menu', () => {
  it('has the File entries, Recent Workspaces, View and Help, wired to their actions', () => {
    const calls: string[] = [];
    const actions: MenuActions = {
      open: (k) => calls.push(`open:${k}`),
      newWorkspace: () => calls.push('new'),
      newClickHouseWorkspace: () => calls.push('clickhouse'),
      openWorkspace: (n) => calls.push(`ws:${n}`),
      closeWorkspace: () => calls.push('close'),
      deleteWorkspace: () => calls.push('delete'),
      about: () => calls.push('about'),
      querySyntax: () => calls.push('syntax'),
    };
    const menu = menuTemplate(actions, { current: 'a', recent: ['a', 'b'], isMac: false, dev: false });
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'help']);
    const file = menu[0].submenu as { label?: string; click?: () => void; submenu?: unknown }[];
    const byLabel = (l: string) => file.find((i) => i.label === l)!;
    for (const l of [
      'Open File…',
      'Open Folder…',
      'Open Bundle…',
      'New ClickHouse Workspace…',
      'Close Workspace',
    ])
      byLabel(l).click!();
    const recent = byLabel('Recent Workspaces').submenu as {
      label: string;
      checked: boolean;
      click: () => void;
    }[];
    expect(recent.map((r) => [r.label, r.checked])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    recent[1].click();
    expect(calls).toEqual(['open:file', 'open:folder', 'open:bundle', 'clickhouse', 'close', 'ws:b']);
  });
});

describe('paths from the command line', () => {
  it('keeps existing paths (resolved against the launch folder) and drops options and the app path', () => {
    const dir = temp();
    fs.writeFileSync(path.join(dir, 'a.log'), 'x\n');
    const argv = ['/usr/bin/electron', '.', '--enable-logging', 'a.log', 'missing.log', '--', '-odd'];
    fs.writeFileSync(path.join(dir, '-odd'), 'y\n');
    expect(pathsFromArgv(argv, dir, 2)).toEqual([path.join(dir, 'a.log'), path.join(dir, '-odd')]);
  });
});
