// The analysis half of the API (AnalysisApi in shared/api.ts): templates, ranked anomalies, traces of an id, and
// read-time anomaly scores for the rows the query methods return. Their request schemas live here (zod, strict);
// validate.ts folds them into the one table every transport checks against.
import { z } from 'zod';
import type {
  AnomaliesRequest,
  AnomalyRow,
  EventRow,
  TemplateRow,
  TraceRequest,
  TraceResult,
} from '../../../shared/api.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { anomalyRows, templateRows, withScores } from '../analysis/anomaly-report.ts';
import { loadModel } from '../analysis/analysis-store.ts';
import { traceIdentifier } from '../analysis/trace.ts';
import type { EventStore } from '../query/event-store.ts';
import { ApiFailure } from './api-failure.ts';
import { rowFromEvent } from './event-rows.ts';
import { templateSeries } from './template-series.ts';

export const MAX_TRACE_EVENTS = 10_000;
export const MAX_ANOMALIES = 1_000;

export const ANALYSIS_SCHEMAS = {
  templates: z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => undefined),
  anomalies: z.strictObject({
    minScore: z.number().min(0).max(1).optional(),
    limit: z.int().min(1).max(MAX_ANOMALIES),
  }),
  trace: z.strictObject({
    id: z.string().trim().min(1).max(200),
    limit: z.int().min(1).max(MAX_TRACE_EVENTS).optional(),
  }),
} as const;

export type AnalysisMethod = keyof typeof ANALYSIS_SCHEMAS;

/** Checks an analysis request; throws ApiFailure('invalid-request') naming the first problem. */
export function validateAnalysisRequest<M extends AnalysisMethod>(
  method: M,
  params: unknown,
): z.output<(typeof ANALYSIS_SCHEMAS)[M]> {
  const parsed = ANALYSIS_SCHEMAS[method].safeParse(params);
  if (parsed.success) return parsed.data as z.output<(typeof ANALYSIS_SCHEMAS)[M]>;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ApiFailure({
    code: 'invalid-request',
    message: `${method}: ${where}${issue?.message ?? 'invalid parameters'}`,
  });
}

export class AnalysisService {
  constructor(
    private readonly dir: string,
    private readonly store: EventStore,
    private readonly sources: () => SourceInfo[],
  ) {}

  async templates(): Promise<TemplateRow[]> {
    const model = loadModel(this.dir);
    return templateRows(this.dir).map((t) => ({ ...t, series: templateSeries(model, t.id) }));
  }

  async anomalies(req: AnomaliesRequest): Promise<AnomalyRow[]> {
    return anomalyRows(this.dir, { minScore: req.minScore, limit: req.limit });
  }

  async trace(req: TraceRequest): Promise<TraceResult> {
    const sources = this.sources();
    const t = await traceIdentifier(this.store, sources, req.id, { limit: req.limit ?? MAX_TRACE_EVENTS });
    const uris = new Map(sources.map((s) => [s.id, s.uri]));
    const uri = (id: number) => uris.get(id) ?? `source#${id}`;
    withScores(this.dir, t.events, sources);
    const ids = await this.store.addresses(t.events);
    return {
      id: t.id,
      events: t.events.map((e, i) => rowFromEvent(e, ids[i], uri(e.sourceId))),
      first: t.first,
      last: t.last,
      durationMs: t.durationMs,
      sources: t.perSource.map((p) => ({ source: uri(p.sourceId), count: p.count })),
      truncated: t.truncated,
    };
  }

  /** Fills `anomaly` on rows the query methods return (stored rows carry 0; scores are read-time). */
  scoreRows(rows: EventRow[]): EventRow[] {
    return withScores(this.dir, rows, this.sources());
  }
}
