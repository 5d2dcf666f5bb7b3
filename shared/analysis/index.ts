// Label-free anomaly analysis (pure code: runs in the engine and in the renderer): counts gathered at ingest,
// a workspace model, per-event scores, ranked incidents with explanations, and identifiers to follow.
export {
  AnalysisAccumulator,
  BASE_BUCKET_MS,
  type AnalysisSnapshot,
  type AccumulatorOptions,
} from './accumulator.ts';
export { buildModel, emptySnapshot, type AnalysisModel, type TemplateStats } from './model.ts';
export { scoreEvent, eventSignals, ANOMALY_THRESHOLD, type ScoredEvent } from './score.ts';
export { SIGNAL_TUNING, type Signal, type SignalKind } from './signals.ts';
export { findIncidents, duration, type Incident, type Finding, type IncidentOptions } from './incidents.ts';
export { extractIdentifiers, addIdentifierFields, ID_FIELDS, type IdentifierKind } from './identifiers.ts';
export { confusion, type Confusion } from './evaluate.ts';
