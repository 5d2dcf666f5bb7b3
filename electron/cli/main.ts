// `flumen`: the engine's command line. Each command lives in commands/<name>.ts.
import { UsageError, describeError } from './errors.ts';
import { ingestCommand } from './commands/ingest.ts';
import { queryCommand } from './commands/query.ts';
import { formatsCommand } from './commands/formats.ts';

interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  ingest: {
    summary: 'ingest --workspace DIR [--format NAME] [--timezone ZONE] PATH…   files, folders, globs, archives, - for stdin',
    run: ingestCommand,
  },
  query: {
    summary: "query --workspace DIR [--count | --json] [--limit N] [--sql] 'QUERY'",
    run: queryCommand,
  },
  formats: {
    summary: 'formats [--workspace DIR] [--json]   the format each source got and why; without a workspace, the known formats',
    run: formatsCommand,
  },
};

function usage(): string {
  const lines = ['usage: flumen COMMAND [OPTIONS]', '', 'commands:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  flumen ${c.summary}`);
  lines.push('', 'Query language: see shared/query/README.md.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`flumen: ${describeError(err)}\n`);
    if (err instanceof UsageError) for (const line of err.detail) process.stderr.write(line + '\n');
    if (process.env.FLUMEN_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
