#!/usr/bin/env node
// The `flumen` command: the engine's command line, run from TypeScript source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
