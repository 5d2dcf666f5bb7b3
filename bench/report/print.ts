// Plain-text rendering of the bench's tables and checks (stdout), aligned for a terminal or a CI log.
import type { Check, Table } from '../sections/types.ts';

export function renderTable(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join(' | ')
      .trimEnd();
  const out = [t.title, line(t.header), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const r of t.rows) out.push(line(r));
  for (const n of t.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}

export function renderChecks(checks: Check[]): string {
  const word = (c: Check): string => {
    if (c.ok == null) return 'n/a ';
    if (c.kind === 'count') return c.ok ? 'MATCH' : 'MISMATCH';
    return c.ok ? 'PASS' : 'MISS';
  };
  return checks.map((c) => `${word(c).padEnd(8)} ${c.label}: ${c.detail}`).join('\n');
}
