// The file sources: what the ingest pipeline calls.
export { expandInputs, type ExpandOptions } from './expand.ts';
export { readLines, type LineBatch, type ReadLinesOptions } from './lines.ts';
export { fileFingerprint } from './fingerprint.ts';
export { DEFAULT_LIMITS, type InputLimits } from './limits.ts';
export type { InputItem, RawRecord, SkippedInput } from './types.ts';
