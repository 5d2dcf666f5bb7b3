// Online log template mining (pure code: runs in the engine and in the renderer).
export {
  TemplateMiner,
  DEFAULT_OPTIONS,
  DEFAULT_TUNING,
  type MinerOptions,
  type MinerTuning,
  type MinerSnapshot,
  type TemplateInfo,
} from './miner.ts';
export { maskLine, maskTokens, lineTokens, MaskedLine, WILDCARD } from './tokenize.ts';
export { groupingAccuracy } from './accuracy.ts';
export { parseCsv, csvRecords } from './csv.ts';
