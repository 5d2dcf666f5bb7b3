// Every Loghub 2k dataset: one event per ground-truth row, the right host, and the line's own time of day.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeSeverity } from '../../../shared/severity.ts';
import { parseLines } from './run-lines.ts';

const ROOT = '/work/shared/data/loghub';
const DATASETS = [
  'Android',
  'Apache',
  'BGL',
  'HDFS',
  'HPC',
  'Hadoop',
  'Linux',
  'OpenSSH',
  'Spark',
  'Windows',
  'Zookeeper',
];
/** The CSV column that holds the host, where the dataset's lines carry one. */
const HOST_COLUMN: Record<string, string> = {
  Linux: 'Level',
  OpenSSH: 'Component',
  BGL: 'Node',
  HPC: 'Node',
};
/** Datasets whose Level column is a real level word. */
const LEVELED = ['Android', 'Apache', 'BGL', 'HDFS', 'Hadoop', 'Spark', 'Windows', 'Zookeeper'];

function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function hhmmss(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** The line's own time of day from the ground truth: epoch columns in UTC, wall-clock columns as written. */
function expectedTime(row: Record<string, string>): string {
  if (row.Timestamp && /^\d{10}$/.test(row.Timestamp)) return hhmmss(Number(row.Timestamp) * 1000);
  if (/^\d{10}$/.test(row.Time)) return hhmmss(Number(row.Time) * 1000);
  const m = /(\d{2}):?(\d{2}):?(\d{2})/.exec(row.Time)!;
  return `${m[1]}:${m[2]}:${m[3]}`;
}

describe('Loghub 2k datasets', () => {
  for (const d of DATASETS) {
    it(`${d}: one event per ground-truth row, its host and its time of day`, () => {
      const lines = readFileSync(`${ROOT}/${d}/${d}_2k.log`, 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const rows = parseCsv(readFileSync(`${ROOT}/${d}/${d}_2k.log_structured.csv`, 'utf8'));
      // The raw lines keep their \r: the parser must strip it itself.
      const { parser, events } = parseLines(lines, { timezone: 'UTC' });
      expect(parser.format).not.toBe('text');
      expect(events.length).toBe(rows.length);
      expect(events.length).toBe(2000);

      let timeOk = 0;
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        expect(e.line).toBe(i + 1);
        expect(e.raw.endsWith('\r')).toBe(false);
        if (e.ts != null && hhmmss(e.ts) === expectedTime(rows[i])) timeOk++;
      }
      expect(timeOk / events.length).toBeGreaterThanOrEqual(0.99);

      const hostCol = HOST_COLUMN[d];
      for (let i = 0; i < events.length; i++) {
        expect(events[i].host, `line ${i + 1}`).toBe(hostCol ? rows[i][hostCol] : null);
      }

      if (LEVELED.includes(d)) {
        const same = events.filter((e, i) => e.severity === normalizeSeverity(rows[i].Level)).length;
        expect(same / events.length).toBeGreaterThanOrEqual(0.99);
      }
    });
  }

  it('messages of generic layouts start after the timestamp and level (BGL content is exact)', () => {
    const lines = readFileSync(`${ROOT}/BGL/BGL_2k.log`, 'utf8').split('\n').filter(Boolean);
    const rows = parseCsv(readFileSync(`${ROOT}/BGL/BGL_2k.log_structured.csv`, 'utf8'));
    const { events } = parseLines(lines, { timezone: 'UTC' });
    const exact = events.filter((e, i) => e.message.trim() === rows[i].Content.trim()).length;
    expect(exact / events.length).toBeGreaterThanOrEqual(0.99);
  });

  it('syslog datasets expose app and pid fields', () => {
    const lines = readFileSync(`${ROOT}/OpenSSH/OpenSSH_2k.log`, 'utf8').split('\n').filter(Boolean);
    const rows = parseCsv(readFileSync(`${ROOT}/OpenSSH/OpenSSH_2k.log_structured.csv`, 'utf8'));
    const { events } = parseLines(lines, { timezone: 'UTC' });
    events.forEach((e, i) => {
      expect(e.fields.app).toBe('sshd');
      expect(e.fields.pid).toBe(Number(rows[i].Pid));
      expect(e.message.trim()).toBe(rows[i].Content.trim());
    });
  });
});
