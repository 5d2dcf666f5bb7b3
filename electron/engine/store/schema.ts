// The physical layout of one segment file: an ordinary SQLite database (open it with `sqlite3`).
//
// Text dominates size, and a segment is loaded whole into sql.js's memory, so the message is not stored twice:
// where it is the tail of the raw line (most formats), only its start (`msg_at`, in characters) is kept.
// Full-text search indexes the raw line so a word query means what `rg -w -i` means on the file: the FTS
// tokenizer keeps `_` inside words (as ripgrep's \w does) and folds case without removing diacritics.

export const SEGMENT_SCHEMA_VERSION = 1;

export const SEGMENT_DDL = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE sources(id INTEGER PRIMARY KEY, uri TEXT NOT NULL, format TEXT);
CREATE TABLE ev(
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
);
CREATE VIRTUAL TABLE ev_fts USING fts4(content="ev", raw, tokenize=unicode61 "tokenchars=_" "remove_diacritics=0");
CREATE VIEW events AS
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
  FROM ev LEFT JOIN sources ON sources.id = ev.source_id;
`;

/** Indexes built once, when the segment is sealed (cheaper than maintaining them row by row). */
export const SEGMENT_SEAL_DDL = `
CREATE INDEX ev_time ON ev(ts, source_id, line);
CREATE INDEX ev_template ON ev(template);
`;

/** The documented columns of the `events` view that `flumen query --sql` reads. */
export const EVENTS_VIEW_COLUMNS = [
  'id', 'ts_ms', 'ts', 'host', 'source', 'line', 'offset', 'severity', 'severity_rank',
  'message', 'raw', 'fields', 'template', 'anomaly',
] as const;
