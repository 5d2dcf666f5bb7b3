// `flumen`: the engine's command line. Each command lives in commands/<name>.ts.
import { UsageError, describeError } from './errors.ts';

// Commands are imported when run, so each loads only the packages it uses (start-up time is part of every query).
interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  ingest: {
    summary:
      'ingest --workspace DIR [--store URL] [--format NAME] [--timezone ZONE] PATH…   files, folders, globs, archives, - for stdin',
    run: async (args) => (await import('./commands/ingest.ts')).ingestCommand(args),
  },
  query: {
    summary: "query --workspace DIR [--store URL] [--count | --json] [--limit N] [--sql] 'QUERY'",
    run: async (args) => (await import('./commands/query.ts')).queryCommand(args),
  },
  collect: {
    summary:
      'collect --workspace DIR [--store URL] [--tail PATH]… [--syslog udp://H:P|tcp://H:P|tls://H:P]… [--ssh ssh://user@host[:port]/path]…   until Ctrl-C',
    run: async (args) => (await import('./commands/collect.ts')).collectCommand(args),
  },
  formats: {
    summary:
      'formats [--workspace DIR] [--json]   the format each source got and why; without a workspace, the known formats',
    run: async (args) => (await import('./commands/formats.ts')).formatsCommand(args),
  },
  sources: {
    summary:
      'sources --workspace DIR [--json] [--clock-offset SOURCE=+2.5s]…   the sources; a clock offset corrects every time shown',
    run: async (args) => (await import('./commands/sources.ts')).sourcesCommand(args),
  },
  templates: {
    summary: 'templates --workspace DIR [--json]   the mined log templates with their counts',
    run: async (args) => (await import('./commands/templates.ts')).templatesCommand(args),
  },
  anomalies: {
    summary:
      'anomalies --workspace DIR [--json] [--limit N] [--min-score S]   ranked anomalies with explanations',
    run: async (args) => (await import('./commands/anomalies.ts')).anomaliesCommand(args),
  },
  serve: {
    summary:
      'serve --workspace DIR [--store URL] [--port N]   the interface in your browser at http://127.0.0.1 (token in the printed URL)',
    run: async (args) => (await import('./commands/serve.ts')).serveCommand(args),
  },
};

function usage(): string {
  const lines = ['usage: flumen COMMAND [OPTIONS]', '', 'commands:'];
  for (const c of Object.values(COMMANDS)) lines.push(`  flumen ${c.summary}`);
  lines.push(
    '',
    'Query language: see shared/query/README.md.',
    '--store clickhouse://user:pass@host:8123/db (clickhouses:// for TLS; password also $FLUMEN_CLICKHOUSE_PASSWORD)',
    'keeps the events in ClickHouse; the workspace folder remembers it (electron/engine/store/clickhouse/README.md).',
  );
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

// `flumen query … | head` closes the pipe early: that is the reader saying "enough", not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

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
