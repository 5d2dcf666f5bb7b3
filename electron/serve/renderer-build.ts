// `npx flumen serve` works on a clean clone: the renderer is built with Vite's JS API when out/renderer is
// missing or older than its sources.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_OUT = path.join(REPO_ROOT, 'out', 'renderer');

/** What the renderer bundle is built from: a change in any of these makes out/renderer stale. */
const SOURCES = ['renderer', 'shared', 'vite.config.ts', 'package.json'];

export function rendererIsStale(repo = REPO_ROOT, outDir = path.join(repo, 'out', 'renderer')): boolean {
  const index = path.join(outDir, 'index.html');
  let built: number;
  try {
    built = fs.statSync(index).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((rel) => newestMtime(path.join(repo, rel)) > built);
}

/** Builds out/renderer if needed. `note` gets one line when a build starts (the CLI prints it to stderr). */
export async function ensureRendererBuilt(note: (line: string) => void, repo = REPO_ROOT): Promise<string> {
  const outDir = path.join(repo, 'out', 'renderer');
  if (!rendererIsStale(repo, outDir)) return outDir;
  const configFile = path.join(repo, 'vite.config.ts');
  if (!fs.existsSync(configFile)) {
    throw new Error(`cannot build the interface: ${configFile} is missing`);
  }
  note('building the interface into out/renderer (first run or sources changed)…');
  const { build } = await import('vite');
  // Built beside the live folder and swapped in whole: another `flumen serve` (or a test) may be serving the
  // current one, and Vite empties its output folder first.
  const staging = `${outDir}.build-${process.pid}`;
  // logLevel 'warn': Vite's per-file report would otherwise go to stdout, where serve prints only its URL line.
  await build({ configFile, logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  if (!fs.existsSync(path.join(staging, 'index.html'))) {
    throw new Error(`the interface build finished but ${path.join(staging, 'index.html')} is missing`);
  }
  const retired = `${outDir}.old-${process.pid}`;
  if (fs.existsSync(outDir)) fs.renameSync(outDir, retired);
  fs.renameSync(staging, outDir);
  fs.rmSync(retired, { recursive: true, force: true });
  return outDir;
}

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}
