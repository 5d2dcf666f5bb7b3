// What a ClickHouse-bound workspace cannot do yet, said in one clear line rather than answered wrongly: anomaly
// filters (scores are read-time, from the local model) and per-source clock offsets (applied by the local query
// stage only).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGHUB, runFlumen, tempDir } from '../../helpers/cli.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer, PASSWORD } from '../../../bench/sections/clickhouse/server.ts';

const LINUX = path.join(LOGHUB, 'Linux', 'Linux_2k.log');
const env = { FLUMEN_CLICKHOUSE_PASSWORD: PASSWORD };

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('a ClickHouse-bound workspace', () => {
  const tmp = tempDir('flumen-ch-unsupported-');
  const ws = path.join(tmp.dir, 'ws');
  let server: ClickHouseServer;

  beforeAll(async () => {
    server = await ClickHouseServer.start();
    const r = await runFlumen(
      ['ingest', '--workspace', ws, '--store', server.storeUrl('unsupported'), LINUX],
      {
        env,
      },
    );
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    tmp.cleanup();
  });

  it('refuses anomaly>=… in one line', async () => {
    const r = await runFlumen(['query', '--workspace', ws, '--count', 'sshd anomaly>=0.5'], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('flumen: anomaly filters are not supported on ClickHouse yet');
  });

  it('refuses to set a clock offset, and to read as if one were applied', async () => {
    const set = await runFlumen(['sources', '--workspace', ws, '--clock-offset', 'Linux_2k.log=+2s'], {
      env,
    });
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(/clock offsets are not supported on ClickHouse yet/);
    // A manifest carrying one anyway (edited by hand, or set before the binding): reads refuse.
    const file = path.join(ws, 'flumen.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.sources[0].clockOffsetMs = 2000;
    fs.writeFileSync(file, JSON.stringify(manifest));
    const r = await runFlumen(['query', '--workspace', ws, '--count', 'sshd'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/clock offsets are not supported on ClickHouse yet \(source .*Linux_2k\.log/);
  });
});
