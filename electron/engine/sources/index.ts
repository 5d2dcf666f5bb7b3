// The file sources: what the ingest pipeline calls.
export { expandInputs, type ExpandOptions } from './expand.ts';
export { firstLines, readLines, unpackLines, type LineBatch, type ReadLinesOptions } from './lines.ts';
export { fileFingerprint } from './fingerprint.ts';
export { DEFAULT_LIMITS, type InputLimits } from './limits.ts';
export type { InputItem, PackedLines, RawRecord, SkippedInput } from './types.ts';
