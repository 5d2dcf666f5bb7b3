import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addIdentifierFields, extractIdentifiers } from '../../../shared/analysis/identifiers.ts';
import type { FieldValue } from '../../../shared/event.ts';
import { edgeLines, loghubLines } from '../templates/edge-lines.ts';
import { referenceAddIdentifierFields, referenceExtractIdentifiers } from './reference-identifiers.ts';

/** The first lines of the generated bench inputs, when they have been generated. */
function benchLines(): string[] {
  const out: string[] = [];
  for (const f of ['syslog-1000000.log', 'nginx-1000000.log', 'jsonl-1000000.jsonl']) {
    const file = new URL(`../../../bench/data/${f}`, import.meta.url);
    if (!fs.existsSync(file)) continue;
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4_000_000);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    out.push(...buf.toString('utf8', 0, n).split('\n').slice(0, -1));
  }
  return out;
}

describe('identifier extraction behind cheap pre-checks', () => {
  it('finds exactly what the regex-only extraction finds, in the same field order', () => {
    const lines = [...loghubLines(), ...benchLines(), ...edgeLines(30_000, 11)];
    let differ = 0;
    let found = 0;
    for (const message of lines) {
      const got = JSON.stringify(extractIdentifiers(message));
      if (got !== JSON.stringify(referenceExtractIdentifiers(message))) differ++;
      if (got !== '{}') found++;
      const a: Record<string, FieldValue> = { 'ids.user': 'parser' };
      const b: Record<string, FieldValue> = { 'ids.user': 'parser' };
      addIdentifierFields(message, a);
      referenceAddIdentifierFields(message, b);
      if (JSON.stringify(a) !== JSON.stringify(b)) differ++;
    }
    expect(differ).toBe(0);
    expect(found).toBeGreaterThan(lines.length / 10); // the lines do hold identifiers
  });

  it('starts each search no later than the first possible match', () => {
    // A late `Invalid user` after an early `nvalid user `, a UUID after decoy dashes, an address after a bad one.
    const line =
      'nvalid user a; x-y-z-w 300.1.1.1 Invalid user bob 550e8400-e29b-41d4-a716-446655440000 from 1.2.3.4';
    expect(extractIdentifiers(line)).toEqual(referenceExtractIdentifiers(line));
    expect(extractIdentifiers(line)).toMatchObject({
      user: 'bob',
      uuid: '550e8400-e29b-41d4-a716-446655440000',
      ip: '1.2.3.4',
    });
  });

  it('reads keys in any case and with any spacing the key regex allows', () => {
    for (const line of ['X-Request-ID :\u00a0"abcd-1"', 'USERNAME= carol', "Trace_Id\t'4bf92f3577b34da6'"]) {
      expect(extractIdentifiers(line)).toEqual(referenceExtractIdentifiers(line));
    }
    expect(extractIdentifiers('USERNAME= carol').user).toBe('carol');
  });
});
