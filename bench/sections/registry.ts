// The bench's sections, run in this order. Add a section here to add rows to `npm run bench`.
import { browserGridSection } from './browser-grid/index.ts';
import { searchCountSection } from './search-count/index.ts';
import { liveSection } from './live.ts';
import { miningSection } from './mining/index.ts';
import { clickhouseSection } from './clickhouse/index.ts';
import type { BenchSection } from './types.ts';

export const SECTIONS: BenchSection[] = [
  searchCountSection,
  browserGridSection,
  liveSection,
  clickhouseSection,
  miningSection,
];
