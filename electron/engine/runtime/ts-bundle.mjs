// Runs the engine's TypeScript from source without a build step, and fast.
//
// tsx's loader costs about half a second per process (Node 20 runs module hooks on a separate thread and
// compiles each file on first import), which would dominate every `flumen query`. So the command line and the
// engine's worker threads are bundled with esbuild into node_modules/.cache/flumen/bundle/ and reused until one
// of their source files changes. Each file keeps its own `import.meta.url`, so code that locates files next to
// itself behaves as it does from source. Plain JavaScript: it runs before any TypeScript loader exists.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT_DIR = path.join(ROOT, 'node_modules', '.cache', 'flumen', 'bundle');
const STAMP = path.join(OUT_DIR, 'stamp.json');

/** Entry points bundled together: the command line and every worker the engine starts. */
export const ENTRIES = [
  'electron/cli/main.ts',
  'electron/engine/store/segment-builder-worker.ts',
  'electron/engine/pipeline/parse-worker.ts',
  'electron/engine/service/worker.ts',
];

function outFileFor(entry) {
  return path.join(OUT_DIR, entry.replace(/[\\/]/g, '__').replace(/\.ts$/, '.mjs'));
}

/** Bundles are fresh when every input file has the mtime it had when they were built. */
function isFresh() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return false;
  }
  if (JSON.stringify(stamp.entries) !== JSON.stringify(ENTRIES)) return false;
  try {
    for (const [input, mtime] of Object.entries(stamp.inputs)) {
      if (fs.statSync(path.join(ROOT, input)).mtimeMs !== mtime) return false;
    }
    for (const e of ENTRIES) if (!fs.existsSync(outFileFor(e))) return false;
  } catch {
    return false;
  }
  return true;
}

/** The bundle for a source entry (absolute path), or null when it is missing or stale. Synchronous and cheap. */
export function freshBundleFor(entryPath) {
  const rel = path.relative(ROOT, entryPath).split(path.sep).join('/');
  if (!ENTRIES.includes(rel) || !isFresh()) return null;
  return outFileFor(rel);
}

/** esbuild plugin: `import.meta.url` in each source file names that file, not the bundle. */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return {
        contents: source.replaceAll('import.meta.url', url),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      };
    });
  },
};

/** Builds the bundles when stale; returns false (callers fall back to tsx) when esbuild is not available. */
export async function ensureBundles() {
  if (isFresh()) return true;
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    return false;
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const tmpDir = fs.mkdtempSync(path.join(OUT_DIR, 'build-'));
  try {
    const result = await esbuild.build({
      entryPoints: Object.fromEntries(
        ENTRIES.map((e) => [path.basename(outFileFor(e), '.mjs'), path.join(ROOT, e)]),
      ),
      absWorkingDir: ROOT,
      outdir: tmpDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      // Each command is imported lazily; splitting keeps their packages out of every other command's start-up.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      plugins: [keepImportMetaUrl],
    });
    const inputs = {};
    for (const input of Object.keys(result.metafile.inputs))
      inputs[input] = fs.statSync(path.join(ROOT, input)).mtimeMs;
    // Chunks are named by content hash, so they move in beside older ones without clashing; then each entry is
    // replaced atomically, and the stamp goes last, so a reader never trusts a half-written set.
    fs.mkdirSync(path.join(OUT_DIR, 'chunks'), { recursive: true });
    for (const chunk of fs.readdirSync(path.join(tmpDir, 'chunks'), { withFileTypes: true })) {
      const dest = path.join(OUT_DIR, 'chunks', chunk.name);
      if (!fs.existsSync(dest)) fs.renameSync(path.join(tmpDir, 'chunks', chunk.name), dest);
    }
    for (const e of ENTRIES) fs.renameSync(path.join(tmpDir, path.basename(outFileFor(e))), outFileFor(e));
    const stampTmp = `${STAMP}.${process.pid}.tmp`;
    fs.writeFileSync(stampTmp, JSON.stringify({ entries: ENTRIES, inputs }));
    fs.renameSync(stampTmp, STAMP);
    return true;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
