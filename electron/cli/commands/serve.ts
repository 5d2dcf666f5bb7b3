// `flumen serve`: the app's interface in a browser, on 127.0.0.1, behind a random token. The engine runs in a
// worker thread (as in the desktop app), so a long query or ingest never stalls the HTTP and WebSocket server.
import path from 'node:path';
import { EngineWorkerClient } from '../../engine/service/worker-client.ts';
import { ensureRendererBuilt } from '../../serve/renderer-build.ts';
import { startServer } from '../../serve/server.ts';
import { UsageError } from '../errors.ts';
import { parse, STORE_OPTION, WORKSPACE_OPTION, workspaceDir } from '../options.ts';

export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...WORKSPACE_OPTION,
    ...STORE_OPTION,
    port: { type: 'string', short: 'p' },
  });
  if (positionals.length > 0)
    throw new UsageError(`serve takes no positional arguments (got "${positionals[0]}")`);
  const dir = path.resolve(workspaceDir(values.workspace));
  const port = parsePort(values.port);

  const rendererDir = await ensureRendererBuilt((line) => process.stderr.write(`flumen: ${line}\n`));
  const engine = await EngineWorkerClient.start(dir, { create: true, store: values.store });
  let server;
  try {
    server = await startServer({ api: engine, rendererDir, port });
  } catch (err) {
    await engine.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`--port ${port}: the port is already in use`);
    throw err;
  }
  process.stdout.write(`Flumen is serving ${dir} at ${server.url}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`flumen: ${signal}: stopping (finishing any ingest in progress)\n`);
  await server.close();
  await engine.close();
  return 0;
}

function parsePort(value: string | undefined): number {
  if (value == null) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a number 0..65535, not "${value}"`);
  return n;
}
