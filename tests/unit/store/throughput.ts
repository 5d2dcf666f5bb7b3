// Not a test: measures the store's ingest rate. Appends 1M synthetic syslog-like events (~90 bytes each) to a
// fresh workspace through the EventWriter, commits, and prints events/s (wall and CPU: the machine may be shared),
// the peak resident memory, segment and terms-sidecar sizes, then word counts in this process and from a new one.
//   npx tsx tests/unit/store/throughput.ts [EVENTS] [--fields] [--no-terms] [--keep]
// --no-terms builds segments without the word index (to see what it costs; words are then counted by scanning).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newSource, type LogEvent } from '../../../shared/event.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';
import { countEvents } from '../../../electron/engine/query/index.ts';

const total = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const withFields = process.argv.includes('--fields');
if (process.argv.includes('--no-terms')) process.env.FLUMEN_NO_TERM_INDEX = '1'; // read by the builder workers
const ROOT = path.resolve(import.meta.dirname, '../../..');
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const BATCH = 16 * 1024;
const APPS = ['sshd', 'cron', 'kernel', 'systemd', 'nginx', 'postfix/smtpd'];
const WORDS = [
  'Accepted',
  'password',
  'for',
  'session',
  'opened',
  'closed',
  'connection',
  'from',
  'failed',
  'user',
];

let seed = 42;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  return ((seed >>> 16) & 0x7fff) % n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function batch(start: number, n: number, sourceId: number): LogEvent[] {
  const out: LogEvent[] = new Array(n);
  const t0 = Date.UTC(2024, 10, 23, 0, 0, 0);
  for (let i = 0; i < n; i++) {
    const k = start + i;
    const ts = t0 + k * 37;
    const app = APPS[rand(APPS.length)];
    const pid = 1000 + rand(30000);
    const host = `host${rand(16)}`;
    const message =
      `${WORDS[rand(10)]} ${WORDS[rand(10)]} user${rand(500)} from 10.${rand(256)}.${rand(256)}.${rand(256)} ` +
      `port ${rand(65536)} ssh2 id=${k}`;
    const sec = Math.floor(ts / 1000) % 86400;
    const stamp = `Nov 23 ${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;
    const raw = `${stamp} ${host} ${app}[${pid}]: ${message}`;
    out[i] = {
      ts,
      host,
      sourceId,
      line: k + 1,
      offset: k * 90,
      severity: 'info',
      message,
      raw,
      fields: withFields ? { app, pid } : {},
      template: null,
      anomaly: 0,
    };
  }
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), 'flumen-throughput-'));
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
try {
  // Generation alone, so the store's share of the time can be told apart.
  const g = performance.now();
  const genCpu0 = process.cpuUsage();
  let bytes = 0;
  for (let s = 0; s < total; s += BATCH)
    for (const e of batch(s, Math.min(BATCH, total - s), 1)) bytes += e.raw.length + 1;
  const genMs = performance.now() - g;
  const genCpu = cpuMs(genCpu0);
  seed = 42;

  const ws = await Workspace.open(dir, { create: true });
  const src = ws.addSource(newSource({ uri: 'synthetic.log', kind: 'file', format: 'syslog' }));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const writer = ws.writer();
  let appendMs = 0;
  for (let s = 0; s < total; s += BATCH) {
    const events = batch(s, Math.min(BATCH, total - s), src.id);
    const a = performance.now();
    await writer.append(events);
    appendMs += performance.now() - a;
  }
  const c = performance.now();
  await writer.commit();
  const commitMs = performance.now() - c;
  const ms = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  await writer.close();
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const m = ws.manifest();
  const disk = await ws.diskBytes();
  let termBytes = 0;
  for (const f of readdirSync(path.join(dir, 'segments'))) {
    if (f.endsWith('.terms.sqlite')) termBytes += statSync(path.join(dir, 'segments', f)).size;
  }
  await ws.close();
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(
    `events:            ${m.sources[0].events} in ${m.segments.length} segments (${mb(bytes)} MB raw text)`,
  );
  console.log(`generation alone:  ${genMs.toFixed(0)} ms`);
  console.log(
    `append+commit:     ${ms.toFixed(0)} ms incl. generation (${((total / ms) * 1000).toFixed(0)} events/s)`,
  );
  console.log(`  waiting in append ${appendMs.toFixed(0)} ms, in commit ${commitMs.toFixed(0)} ms`);
  console.log(
    `store only:        ~${(ms - genMs).toFixed(0)} ms (${((total / (ms - genMs)) * 1000).toFixed(0)} events/s)`,
  );
  console.log(
    `CPU (all threads): ${cpu.toFixed(0)} ms incl. generation (${genCpu.toFixed(0)} ms alone): ` +
      `${(((cpu - genCpu) / total) * 1000).toFixed(2)} µs/event store only`,
  );
  console.log(`segment files:     ${mb(disk)} MB (${(disk / bytes).toFixed(2)}x raw)`);
  console.log(`terms sidecars:    ${mb(termBytes)} MB (${(termBytes / bytes).toFixed(2)}x raw)`);
  console.log(`peak RSS (main):   ${mb(peakRss)} MB (workers share the process: this includes them)`);

  for (const q of ['failed', 'user42', 'failed password', 'port 22', '"from 10.1"', 'failed sev:info']) {
    const again = await Workspace.open(dir);
    const w = performance.now();
    const c = process.cpuUsage();
    const n = await countEvents(again.reader(), again.sources(), q);
    console.log(
      `count ${q.padEnd(18)} ${String(n).padStart(8)}  in process: ${(performance.now() - w).toFixed(0)} ms wall, ` +
        `${cpuMs(c).toFixed(0)} ms CPU`,
    );
    await again.close();
  }
  for (const q of ['failed', 'user42']) {
    const w = performance.now();
    const out = execFileSync(
      process.execPath,
      [path.join(ROOT, 'bin/flumen.mjs'), 'query', '--count', '-w', dir, q],
      {
        encoding: 'utf8',
      },
    );
    console.log(
      `flumen query --count ${q}: ${out.trim()} in ${(performance.now() - w).toFixed(0)} ms wall (new process)`,
    );
  }
} finally {
  clearInterval(sampler);
  if (process.argv.includes('--keep')) console.log(`workspace kept: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
