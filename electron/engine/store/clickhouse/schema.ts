// The ClickHouse schema of a Flumen store, created on first use and migrated forward (README.md, "Migrations").
//
// SQL here runs on ClickHouse 18.16 (Debian's package) through current releases: plain MergeTree with the
// PARTITION BY / ORDER BY clauses (18.x), no Nullable key columns, no LowCardinality, no JSON type, no
// parameterised queries. Absent values are spelled out (timed = 0, host_null = 1, sev = -1, template = -1,
// line = 0) because the key and partition columns cannot be Nullable there, and because every compiled condition
// then stays two-valued (a NULL under NOT would drop the row, where the local store keeps it).
import { quoteIdent, quoteString } from './sql-text.ts';
import type { ClickHouseClient } from './client.ts';

export const EVENTS_TABLE = 'flumen_events';
export const COMMITS_TABLE = 'flumen_commits';
export const SCHEMA_TABLE = 'flumen_schema';
export const META_TABLE = 'flumen_meta';
export const EVENTS_VIEW = 'events';

/** The columns of one stored event, in JSONEachRow order (rows.ts writes them). */
export const EVENT_COLUMNS_DDL = `
  seq UInt64,
  ts Int64,
  timed UInt8,
  host String,
  host_null UInt8,
  source_id UInt32,
  source String,
  line UInt64,
  off UInt64,
  sev Int8,
  raw String,
  message String,
  msg_at Int32,
  fields String,
  template Int64,
  field_names Array(String),
  field_numbers Array(Float64),
  field_texts Array(String),
  field_kinds Array(UInt8)`;

export interface Migration {
  version: number;
  description: string;
  statements: (db: string) => string[];
}

/**
 * Applied in order, each once: the store records every applied version in `flumen_schema` (an append-only log;
 * the schema's version is its max). A later Flumen adds a migration here, never edits an applied one.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'events by day and (host, source, time); commit marks; the events view',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${q(db, EVENTS_TABLE)} (${EVENT_COLUMNS_DDL}
) ENGINE = MergeTree
PARTITION BY intDiv(ts, 86400000)
ORDER BY (host, source_id, ts)`,
      // One row per commit: the highest seq it made visible. Deleted above the workspace's own mark when a
      // writer crashed between this insert and its manifest write (writer.ts, "Recovery").
      `CREATE TABLE IF NOT EXISTS ${q(db, COMMITS_TABLE)} (seq UInt64, at DateTime) ENGINE = MergeTree ORDER BY seq`,
      `CREATE VIEW IF NOT EXISTS ${q(db, EVENTS_VIEW)} AS ${eventsViewSelect(db)}`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * `flumen query --sql` reads this view: the local store's documented columns (schema.ts EVENTS_VIEW_COLUMNS),
 * committed rows only. The columns are renamed in a subquery first: ClickHouse aliases are visible in the whole
 * SELECT, so `… AS ts` would otherwise change what `ts` means in the other columns. Times before 1970 have no
 * `ts` text (DateTime is unsigned in ClickHouse 18.16).
 */
function eventsViewSelect(db: string): string {
  const sevs = "['trace','debug','info','notice','warn','error','critical','alert','emergency']";
  return `SELECT
  e_seq AS id,
  if(e_timed = 1, e_ts, NULL) AS ts_ms,
  if(e_timed = 1 AND e_ts >= 0, concat(replaceOne(toString(toDateTime(intDiv(e_ts, 1000), 'UTC')), ' ', 'T'), '.',
     substring(toString(1000 + e_ts % 1000), 2, 3), 'Z'), NULL) AS ts,
  if(e_host_null = 1, NULL, e_host) AS host,
  e_source AS source,
  if(e_line = 0, NULL, e_line) AS line,
  e_off AS offset,
  if(e_sev < 0, NULL, arrayElement(${sevs}, e_sev + 1)) AS severity,
  if(e_sev < 0, NULL, e_sev) AS severity_rank,
  if(e_msg_at < 0, e_message, substring(e_raw, e_msg_at + 1)) AS message,
  e_raw AS raw,
  if(e_fields = '', NULL, e_fields) AS fields,
  if(e_template < 0, NULL, e_template) AS template,
  toFloat64(0) AS anomaly
FROM (
  SELECT seq AS e_seq, ts AS e_ts, timed AS e_timed, host AS e_host, host_null AS e_host_null, source AS e_source,
    line AS e_line, off AS e_off, sev AS e_sev, message AS e_message, msg_at AS e_msg_at, raw AS e_raw, fields AS e_fields,
    template AS e_template
  FROM ${q(db, EVENTS_TABLE)}
  WHERE seq <= (SELECT max(seq) FROM ${q(db, COMMITS_TABLE)})
)`;
}

export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** What the server is, as far as writing to it goes. */
export interface ServerTraits {
  version: string;
  /**
   * Settings every insert carries. Servers from 19.x refuse an insert spanning over 100 partitions (days) unless
   * max_partitions_per_insert_block allows it; 18.16 has no such setting and rejects unknown ones, so it is
   * set only where system.settings lists it.
   */
  insertSettings: Record<string, number>;
}

/**
 * Creates the database and tables on first use, applies pending migrations, and binds the database to one
 * workspace: two workspaces writing one database would number their rows over each other.
 */
export async function ensureSchema(client: ClickHouseClient, workspaceId: string): Promise<ServerTraits> {
  const db = client.target.database;
  const outside = { noDatabase: true };
  const version = (await client.rows<{ v: string }>('SELECT version() AS v', outside))[0]?.v ?? '';
  const known = await client.rows<{ name: string }>(
    `SELECT name FROM system.settings WHERE name = 'max_partitions_per_insert_block'`,
    outside,
  );
  const insertSettings: Record<string, number> = {};
  if (known.length > 0) insertSettings.max_partitions_per_insert_block = 0;
  await client.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(db)}`, outside);
  await client.exec(
    `CREATE TABLE IF NOT EXISTS ${q(db, SCHEMA_TABLE)} (version UInt32, applied DateTime, description String) ENGINE = TinyLog`,
  );
  await client.exec(
    `CREATE TABLE IF NOT EXISTS ${q(db, META_TABLE)} (key String, value String) ENGINE = TinyLog`,
  );

  const bound = await client.rows<{ value: string }>(
    `SELECT value FROM ${q(db, META_TABLE)} WHERE key = 'workspace' LIMIT 1`,
  );
  if (bound.length === 0) {
    await client.exec(
      `INSERT INTO ${q(db, META_TABLE)} (key, value) VALUES ('workspace', ${quoteString(workspaceId)})`,
    );
  } else if (bound[0].value !== workspaceId) {
    throw new SchemaError(
      `${client.label} already holds another Flumen workspace's events (workspace id ${bound[0].value}); ` +
        'use another database for this workspace',
    );
  }

  const applied = await client.rows<{ v: number }>(`SELECT max(version) AS v FROM ${q(db, SCHEMA_TABLE)}`);
  const current = Number(applied[0]?.v ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new SchemaError(
      `${client.label} has Flumen schema version ${current}, newer than this Flumen's ${SCHEMA_VERSION}: upgrade Flumen`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    for (const statement of m.statements(db)) await client.exec(statement);
    await client.exec(
      `INSERT INTO ${q(db, SCHEMA_TABLE)} (version, applied, description) VALUES ` +
        `(${m.version}, now(), ${quoteString(m.description)})`,
    );
  }
  return { version, insertSettings };
}

/** `db`.`table`, quoted. */
export function q(db: string, table: string): string {
  return `${quoteIdent(db)}.${quoteIdent(table)}`;
}
