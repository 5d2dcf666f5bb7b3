import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addIdentifierFields, extractIdentifiers } from '../../../shared/analysis/identifiers.ts';
import { LOGHUB } from '../../helpers/cli.ts';

function lines(dataset: string): string[] {
  return fs
    .readFileSync(path.join(LOGHUB, dataset, `${dataset}_2k.log`), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean);
}

describe('identifiers on real Loghub lines', () => {
  it('finds the HDFS block id and the first address on every HDFS line naming a block', () => {
    const hdfs = lines('HDFS');
    const withBlock = hdfs.filter((l) => /blk_-?\d+/.test(l));
    expect(withBlock.length).toBeGreaterThan(1900);
    for (const l of withBlock) expect(extractIdentifiers(l).blk).toBe(/blk_-?\d+/.exec(l)?.[0]);
    const received = hdfs.find((l) => l.includes('Receiving block blk_5792489080791696128')) as string;
    expect(extractIdentifiers(received)).toEqual({ blk: 'blk_5792489080791696128', ip: '10.251.30.6' });
  });

  it('finds OpenSSH users and source addresses, including invalid users', () => {
    const ssh = lines('OpenSSH');
    const invalid = ssh.find((l) => l.includes('Invalid user webmaster from 173.234.31.186')) as string;
    expect(extractIdentifiers(invalid)).toMatchObject({ user: 'webmaster', ip: '173.234.31.186' });
    const failed = ssh.find((l) => /Failed password for root from/.test(l)) as string;
    const ids = extractIdentifiers(failed);
    expect(ids.user).toBe('root');
    expect(ids.ip).toBe(/from (\d+\.\d+\.\d+\.\d+)/.exec(failed)?.[1]);
    const pam = ssh.find((l) => /authentication failure;.*rhost=\S+\s+user=root/.test(l)) as string;
    expect(extractIdentifiers(pam).user).toBe('root');
    // Every "Failed password for invalid user X from IP" line yields X and IP.
    const invalidLines = ssh.filter((x) => /Failed password for invalid user \S+ from/.test(x));
    expect(invalidLines.length).toBeGreaterThan(50);
    for (const l of invalidLines) {
      const m = /invalid user (\S+) from (\S+)/.exec(l) as RegExpExecArray;
      expect(extractIdentifiers(l)).toMatchObject({ user: m[1], ip: m[2] });
    }
  });

  it('takes no version numbers, times or MAC addresses for IP addresses', () => {
    expect(
      extractIdentifiers('nginx 1.2.3 and build 10.0.19041.1 on v1.2.3.4 at 10:23:45').ip,
    ).toBeUndefined();
    expect(extractIdentifiers('link 00:1a:2b:3c:4d:5e up, std::vector').ip).toBeUndefined();
    expect(extractIdentifiers('bad octet 300.1.1.1').ip).toBeUndefined();
    expect(extractIdentifiers('peer fe80::1ff:fe23:4567:890a connected').ip).toBe('fe80::1ff:fe23:4567:890a');
  });

  it('reads request ids, W3C trace ids and UUIDs', () => {
    expect(
      extractIdentifiers('GET /a x-request-id=abc-123 trace_id=4bf92f3577b34da6a3ce929d0e0e4736'),
    ).toEqual({
      request: 'abc-123',
      trace: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(
      extractIdentifiers('traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').trace,
    ).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(extractIdentifiers('{"req_id":"r-77","job":"123E4567-E89B-12D3-A456-426614174000"}')).toEqual({
      request: 'r-77',
      uuid: '123e4567-e89b-12d3-a456-426614174000',
    });
  });

  it('adds ids.* fields without replacing fields the parser set', () => {
    const fields: Record<string, string | number> = { 'ids.ip': 'kept' };
    addIdentifierFields('Invalid user bob from 1.2.3.4', fields);
    expect(fields).toEqual({ 'ids.ip': 'kept', 'ids.user': 'bob' });
  });
});
