// Argument parsing shared by the commands: node's parseArgs, with its errors turned into UsageErrors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';
import { Workspace } from '../engine/store/index.ts';
import type { EventStore } from '../engine/query/event-store.ts';
import { openEventStore } from '../engine/service/open-store.ts';
import { StoreUrlError } from '../engine/store/clickhouse/url.ts';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

export const WORKSPACE_OPTION = { workspace: { type: 'string', short: 'w' } } as const;

/** `--store clickhouse://user:pass@host:8123/db` (clickhouses:// for TLS; password also FLUMEN_CLICKHOUSE_PASSWORD). */
export const STORE_OPTION = { store: { type: 'string' } } as const;

/** The workspace's event store: --store binds a new workspace to ClickHouse; a bound one remembers it. */
export async function openStore(ws: Workspace, store: string | undefined): Promise<EventStore> {
  try {
    return await openEventStore(ws, ws.reader(), {
      store,
      log: (line) => process.stderr.write(`flumen: ${line}\n`),
    });
  } catch (err) {
    if (err instanceof StoreUrlError) throw new UsageError(err.message);
    throw err;
  }
}

/** The workspace folder from --workspace or $FLUMEN_WORKSPACE. */
export function workspaceDir(value: string | undefined): string {
  const dir = value ?? process.env.FLUMEN_WORKSPACE;
  if (!dir) throw new UsageError('--workspace DIR is required (or set FLUMEN_WORKSPACE)');
  return dir;
}

export async function openWorkspace(value: string | undefined, create = false): Promise<Workspace> {
  return Workspace.open(workspaceDir(value), { create });
}
