// Not a test: prints the parse stage's throughput (lines/s) on generated syslog-rfc3164, generic and JSON lines.
// Run: npx tsx tests/unit/parse/throughput.ts. Measured in process CPU time, so other load on the machine does not
// skew it much (GC threads count too, which makes the figure conservative).
import { createSourceParser } from '../../../electron/engine/parse/index.ts';
import type { RawRecord } from '../../../electron/engine/sources/types.ts';

const N = 1_000_000;
const HOSTS = ['web-1', 'web-2', 'db-1', 'cache-3'];
const APPS = ['sshd', 'cron', 'kernel', 'nginx', 'systemd'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function makeLines(kind: string): string[] {
  const out: string[] = new Array(N);
  for (let i = 0; i < N; i++) {
    // Time moves forward a second per line, as in a real log (the zone cache relies on locality, like lnav's).
    const t = new Date(Date.UTC(2024, 2, 1) + i * 1000);
    const s = t.getUTCSeconds();
    const m = t.getUTCMinutes();
    const h = t.getUTCHours();
    const day = t.getUTCDate();
    const mon = t.getUTCMonth();
    const host = HOSTS[i % HOSTS.length];
    const app = APPS[i % APPS.length];
    if (kind === 'syslog') {
      out[i] =
        `${MONTHS[mon]} ${String(day).padStart(2, ' ')} ${pad(h)}:${pad(m)}:${pad(s)} ${host} ${app}[${1000 + (i % 5000)}]: session ${i} opened for user u${i % 97}`;
    } else if (kind === 'generic') {
      out[i] =
        `2024-${pad(mon + 1)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(s)},${String(i % 1000).padStart(3, '0')} INFO [main] ${app}: session ${i} opened`;
    } else {
      out[i] =
        `{"ts":"2024-${pad(mon + 1)}-${pad(day)}T${pad(h)}:${pad(m)}:${pad(s)}Z","level":"info","msg":"session ${i} opened","host":"${host}","n":${i}}`;
    }
  }
  return out;
}

for (const kind of ['syslog', 'generic', 'json']) {
  const lines = makeLines(kind);
  const records: RawRecord[] = lines.map((text, i) => ({ text, offset: i * 100, line: i + 1 }));
  for (let round = 0; round < 2; round++) {
    const parser = createSourceParser(lines.slice(0, 50), {
      uri: kind,
      mtimeMs: Date.UTC(2024, 11, 31),
      timezone: 'Europe/Paris',
    });
    let events = 0;
    const c0 = process.cpuUsage();
    for (const r of records) events += parser.push(r).length;
    events += parser.flush().length;
    const used = process.cpuUsage(c0);
    const secs = (used.user + used.system) / 1e6;
    if (round === 1) {
      console.log(`${parser.format.padEnd(16)} ${events} events  ${(N / secs / 1e6).toFixed(2)}M lines/s`);
    }
  }
}
