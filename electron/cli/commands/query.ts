// `flumen query`: count, list or export matching events; or read-only SQL over the `events` view.
import { toEventRecord, type LogEvent, type SourceInfo } from '../../../shared/event.ts';
import { parseQuery, QuerySyntaxError } from '../../../shared/query/index.ts';
import { templateMembers } from '../../engine/analysis/template-store.ts';
import { anomalyScorer, withScores } from '../../engine/analysis/anomaly-report.ts';
import type { EventStore } from '../../engine/query/event-store.ts';
import { UsageError } from '../errors.ts';
import { openStore, openWorkspace, parse, STORE_OPTION, WORKSPACE_OPTION } from '../options.ts';

export async function queryCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...WORKSPACE_OPTION,
    ...STORE_OPTION,
    count: { type: 'boolean' },
    json: { type: 'boolean' },
    limit: { type: 'string' },
    sql: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError('query takes one QUERY argument: quote it');
  if (values.count && values.json) throw new UsageError('--count and --json cannot be used together');
  const text = positionals[0] ?? '';
  const limit = parseLimit(values.limit, values.json || values.count ? Infinity : 1000);
  if (!values.sql) checkSyntax(text);

  const ws = await openWorkspace(values.workspace);
  let store: EventStore | null = null;
  try {
    store = await openStore(ws, values.store);
    const sources = ws.sources();
    if (values.sql) {
      const result = await store.sql(text);
      if (values.json) {
        for (const row of result.rows) {
          process.stdout.write(
            JSON.stringify(Object.fromEntries(result.columns.map((c, i) => [c, row[i]]))) + '\n',
          );
        }
      } else {
        process.stdout.write(result.columns.join('\t') + '\n');
        for (const row of result.rows)
          process.stdout.write(row.map((v) => (v == null ? '' : String(v))).join('\t') + '\n');
      }
      return 0;
    }
    const members = templateMembers(ws.dir);
    if (values.count) {
      const n = await store.count(sources, text, {
        templateMembers: members,
        anomalyScorer: anomalyScorer(ws.dir),
      });
      process.stdout.write(`${n}\n`);
      return 0;
    }
    const events = await store.list(sources, text, {
      limit: Number.isFinite(limit) ? limit : 2 ** 53,
      templateMembers: members,
      anomalyScorer: anomalyScorer(ws.dir),
    });
    // Scores are computed at read time from the workspace model (analysis.json), not stored with the events;
    // times come corrected by the sources' clock offsets, the model's buckets are in logged time.
    if (values.json) withScores(ws.dir, events, sources);
    const uris = new Map(sources.map((s: SourceInfo) => [s.id, s.uri]));
    for (const e of events) {
      const uri = uris.get(e.sourceId) ?? `source#${e.sourceId}`;
      process.stdout.write((values.json ? JSON.stringify(toEventRecord(e, uri)) : textLine(e)) + '\n');
    }
    return 0;
  } finally {
    await ws.close();
    await store?.close();
  }
}

function textLine(e: LogEvent): string {
  const ts = e.ts == null ? '-'.padEnd(24) : new Date(e.ts).toISOString();
  return `${ts} ${(e.host ?? '-').padEnd(12)} ${(e.severity ?? '-').padEnd(8)} ${e.message}`;
}

function parseLimit(value: string | undefined, fallback: number): number {
  if (value == null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--limit takes a whole number, not "${value}"`);
  return n;
}

/** Syntax errors point at their position: the query is printed with a caret under it. */
function checkSyntax(text: string): void {
  try {
    parseQuery(text);
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      throw new UsageError(`bad query: ${err.message} (at character ${err.position + 1})`, [
        `  ${text}`,
        `  ${' '.repeat(err.position)}^`,
      ]);
    }
    throw err;
  }
}
