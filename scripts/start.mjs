#!/usr/bin/env node
// `npm start`: build the renderer, the main process and the preload into out/ with Vite's JS API, then launch
// Electron. Where the Electron binary cannot be had (not downloaded, no route to its release server), say so in
// one line and point at `flumen serve`, which runs the same interface in a browser.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { build } from 'vite';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(REPO, 'out');

/** The main process: ESM (package.json is "type": "module"); dependencies and the engine's own workers stay outside. */
async function buildMain() {
  await build({
    configFile: false,
    root: REPO,
    logLevel: 'warn',
    build: {
      ssr: path.join(REPO, 'electron/main/index.ts'),
      outDir: path.join(OUT, 'main'),
      emptyOutDir: true,
      target: 'node22',
      sourcemap: true,
      rollupOptions: {
        external: ['electron', /^node:/],
        output: { format: 'es', entryFileNames: 'index.js' },
      },
    },
  });
}

/** The preload runs sandboxed: one CommonJS file that requires nothing but `electron`. */
async function buildPreload() {
  await build({
    configFile: false,
    root: REPO,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: path.join(REPO, 'electron/preload/index.ts'),
      outDir: path.join(OUT, 'preload'),
      emptyOutDir: true,
      target: 'chrome128',
      sourcemap: true,
      rollupOptions: { external: ['electron'], output: { format: 'cjs', entryFileNames: 'index.cjs' } },
    },
  });
}

/** The Electron executable, found (and if need be downloaded) in a child process so its output stays quiet. */
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (probe.error) return { reason: probe.error.message };
  if (probe.status !== 0) {
    const lines = `${probe.stderr}`.split('\n').map((l) => l.trim());
    const why = lines.find((l) =>
      /^(Error|RequestError|HTTPError)\b|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(l),
    );
    const reason = (why ?? 'the Electron binary is not installed and could not be downloaded')
      .replace(/^Error: /, '')
      .replace(/\. Please .*$/, '');
    return { reason: reason.slice(0, 200) };
  }
  const bin = probe.stdout.trim();
  if (!bin || !fs.existsSync(bin)) return { reason: `no Electron binary at ${bin || '(empty path)'}` };
  return { bin };
}

async function main() {
  process.stderr.write('building the renderer, main process and preload into out/…\n');
  await build({ configFile: path.join(REPO, 'vite.config.ts'), logLevel: 'warn' });
  await buildMain();
  await buildPreload();
  // `npm run dist` builds out/ this way before electron-builder packs it.
  if (process.argv.includes('--build-only')) return;

  const found = electronBinary();
  if (!found.bin) {
    process.stderr.write(
      `Electron could not be started here (${found.reason}); run the same interface in your browser: ` +
        'npx flumen serve --workspace DIR\n',
    );
    process.exit(1);
  }
  const child = spawn(found.bin, [REPO, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((err) => {
  process.stderr.write(`npm start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
