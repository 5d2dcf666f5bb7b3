// Test helper: consumes expandInputs the way the ingest pipeline does (each item read fully before the next).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandInputs, type ExpandOptions } from '../../../electron/engine/sources/index.ts';
import type { SkippedInput } from '../../../electron/engine/sources/types.ts';

export interface Collected {
  items: Array<{ uri: string; kind: string; text: string }>;
  skipped: SkippedInput[];
  errors: SkippedInput[];
  /** Items whose stream failed while being read (the pipeline reports these under the item's URI). */
  readErrors: Array<{ uri: string; reason: string }>;
  /** Highest resident-set growth seen while reading, in bytes. */
  peakRssGrowth: number;
}

export async function collect(args: string[], opts: ExpandOptions = {}, keepText = true): Promise<Collected> {
  const res: Collected = { items: [], skipped: [], errors: [], readErrors: [], peakRssGrowth: 0 };
  const rss0 = process.memoryUsage().rss;
  for await (const it of expandInputs(args, opts)) {
    if ('reason' in it) {
      (it.severity === 'error' ? res.errors : res.skipped).push(it);
      continue;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const c of it.open()) {
        if (keepText) chunks.push(c as Buffer);
        res.peakRssGrowth = Math.max(res.peakRssGrowth, process.memoryUsage().rss - rss0);
      }
      res.items.push({ uri: it.uri, kind: it.kind, text: Buffer.concat(chunks).toString('utf8') });
    } catch (err) {
      res.readErrors.push({ uri: it.uri, reason: (err as Error).message });
    }
  }
  return res;
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'flumen-src-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
