// The live section (issue 4): how fast `flumen collect` keeps up, measured in process through the engine.
// - tail: lines/s from the first byte written to the last line committed, tailing a copy of the syslog input.
// - syslog TCP: messages/s a sender can push through one TCP connection with octet counting, to the last message
//   committed; TCP backpressure slows the sender instead of losing messages, and the check says whether stored
//   equals sent (zero loss).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LivePipeline } from '../../electron/engine/pipeline/live.ts';
import { TailCollector } from '../../electron/engine/sources/live/tail.ts';
import { SyslogCollector } from '../../electron/engine/sources/live/syslog.ts';
import { Workspace } from '../../electron/engine/store/index.ts';
import type { BenchContext, BenchSection, Check, Table } from './types.ts';

const MAX_LINES = 300_000;

export const liveSection: BenchSection = {
  name: 'live',
  summary: 'flumen collect: tail rate (lines/s) and sustained syslog TCP rate with zero loss (messages/s)',
  async run(ctx) {
    const file = ctx.files.syslog;
    if (!file) {
      return {
        tables: [],
        checks: [{ kind: 'bar', label: 'live', ok: null, detail: 'needs the syslog input' }],
      };
    }
    const lines = readLines(file.path, MAX_LINES);
    const tail = await measureTail(ctx, lines);
    const syslog = await measureSyslogTcp(ctx, lines);
    const table: Table = {
      title: `live collection (${lines.length.toLocaleString('en')} syslog lines)`,
      header: ['collector', 'rate', 'stored / sent', 'seconds'],
      rows: [
        [
          'tail',
          `${Math.round(tail.rate).toLocaleString('en')} lines/s`,
          `${tail.stored} / ${tail.sent}`,
          tail.secs.toFixed(2),
        ],
        [
          'syslog tcp',
          `${Math.round(syslog.rate).toLocaleString('en')} msgs/s`,
          `${syslog.stored} / ${syslog.sent}`,
          syslog.secs.toFixed(2),
        ],
      ],
      notes: [
        'In process (LivePipeline), commit every 500 ms; the time runs from the first byte sent to the last event committed.',
      ],
    };
    const checks: Check[] = [
      {
        kind: 'count',
        label: 'live tail: every line stored',
        ok: tail.stored === tail.sent,
        detail: `${tail.stored} of ${tail.sent}`,
      },
      {
        kind: 'count',
        label: 'live syslog tcp: zero loss',
        ok: syslog.stored === syslog.sent,
        detail: `${syslog.stored} of ${syslog.sent}`,
      },
    ];
    return { tables: [table], checks };
  },
};

interface Rate {
  sent: number;
  stored: number;
  secs: number;
  rate: number;
}

function readLines(file: string, max: number): string[] {
  // The first MAX_LINES lines only: a bounded read, not the whole 1M-line file.
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(fs.fstatSync(fd).size, max * 160));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, n);
    return text.slice(0, text.lastIndexOf('\n')).split('\n').slice(0, max);
  } finally {
    fs.closeSync(fd);
  }
}

function storedIn(ws: Workspace): number {
  return ws.manifest().sources.reduce((n, s) => n + s.events, 0);
}

async function waitStored(ws: Workspace, want: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (storedIn(ws) < want && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

async function measureTail(ctx: BenchContext, lines: string[]): Promise<Rate> {
  const dir = fs.mkdtempSync(path.join(ctx.tmpDir, 'live-tail-'));
  const log = path.join(dir, 'syslog.log');
  fs.writeFileSync(log, '');
  const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
  const pipeline = new LivePipeline(ws);
  await pipeline.start([new TailCollector([log])]);
  ctx.log(`live: tailing ${lines.length} lines`);
  const started = performance.now();
  // Written in 10 appends, as a busy logger would, not as one file that already exists.
  const step = Math.ceil(lines.length / 10);
  for (let i = 0; i < lines.length; i += step)
    fs.appendFileSync(log, lines.slice(i, i + step).join('\n') + '\n');
  await waitStored(ws, lines.length, 300_000);
  const secs = (performance.now() - started) / 1000;
  await pipeline.stop();
  const stored = storedIn(ws);
  await ws.close();
  return { sent: lines.length, stored, secs, rate: stored / secs };
}

async function measureSyslogTcp(ctx: BenchContext, lines: string[]): Promise<Rate> {
  const dir = fs.mkdtempSync(path.join(ctx.tmpDir, 'live-syslog-'));
  const ws = await Workspace.open(path.join(dir, 'ws'), { create: true });
  const pipeline = new LivePipeline(ws);
  const collector = new SyslogCollector({ protocol: 'tcp', host: '127.0.0.1', port: 0 });
  await pipeline.start([collector]);
  const port = Number(collector.name.slice(collector.name.lastIndexOf(':') + 1));
  ctx.log(`live: sending ${lines.length} syslog messages over TCP to port ${port}`);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('error', reject);
    sock.once('connect', async () => {
      for (let i = 0; i < lines.length; i += 1000) {
        let chunk = '';
        for (const line of lines.slice(i, i + 1000)) {
          const msg = `<13>${line}`;
          chunk += `${Buffer.byteLength(msg)} ${msg}`;
        }
        // write() returning false is TCP backpressure reaching the sender: wait for the collector to catch up.
        if (!sock.write(chunk)) await new Promise((r) => sock.once('drain', r));
      }
      sock.end(resolve);
    });
  });
  await waitStored(ws, lines.length, 300_000);
  const secs = (performance.now() - started) / 1000;
  await pipeline.stop();
  const stored = storedIn(ws);
  await ws.close();
  return { sent: lines.length, stored, secs, rate: stored / secs };
}
