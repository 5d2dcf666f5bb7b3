// `template:N` in a query means the template `flumen templates` lists as N, including clusters the miner merged
// into it after their events were stored.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGHUB, countOf, runFlumen, tempDir } from '../../helpers/cli.ts';

interface TemplateRow {
  id: number;
  template: string;
  count: number;
}

describe('flumen templates and template:N queries agree', () => {
  const tmp = tempDir();
  const ws = path.join(tmp.dir, 'ws');
  let templates: TemplateRow[] = [];

  beforeAll(async () => {
    const files = ['HDFS', 'Linux', 'OpenSSH'].map((d) => path.join(LOGHUB, d, `${d}_2k.log`));
    expect((await runFlumen(['ingest', '--workspace', ws, ...files])).code).toBe(0);
    const r = await runFlumen(['templates', '--workspace', ws, '--json']);
    templates = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TemplateRow);
  });
  afterAll(() => tmp.cleanup());

  it('lists templates whose counts add up to every event', () => {
    expect(templates.length).toBeGreaterThan(10);
    expect(templates.reduce((n, t) => n + t.count, 0)).toBe(6000);
  });

  it('counts each of the ten most frequent templates exactly as listed', async () => {
    for (const t of templates.slice(0, 10)) {
      expect(await countOf(ws, `template:${t.id}`), t.template).toBe(t.count);
    }
  });
});
