// The search section: Flumen against lnav and ripgrep counting words in each generated file (issue 2 item 7).
import { DATASETS } from '../../generate/datasets.ts';
import type { BenchSection, Check, Table } from '../types.ts';
import { formatFile } from './format.ts';
import { measureFile } from './measure.ts';

export const searchCountSection: BenchSection = {
  name: 'search',
  summary: 'open + ingest + count, count from a new process, in-process repeated count: flumen vs lnav vs rg',
  async run(ctx) {
    const tables: Table[] = [];
    const checks: Check[] = [];
    for (const dataset of Object.values(DATASETS)) {
      const file = ctx.files[dataset.name];
      if (!file) continue;
      const result = formatFile(await measureFile(ctx, dataset, file));
      tables.push(...result.tables);
      checks.push(...result.checks);
    }
    return { tables, checks };
  },
};
