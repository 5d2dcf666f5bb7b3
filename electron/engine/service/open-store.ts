// Which store holds a workspace's events: its local segments (the default), or the ClickHouse database it is
// bound to (store/clickhouse/binding.ts). Opening a ClickHouse store checks the server and its schema at once,
// so a wrong URL or password is a clear error before anything is read or written, and points the workspace's
// writer at ClickHouse (Workspace.useExternalWriter), so ingest and collect write there unchanged.
import type { EventStore } from '../query/event-store.ts';
import { resolveBinding, saveBinding } from '../store/clickhouse/binding.ts';
import { ClickHouseClient } from '../store/clickhouse/client.ts';
import { ensureSchema, type ServerTraits } from '../store/clickhouse/schema.ts';
import { ClickHouseWriter, commitMark } from '../store/clickhouse/writer.ts';
import type { SegmentReader } from '../store/types.ts';
import type { Workspace } from '../store/workspace.ts';
import { ClickHouseEventStore } from './clickhouse-store.ts';
import { LocalEventStore } from './local-store.ts';

export interface StoreOptions {
  /** `--store clickhouse://…`: binds a workspace without events to that database; must match a bound one. */
  store?: string | null;
  /** Where FLUMEN_CLICKHOUSE_PASSWORD is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Reports store outages while writing (once when one starts, once when it ends). */
  log?: (message: string) => void;
}

export async function openEventStore(
  ws: Workspace,
  reader: SegmentReader,
  opts: StoreOptions = {},
): Promise<EventStore> {
  const bound = resolveBinding(ws.dir, opts.store, ws.manifest().segments.length > 0, opts.env);
  if (!bound) return new LocalEventStore(reader, () => ws.manifest());
  const { target, binding, fresh } = bound;
  const client = new ClickHouseClient(target);
  let traits: ServerTraits;
  try {
    traits = await ensureSchema(client, binding.workspaceId);
  } catch (err) {
    client.close();
    throw err;
  }
  if (fresh) saveBinding(ws.dir, binding);
  ws.useExternalWriter(
    (host) =>
      new ClickHouseWriter(host, new ClickHouseClient(target), {
        workspaceId: binding.workspaceId,
        log: opts.log,
        insertSettings: traits.insertSettings,
      }),
  );
  return new ClickHouseEventStore(
    client,
    () => commitMark(ws),
    () => ws.manifest().sources,
  );
}
