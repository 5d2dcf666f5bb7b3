// `flumen ingest`: read inputs into the workspace, with a progress bar and a summary.
import fs from 'node:fs/promises';
import path from 'node:path';
import { ingest, type IngestSummary } from '../../engine/pipeline/ingest.ts';
import { UsageError } from '../errors.ts';
import { openStore, openWorkspace, parse, STORE_OPTION, WORKSPACE_OPTION } from '../options.ts';
import { formatBytes, formatCount } from '../../../shared/quantities.ts';
import { terminalProgress } from '../progress-bar.ts';

export async function ingestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...WORKSPACE_OPTION,
    ...STORE_OPTION,
    format: { type: 'string' },
    timezone: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length === 0)
    throw new UsageError('ingest needs at least one PATH (file, folder, glob, archive, or -)');
  const ws = await openWorkspace(values.workspace, true);
  const store = await openStore(ws, values.store).catch(async (err: unknown) => {
    await ws.close();
    throw err;
  });
  try {
    const progress = terminalProgress(process.stderr, await totalSize(positionals));
    const summary = await ingest(ws, {
      inputs: positionals,
      format: values.format,
      timezone: values.timezone,
      onProgress: progress.update,
    });
    progress.clear();
    if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stdout.write(renderSummary(summary));
    return summary.errors.length > 0 ? 1 : 0;
  } finally {
    await ws.close();
    await store.close();
  }
}

function renderSummary(s: IngestSummary): string {
  const secs = Math.max(s.durationMs, 1) / 1000;
  const out = [
    `ingested ${formatCount(s.events)} events from ${s.sources.length} source(s), ${formatBytes(s.bytes)} in ` +
      `${secs.toFixed(2)} s (${formatCount(s.events / secs)} events/s)`,
  ];
  const formats = new Map<string, number>();
  for (const src of s.sources) formats.set(src.format, (formats.get(src.format) ?? 0) + 1);
  if (formats.size > 0) out.push(`formats: ${[...formats].map(([f, n]) => `${f} (${n})`).join(', ')}`);
  if (s.invalidUtf8 > 0)
    out.push(`invalid UTF-8: ${formatCount(s.invalidUtf8)} sequence(s) replaced with U+FFFD`);
  if (s.truncatedLines > 0) out.push(`over-long lines cut at the line cap: ${formatCount(s.truncatedLines)}`);
  if (s.skipped.length > 0) {
    out.push(`skipped ${s.skipped.length}:`);
    for (const k of s.skipped) out.push(`  ${k.uri}: ${k.reason}`);
  }
  if (s.errors.length > 0) {
    out.push(`errors ${s.errors.length}:`);
    for (const e of s.errors) out.push(`  ${e.uri}: ${e.reason}`);
  }
  return out.join('\n') + '\n';
}

/** Sum of the sizes of the paths given (folders walked), for the progress bar; null when unknown (globs, stdin). */
async function totalSize(paths: string[]): Promise<number | null> {
  let total = 0;
  const walk = async (p: string): Promise<boolean> => {
    const st = await fs.stat(p).catch(() => null);
    if (!st) return false;
    if (st.isFile()) total += st.size;
    else if (st.isDirectory()) {
      for (const name of await fs.readdir(p)) await walk(path.join(p, name));
    }
    return true;
  };
  for (const p of paths) if (p === '-' || !(await walk(p))) return null;
  return total || null;
}
