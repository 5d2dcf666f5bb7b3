// `flumen anomalies`: the ranked anomalies (incidents), each with its time window, kind, score, template or host,
// and a one-line explanation.
import { anomalyRows } from '../../engine/analysis/anomaly-report.ts';
import { Workspace } from '../../engine/store/index.ts';
import { UsageError } from '../errors.ts';
import { parse, WORKSPACE_OPTION, workspaceDir } from '../options.ts';

export async function anomaliesCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...WORKSPACE_OPTION,
    json: { type: 'boolean' },
    limit: { type: 'string' },
    'min-score': { type: 'string' },
  });
  const limit = values.limit == null ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw new UsageError(`--limit takes a whole number, not "${values.limit}"`);
  const minScore = values['min-score'] == null ? 0.5 : Number(values['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) {
    throw new UsageError(`--min-score takes a number from 0 to 1, not "${values['min-score']}"`);
  }
  // Opening checks that the folder is a workspace (clear error otherwise); the model lives beside its manifest.
  const ws = await Workspace.open(workspaceDir(values.workspace));
  try {
    const rows = anomalyRows(ws.dir, { minScore, limit });
    const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());
    for (const r of rows) {
      if (values.json) {
        process.stdout.write(JSON.stringify({ ...r, start: iso(r.start), end: iso(r.end) }) + '\n');
        continue;
      }
      const window = r.start == null ? '-' : `${iso(r.start)} .. ${iso(r.end)}`;
      const what =
        r.host != null ? `host ${r.host}` : r.template != null ? `template ${r.template}` : 'workspace';
      process.stdout.write(
        `${String(r.rank).padStart(3)}  ${r.score.toFixed(2)}  ${r.kind.padEnd(13)} ${window}  ${what}\n     ${r.explanation}` +
          (r.size > 1 ? ` (+${r.size - 1} related)` : '') +
          '\n',
      );
    }
    if (!values.json && rows.length === 0) process.stdout.write('no anomalies at or above the threshold\n');
    return 0;
  } finally {
    await ws.close();
  }
}
