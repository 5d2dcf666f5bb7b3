// countEvents of a word equals what ripgrep counts on the same lines: `rg -c -w -i WORD FILE`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEvents } from '../../../electron/engine/query/index.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { buildSegment, loghubLines, makeEvent, MemoryReader, sourceInfo } from './segment-fixture.ts';

const hasRg = requireProgram('rg');
const WORDS = [
  'error',
  'failed',
  'root',
  'block',
  'info',
  '10.251.73.220',
  'ERROR',
  'session',
  'closed',
  'user',
  'java',
  'kernel',
  '173.234.31.186',
  'blk_-1608999687919862906',
  'mod_jk',
  'workerEnv',
  'x',
  'a',
  '0',
  'unknown',
];

let dir: string;
let file: string;
let reader: MemoryReader;
const sources = [sourceInfo(1, 'all_2k.log')];

function rgCount(word: string): number {
  try {
    return Number(
      execFileSync('rg', ['-c', '-w', '-i', '--fixed-strings', word, file], { encoding: 'utf8' }).trim(),
    );
  } catch (err) {
    if ((err as { status?: number }).status === 1) return 0; // rg exits 1 when nothing matches
    throw err;
  }
}

describe.skipIf(!hasRg)('word counts match ripgrep on the Loghub 2k samples', () => {
  beforeAll(async () => {
    const datasets = readdirSync('/work/shared/data/loghub', { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'CITATION')
      .map((d) => d.name)
      .sort();
    const lines = datasets.flatMap((d) => {
      try {
        return loghubLines(d);
      } catch {
        return [];
      }
    });
    expect(lines.length).toBeGreaterThan(20_000);
    dir = mkdtempSync(join(tmpdir(), 'flumen-rg-'));
    file = join(dir, 'all_2k.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const events = lines.map((raw, i) =>
      makeEvent({ raw, sourceId: 1, line: i + 1, ts: i % 9 === 0 ? null : 1_000_000 + i }),
    );
    const segs = [];
    for (let i = 0; i < events.length; i += 3000)
      segs.push(await buildSegment(segs.length + 1, events.slice(i, i + 3000), sources));
    reader = new MemoryReader(segs);
  });
  afterAll(() => {
    reader?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(WORDS)('counts %s like rg -c -w -i', async (word) => {
    const expected = rgCount(word);
    expect(await countEvents(reader, sources, word)).toBe(expected);
  });

  it('counts the plain words from the terms sidecars alone, loading no segment file', async () => {
    reader.loads = [];
    for (const word of WORDS.filter((w) => /^\w+$/.test(w)))
      expect(await countEvents(reader, sources, word)).toBe(rgCount(word));
    expect(reader.loads).toEqual([]);
  });

  it('finds the common words at all (the comparison is not vacuous)', () => {
    for (const w of ['error', 'failed', 'root', 'block', 'info', '10.251.73.220'])
      expect(rgCount(w)).toBeGreaterThan(0);
  });
});
