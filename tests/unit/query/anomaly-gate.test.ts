// The SQL gate of `anomaly OP x` (query/anomaly-gate.ts) holds for exactly the listed (template, severity) pairs:
// rows of other pairs, and rows whose values no writer stores (NULL or fractional template, fractional or
// off-scale severity), are left to the exact test in JavaScript.
import { describe, expect, it } from 'vitest';
import { pairsCondition } from '../../../electron/engine/query/anomaly-gate.ts';
import { loadSqlJs } from '../../../electron/engine/store/sql-js-loader.ts';

const TEMPLATES = [null, -2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 40, 41, 2.5, 1000];
const SEVERITIES = [null, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, 2.5];
type Pair = readonly [number, number | null];

async function selected(pairs: Pair[]): Promise<string[]> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE ev(id INTEGER PRIMARY KEY, template INTEGER, sev INTEGER)');
    for (const t of TEMPLATES)
      for (const s of SEVERITIES) db.run('INSERT INTO ev(template, sev) VALUES (?, ?)', [t, s]);
    const cond = pairsCondition(pairs);
    if (cond == null) return [];
    const res = db.exec(`SELECT template, sev, ${cond} FROM ev`);
    const out: string[] = [];
    for (const [t, s, hit] of res[0].values) {
      // Anything but 1 (0, or NULL for a NULL template) reads as "not decided" in the CASE WHEN around it.
      expect([0, 1, null], `${t}/${s}`).toContain(hit);
      if (hit === 1) out.push(`${t}/${s}`);
    }
    return out.sort();
  } finally {
    db.close();
  }
}

const names = (pairs: Pair[]) => pairs.map(([t, s]) => `${t}/${s}`).sort();

describe('the anomaly gate', () => {
  it('is true for exactly the listed pairs, whatever else rows hold', async () => {
    // Runs and gaps of ids per severity, severities sharing runs, lone ids, a negative id, no severity.
    const pairs: Pair[] = [];
    for (let t = 1; t <= 12; t++) if (t !== 4 && t !== 9) pairs.push([t, null], [t, 2]);
    for (const t of [0, 3, 40, 41, 1000]) pairs.push([t, 5]);
    for (let t = -2; t <= 12; t += 3) pairs.push([t, 8]);
    pairs.push([7, 0], [8, 0], [7, 1], [8, 1]);
    expect(await selected(pairs)).toEqual(names(pairs));
  });

  it('decides nothing when no pair is listed', async () => {
    expect(pairsCondition([])).toBeNull();
    expect(await selected([])).toEqual([]);
  });

  it('builds a tree over many scattered runs and stays exact', async () => {
    const pairs: Pair[] = [];
    for (let t = -2; t <= 1000; t++) if (t % 3 !== 0 || t === 0) pairs.push([t, 4]);
    const cond = pairsCondition(pairs)!;
    expect(cond).toContain('CASE WHEN ev.template <');
    const want = names(pairs.filter(([t]) => TEMPLATES.includes(t)));
    expect(await selected(pairs)).toEqual(want);
  });
});
