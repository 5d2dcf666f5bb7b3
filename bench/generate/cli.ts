// `node bin/run-ts.mjs bench/generate/cli.ts [--lines N] [--10m] [--seed N] [--dir DIR] [syslog|nginx|jsonl…]`:
// generates the bench inputs without running the bench.
import { generateAll, parseGenerateArgs } from './generate-all.ts';

const args = parseGenerateArgs(process.argv.slice(2));
if (args.rest.length) {
  process.stderr.write(`unknown arguments: ${args.rest.join(' ')}\n`);
  process.exit(2);
}
await generateAll(args);
