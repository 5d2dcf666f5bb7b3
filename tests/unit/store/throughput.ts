// Not a test: measures the store's ingest rate. Appends 1M synthetic syslog-like events (~90 bytes each) to a
// fresh workspace through the EventWriter, commits, and prints events/s and the peak resident memory.
//   npx tsx tests/unit/store/throughput.ts [EVENTS] [--fields]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LogEvent } from '../../../shared/event.ts';
import { Workspace } from '../../../electron/engine/store/index.ts';

const total = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const withFields = process.argv.includes('--fields');
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
  let g = performance.now();
  let bytes = 0;
  for (let s = 0; s < total; s += BATCH)
    for (const e of batch(s, Math.min(BATCH, total - s), 1)) bytes += e.raw.length + 1;
  const genMs = performance.now() - g;
  seed = 42;

  const ws = await Workspace.open(dir, { create: true });
  const src = ws.addSource({
    uri: 'synthetic.log',
    kind: 'file',
    format: 'syslog',
    formatReason: null,
    timezone: null,
    fingerprint: null,
    size: null,
    mtimeMs: null,
    events: 0,
    bytes: 0,
    tsMin: null,
    tsMax: null,
    errors: [],
  });
  const t0 = performance.now();
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
  await writer.close();
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const m = ws.manifest();
  const disk = await ws.diskBytes();
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
  console.log(`segment files:     ${mb(disk)} MB`);
  console.log(`peak RSS (main):   ${mb(peakRss)} MB (workers share the process: this includes them)`);
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
