#!/usr/bin/env node
// Runs a TypeScript entry point straight from source (tsx's loader), so `npx flumen` needs no build step.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: run-ts.mjs FILE.ts [ARGS…]\n');
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(path.resolve(entry)).href);
