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

/**
 * How many times each `seq=N` token occurs in the stored messages; returns the lost and the duplicated numbers as
 * runs (`['1-3', '7']`), so a failure reads as a few ranges instead of thousands of array lines.
 */
export function exactlyOnce(messages: string[], total: number): { lost: string[]; duplicated: string[] } {
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
  return { lost: runs(lost), duplicated: runs(duplicated) };
}

function runs(ns: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ns.length;) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return out;
}

/** Lines `<stamp> INFO worker seq=N handled request` for N in [from, to], each ending in a newline. */
export function seqLines(from: number, to: number, stamp = '2026-11-23T10:00:00.000Z'): string {
  let out = '';
  for (let i = from; i <= to; i++) out += `${stamp} INFO worker seq=${i} handled request\n`;
  return out;
}

/** How many times `needle` occurs in `text` (a message said once must occur once). */
export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Syslog lines `… remotehost app[7]: remote seq=N event happened` for N in [from, to]: what a remote host logs. */
export function remoteLines(from: number, to: number): string {
  let out = '';
  for (let i = from; i <= to; i++)
    out += `Nov 23 10:00:00 remotehost app[7]: remote seq=${i} event happened\n`;
  return out;
}
