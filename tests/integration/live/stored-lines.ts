// Reads back what a workspace stored and checks it against what was written: every line exactly once.
import { runFlumen } from '../../helpers/cli.ts';

/** Messages of all stored events matching the query (one `flumen query --json` run). */
export async function storedEvents(workspace: string, query = ''): Promise<Record<string, unknown>[]> {
  const r = await runFlumen(['query', '--workspace', workspace, '--json', query]);
  if (r.code !== 0) throw new Error(`flumen query failed (${r.code}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** How many times each `seq=N` token occurs in the stored messages; returns lost and duplicated numbers. */
export function exactlyOnce(messages: string[], total: number): { lost: number[]; duplicated: number[] } {
  const seen = new Uint32Array(total + 1);
  for (const m of messages) {
    for (const match of m.matchAll(/seq=(\d+)/g)) {
      const n = Number(match[1]);
      if (n >= 1 && n <= total) seen[n]++;
    }
  }
  const lost: number[] = [];
  const duplicated: number[] = [];
  for (let i = 1; i <= total; i++) {
    if (seen[i] === 0) lost.push(i);
    else if (seen[i] > 1) duplicated.push(i);
  }
  return { lost, duplicated };
}
