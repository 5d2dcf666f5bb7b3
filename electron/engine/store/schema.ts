// The physical layout of one segment file: an ordinary SQLite database (open it with `sqlite3`).
//
// Text dominates size, and a segment is loaded whole into sql.js's memory, so the message is not stored twice:
// where it is the tail of the raw line (most formats), only its start (`msg_at`, in characters) is kept.
//
// Word search does not use FTS4. Measured on syslog lines, building an FTS4 index over `raw` at seal cost ~1.7x
// the row inserts themselves and made segment files 2.6-2.9x the raw text, and a word count from a new process
// then had to load those files whole into sql.js. Each segment instead has a sidecar `NNNNNN.terms.sqlite`
// (term-index.ts): a compact inverted index of ripgrep's -w words, built while rows are inserted, that answers
// word queries without loading the segment. `ev.id` runs 1..events in insertion order; the sidecar names rows
// by it. A segment without a sidecar is still searched, by scanning `raw`.

export const SEGMENT_SCHEMA_VERSION = 2;

/** Each object of a segment file, by name, in creation order (the writer records them in sqlite_schema). */
export const SEGMENT_OBJECTS = {
  meta: 'CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)',
  sources: 'CREATE TABLE sources(id INTEGER PRIMARY KEY, uri TEXT NOT NULL, format TEXT)',
  ev: `CREATE TABLE ev(
  id INTEGER PRIMARY KEY,
  ts INTEGER,
  host TEXT,
  source_id INTEGER NOT NULL,
  line INTEGER,
  off INTEGER NOT NULL,
  sev INTEGER,
  raw TEXT NOT NULL,
  msg TEXT,
  msg_at INTEGER NOT NULL DEFAULT 0,
  fields TEXT,
  template INTEGER,
  anomaly REAL NOT NULL DEFAULT 0
)`,
  events: `CREATE VIEW events AS
  SELECT ev.id AS id,
         ev.ts AS ts_ms,
         CASE WHEN ev.ts IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ev.ts / 1000.0, 'unixepoch') END AS ts,
         ev.host AS host,
         sources.uri AS source,
         ev.line AS line,
         ev.off AS offset,
         CASE ev.sev WHEN 0 THEN 'trace' WHEN 1 THEN 'debug' WHEN 2 THEN 'info' WHEN 3 THEN 'notice'
           WHEN 4 THEN 'warn' WHEN 5 THEN 'error' WHEN 6 THEN 'critical' WHEN 7 THEN 'alert'
           WHEN 8 THEN 'emergency' END AS severity,
         ev.sev AS severity_rank,
         COALESCE(ev.msg, substr(ev.raw, ev.msg_at + 1)) AS message,
         ev.raw AS raw,
         ev.fields AS fields,
         ev.template AS template,
         ev.anomaly AS anomaly
  FROM ev LEFT JOIN sources ON sources.id = ev.source_id`,
  /** Indexes: written once, when the segment is sealed, from sorted keys. */
  ev_time: 'CREATE INDEX ev_time ON ev(ts, source_id, line)',
  ev_template: 'CREATE INDEX ev_template ON ev(template)',
} as const;

/** The tables and view, for a database that sql.js fills row by row (the merged database of `--sql`, tests). */
export const SEGMENT_DDL =
  [SEGMENT_OBJECTS.meta, SEGMENT_OBJECTS.sources, SEGMENT_OBJECTS.ev, SEGMENT_OBJECTS.events].join(';\n') +
  ';';

/** The indexes, built after the rows. */
export const SEGMENT_SEAL_DDL = `${SEGMENT_OBJECTS.ev_time};\n${SEGMENT_OBJECTS.ev_template};`;

/** The documented columns of the `events` view that `flumen query --sql` reads. */
export const EVENTS_VIEW_COLUMNS = [
  'id',
  'ts_ms',
  'ts',
  'host',
  'source',
  'line',
  'offset',
  'severity',
  'severity_rank',
  'message',
  'raw',
  'fields',
  'template',
  'anomaly',
] as const;
