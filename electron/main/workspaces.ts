// The desktop app's workspaces: folders under <userData>/workspaces, one per investigation, plus a small state
// file remembering which were opened last. Plain Node: no Electron import, so it is tested directly.
import fs from 'node:fs';
import path from 'node:path';

export interface WorkspaceEntry {
  name: string;
  dir: string;
  /** When the app last opened it (ms), or null. */
  openedAt: number | null;
}

const STATE_FILE = '.recent.json';
/** Letters, digits, space, dot, dash, underscore; no leading dot or space (hidden files, trimmed names). */
const NAME = /^[\p{L}\p{N}_-][\p{L}\p{N} ._-]{0,63}$/u;
export const DEFAULT_WORKSPACE = 'Default';

export class WorkspaceFolders {
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  list(): WorkspaceEntry[] {
    const opened = this.readState();
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && NAME.test(d.name))
      .map((d) => ({ name: d.name, dir: path.join(this.root, d.name), openedAt: opened[d.name] ?? null }))
      .sort((a, b) => (b.openedAt ?? 0) - (a.openedAt ?? 0) || a.name.localeCompare(b.name));
  }

  /** Most recently opened first. */
  recent(limit = 10): WorkspaceEntry[] {
    return this.list()
      .filter((w) => w.openedAt != null)
      .slice(0, limit);
  }

  dirOf(name: string): string {
    checkName(name);
    return path.join(this.root, name);
  }

  exists(name: string): boolean {
    return fs.existsSync(this.dirOf(name));
  }

  /** Creates an empty folder (the engine writes the workspace into it on open). */
  create(name: string): WorkspaceEntry {
    const dir = this.dirOf(name);
    if (fs.existsSync(dir)) throw new Error(`a workspace named "${name}" already exists`);
    fs.mkdirSync(dir);
    return { name, dir, openedAt: null };
  }

  /** A name not in use yet: "Untitled", "Untitled 2", … */
  freshName(base = 'Untitled'): string {
    for (let i = 1; ; i++) {
      const name = i === 1 ? base : `${base} ${i}`;
      if (!this.exists(name)) return name;
    }
  }

  rename(from: string, to: string): WorkspaceEntry {
    const src = this.dirOf(from);
    const dst = this.dirOf(to);
    if (!fs.existsSync(src)) throw new Error(`no workspace named "${from}"`);
    if (fs.existsSync(dst)) throw new Error(`a workspace named "${to}" already exists`);
    fs.renameSync(src, dst);
    const state = this.readState();
    const openedAt = state[from] ?? null;
    delete state[from];
    if (openedAt != null) state[to] = openedAt;
    this.writeState(state);
    return { name: to, dir: dst, openedAt };
  }

  remove(name: string): void {
    const dir = this.dirOf(name);
    fs.rmSync(dir, { recursive: true, force: true });
    const state = this.readState();
    delete state[name];
    this.writeState(state);
  }

  /** Records that the workspace was opened now (for Recent Workspaces and reopening on start). */
  touch(name: string, now = Date.now()): void {
    checkName(name);
    const state = this.readState();
    state[name] = now;
    this.writeState(state);
  }

  /** The workspace to open at start: the last one opened, else Default (created when missing). */
  startup(): WorkspaceEntry {
    const last = this.recent(1)[0];
    if (last) return last;
    if (!this.exists(DEFAULT_WORKSPACE)) this.create(DEFAULT_WORKSPACE);
    return { name: DEFAULT_WORKSPACE, dir: this.dirOf(DEFAULT_WORKSPACE), openedAt: null };
  }

  private readState(): Record<string, number> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(path.join(this.root, STATE_FILE), 'utf8'));
      if (!parsed || typeof parsed !== 'object') return {};
      return Object.fromEntries(
        Object.entries(parsed).filter(([k, v]) => NAME.test(k) && typeof v === 'number'),
      ) as Record<string, number>;
    } catch {
      return {};
    }
  }

  private writeState(state: Record<string, number>): void {
    const file = path.join(this.root, STATE_FILE);
    fs.writeFileSync(file + '.tmp', JSON.stringify(state));
    fs.renameSync(file + '.tmp', file);
  }
}

export function checkName(name: string): void {
  if (!NAME.test(name) || name.endsWith(' ') || name.endsWith('.')) {
    throw new Error(`"${name}" is not a usable workspace name (letters, digits, space . _ -; up to 64)`);
  }
}
