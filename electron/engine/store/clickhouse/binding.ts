// A ClickHouse-backed workspace is an ordinary workspace folder (manifest with sources and the commit mark,
// templates, anomaly counts) plus `store.json`, which says where its events are: the store URL without the
// password, and the workspace's id, which the database records too (schema.ts ensureSchema), so that two
// workspaces never write one database.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomic-write.ts';
import { describeTarget, parseStoreUrl, sameTarget, type ClickHouseTarget } from './url.ts';

export const STORE_FILE = 'store.json';

export interface StoreBinding {
  kind: 'clickhouse';
  /** The store URL without its password. */
  url: string;
  workspaceId: string;
}

export function readBinding(dir: string): StoreBinding | null {
  const file = path.join(dir, STORE_FILE);
  if (!existsSync(file)) return null;
  let data: Partial<StoreBinding>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoreBinding>;
  } catch (err) {
    throw new Error(`${file} is corrupt: ${(err as Error).message}`, { cause: err });
  }
  if (data.kind !== 'clickhouse' || typeof data.url !== 'string' || typeof data.workspaceId !== 'string') {
    throw new Error(`${file} is corrupt: expected kind "clickhouse", a url and a workspaceId`);
  }
  return data as StoreBinding;
}

export interface BoundTarget {
  target: ClickHouseTarget;
  binding: StoreBinding;
  /** A binding made now: saveBinding() once the server accepted it. */
  fresh: boolean;
}

/**
 * The ClickHouse target of a workspace, or null for a local one. `storeUrl` is --store: it binds a workspace
 * that has no events yet (fresh: the caller saves the binding once the server took it), and must name the bound
 * store otherwise (its password may differ: it is not kept).
 */
export function resolveBinding(
  dir: string,
  storeUrl: string | null | undefined,
  hasLocalEvents: boolean,
  env: NodeJS.ProcessEnv = process.env,
): BoundTarget | null {
  const bound = readBinding(dir);
  if (!storeUrl) {
    if (!bound) return null;
    return { target: parseStoreUrl(bound.url, env), binding: bound, fresh: false };
  }
  const target = parseStoreUrl(storeUrl, env);
  if (bound) {
    if (!sameTarget(parseStoreUrl(bound.url, env), target)) {
      throw new Error(
        `workspace ${dir} keeps its events in ${bound.url}, not ${describeTarget(target)} ` +
          '(a workspace has one store)',
      );
    }
    return { target, binding: bound, fresh: false };
  }
  if (hasLocalEvents) {
    throw new Error(
      `workspace ${dir} already keeps events in local segments; give ClickHouse a new workspace ` +
        '(a workspace has one store)',
    );
  }
  const binding: StoreBinding = {
    kind: 'clickhouse',
    url: describeTarget(target),
    workspaceId: randomUUID(),
  };
  return { target, binding, fresh: true };
}

export function saveBinding(dir: string, binding: StoreBinding): void {
  writeFileAtomicSync(path.join(dir, STORE_FILE), Buffer.from(JSON.stringify(binding, null, 1) + '\n'));
}
