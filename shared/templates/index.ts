// Online log template mining (pure code: runs in the engine and in the renderer).
export {
  TemplateMiner,
  DEFAULT_OPTIONS,
  type MinerOptions,
  type MinerSnapshot,
  type TemplateInfo,
} from './miner.ts';
export { maskTokens, WILDCARD } from './tokenize.ts';
export { groupingAccuracy } from './accuracy.ts';
export { parseCsv, csvRecords } from './csv.ts';
