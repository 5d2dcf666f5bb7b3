// The benchmark's input kinds: how each is generated, which words the bench counts in it, and how lnav reads it.
import { jsonLines } from './jsonl.ts';
import { nginxLines } from './nginx.ts';
import { syslogLines } from './syslog.ts';

export type DatasetName = 'syslog' | 'nginx' | 'jsonl';

export interface Dataset {
  name: DatasetName;
  extension: string;
  /** Bump when the generator's output changes, so stamped files on disk are regenerated. */
  version: number;
  defaultSeed: number;
  lines(seed: number): () => string;
  /** Words counted by the bench: one at a realistic rate (a few percent of lines), one rare (well under 0.1%). */
  words: { common: string; rare: string };
  /** lnav's log table for this file, or why lnav cannot count it. */
  lnav: { table: string } | { unavailable: string };
}

export const DATASETS: Record<DatasetName, Dataset> = {
  syslog: {
    name: 'syslog',
    extension: '.log',
    version: 1,
    defaultSeed: 0x5157_0001,
    lines: syslogLines,
    words: { common: 'error', rare: 'segfault' },
    lnav: { table: 'syslog_log' },
  },
  nginx: {
    name: 'nginx',
    extension: '.log',
    version: 1,
    defaultSeed: 0x5157_0002,
    lines: nginxLines,
    words: { common: 'checkout', rare: 'phpmyadmin' },
    lnav: { table: 'access_log' },
  },
  jsonl: {
    name: 'jsonl',
    extension: '.jsonl',
    version: 1,
    defaultSeed: 0x5157_0003,
    lines: jsonLines,
    words: { common: 'timeout', rare: 'deadlock' },
    lnav: { unavailable: 'n/a (lnav needs a format file)' },
  },
};
