// Not a test: prints readLines throughput (MB/s) over a generated 100 MB syslog-like file.
// Run: npx tsx tests/unit/sources/throughput.ts
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { readLines } from '../../../electron/engine/sources/index.ts';

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'flumen-tp-'));
  const file = join(dir, 'big.log');
  const ws = createWriteStream(file);
  let written = 0;
  for (let i = 0; written < 100 * 1024 * 1024; i++) {
    const line = `Jun 14 15:16:${String(i % 60).padStart(2, '0')} host${i % 7} sshd[${1000 + (i % 5000)}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=10.0.${i % 256}.${i % 200} user=root #${i}\n`;
    written += Buffer.byteLength(line);
    if (!ws.write(line)) await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  const size = (await stat(file)).size;
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    let lines = 0;
    for await (const b of readLines(createReadStream(file, { highWaterMark: 256 * 1024 })))
      lines += b.lines.offsets.length;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(
      `run ${run + 1}: ${lines} lines, ${(size / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s = ${(size / 1e6 / s).toFixed(0)} MB/s`,
    );
  }
  await rm(dir, { recursive: true, force: true });
}

await main();
