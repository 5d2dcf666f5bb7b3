// Argument parsing shared by the commands: node's parseArgs, with its errors turned into UsageErrors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';
import { Workspace } from '../engine/store/index.ts';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

export const WORKSPACE_OPTION = { workspace: { type: 'string', short: 'w' } } as const;

/** The workspace folder from --workspace or $FLUMEN_WORKSPACE. */
export function workspaceDir(value: string | undefined): string {
  const dir = value ?? process.env.FLUMEN_WORKSPACE;
  if (!dir) throw new UsageError('--workspace DIR is required (or set FLUMEN_WORKSPACE)');
  return dir;
}

export async function openWorkspace(value: string | undefined, create = false): Promise<Workspace> {
  return Workspace.open(workspaceDir(value), { create });
}
