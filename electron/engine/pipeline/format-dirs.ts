// Where user-defined formats live: the workspace's own `formats/` folder, then the user's config folder.
import os from 'node:os';
import path from 'node:path';

export function userConfigDir(): string {
  if (process.env.FLUMEN_CONFIG_DIR) return process.env.FLUMEN_CONFIG_DIR;
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Flumen');
  if (process.platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Application Support', 'Flumen');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'flumen');
}

export function formatDirsFor(workspaceDir: string): string[] {
  return [path.join(workspaceDir, 'formats'), path.join(userConfigDir(), 'formats')];
}
