// `flumen collect`: runs live collectors (tail, syslog, ssh) into the workspace until SIGINT or SIGTERM, then
// commits everything and exits 0. A status line on a terminal; a summary per collector at the end.
import { LivePipeline, type CollectorStatus, type LiveCollector } from '../../engine/pipeline/live.ts';
import { UsageError } from '../errors.ts';
import { openStore, openWorkspace, parse, STORE_OPTION, WORKSPACE_OPTION } from '../options.ts';
import { formatBytes, formatCount } from '../../../shared/quantities.ts';

export async function collectCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...WORKSPACE_OPTION,
    ...STORE_OPTION,
    tail: { type: 'string', multiple: true },
    syslog: { type: 'string', multiple: true },
    ssh: { type: 'string', multiple: true },
    'ssh-config': { type: 'string' },
    'known-hosts': { type: 'string' },
    'accept-host-key': { type: 'string', multiple: true },
    identity: { type: 'string', multiple: true },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    timezone: { type: 'string' },
    'commit-ms': { type: 'string' },
  });
  if (positionals.length > 0)
    throw new UsageError(`collect takes no positional arguments (got "${positionals[0]}")`);
  const collectors: LiveCollector[] = [];
  if (values.tail?.length) {
    const { TailCollector } = await import('../../engine/sources/live/tail.ts');
    collectors.push(new TailCollector(values.tail));
  }
  for (const uri of values.syslog ?? []) {
    const { SyslogCollector, parseListenAddress } = await import('../../engine/sources/live/syslog.ts');
    const addr = parseListenAddress(uri);
    if (addr.protocol === 'tls' && (!values['tls-cert'] || !values['tls-key'])) {
      throw new UsageError(`${uri}: a TLS listener needs --tls-cert FILE and --tls-key FILE`);
    }
    collectors.push(new SyslogCollector(addr, { certFile: values['tls-cert'], keyFile: values['tls-key'] }));
  }
  for (const uri of values.ssh ?? []) {
    const { SshCollector, parseSshTarget } = await import('../../engine/sources/live/ssh.ts');
    collectors.push(
      new SshCollector(parseSshTarget(uri), {
        configFile: values['ssh-config'],
        knownHostsFile: values['known-hosts'],
        acceptHostKeys: values['accept-host-key'] ?? [],
        identityFiles: values.identity ?? [],
        log: (line) => process.stderr.write(`flumen: ${line}\n`),
      }),
    );
  }
  if (collectors.length === 0) throw new UsageError('collect needs at least one --tail, --syslog or --ssh');
  const commitMs = values['commit-ms'] ? Number(values['commit-ms']) : undefined;
  if (commitMs != null && !(commitMs >= 10)) throw new UsageError(`--commit-ms must be a number of ms >= 10`);

  // Signals are caught from here on: one that arrives while the collectors start still ends the run cleanly.
  let signalled = false;
  let stopNow = () => {
    signalled = true;
  };
  process.once('SIGINT', () => stopNow());
  process.once('SIGTERM', () => stopNow());
  const ws = await openWorkspace(values.workspace, true);
  const store = await openStore(ws, values.store).catch(async (err: unknown) => {
    await ws.close();
    throw err;
  });
  const pipeline = new LivePipeline(ws, {
    timezone: values.timezone ?? null,
    commitEveryMs: commitMs,
    log: (message) => process.stderr.write(`flumen: ${message}\n`),
  });
  await pipeline.start(collectors);
  for (const c of collectors) process.stderr.write(`flumen: collecting ${c.name}\n`);

  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let shown = '';
  const timer = setInterval(() => {
    if (!tty) return;
    const line = statusLine(pipeline.status(), Date.now() - started).slice(
      0,
      (process.stderr.columns ?? 120) - 1,
    );
    process.stderr.write(`\r${line}${' '.repeat(Math.max(0, shown.length - line.length))}`);
    shown = line;
  }, 1000);

  let poll: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    if (signalled) resolve();
    stopNow = resolve;
    // A store that failed for good ends the run too (the error is reported below).
    poll = setInterval(() => pipeline.failed() && resolve(), 200);
  });
  clearInterval(poll);
  clearInterval(timer);
  if (tty && shown) process.stderr.write('\r' + ' '.repeat(shown.length) + '\r');
  let failure: unknown = null;
  try {
    await pipeline.stop();
  } catch (err) {
    failure = err;
  }
  const statuses = pipeline.status();
  for (const s of statuses) process.stdout.write(summaryLine(s) + '\n');
  await ws.close();
  await store.close();
  if (failure) throw failure;
  return 0;
}

function statusLine(statuses: CollectorStatus[], elapsedMs: number): string {
  const secs = Math.max(1, elapsedMs / 1000);
  return statuses
    .map((s) => {
      const parts = [`${s.name}: ${formatCount(s.records / secs)}/s`];
      if (s.lagBytes) parts.push(`lag ${formatBytes(s.lagBytes)}`);
      if (s.dropped) parts.push(`dropped ${formatCount(s.dropped)}`);
      if (s.errors.length) parts.push(`errors ${s.errors.length}`);
      return parts.join(' ');
    })
    .join(' | ');
}

function summaryLine(s: CollectorStatus): string {
  let line = `${s.name}: ${s.records} records, ${s.bytes} bytes, ${s.dropped} dropped`;
  if (s.errors.length) line += `; errors: ${s.errors.join('; ')}`;
  return line;
}
