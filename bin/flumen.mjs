#!/usr/bin/env node
// The `flumen` command: the engine's command line, run from its TypeScript source. A cached esbuild bundle makes
// start-up fast (see electron/engine/runtime/ts-bundle.mjs); without esbuild, tsx's loader runs the source directly.
import { pathToFileURL } from 'node:url';
import { ensureBundles, freshBundleFor, ROOT } from '../electron/engine/runtime/ts-bundle.mjs';
import path from 'node:path';

const entry = path.join(ROOT, 'electron/cli/main.ts');
let bundle = null;
if (!process.env.FLUMEN_NO_BUNDLE) {
  try {
    if (await ensureBundles()) bundle = freshBundleFor(entry);
  } catch (err) {
    // A failed bundle build must never stop the command: run from source instead, and say why once.
    process.stderr.write(
      `flumen: running from source (bundle build failed: ${err.message.split('\n')[0]})\n`,
    );
  }
}
if (bundle) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
