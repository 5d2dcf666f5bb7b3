// The live-source methods' requests as every transport checks them (validateRequest): strict, bounded, and
// consistent (TLS needs its files, each login method its own secret), with messages that name the field and never
// repeat a secret; and the SSH destination forms and the tail overlap check behind addLiveSource.
import { describe, expect, it } from 'vitest';
import { API_METHODS, LIVE_METHODS } from '../../../shared/api.ts';
import { ApiFailure } from '../../../electron/engine/service/api-failure.ts';
import {
  followedAlready,
  publicSpec,
  secretsOf,
  sshTargetOf,
} from '../../../electron/engine/service/live-specs.ts';
import { validateRequest } from '../../../electron/engine/service/validate.ts';

function refusal(method: string, params: unknown): string {
  try {
    validateRequest(method, params);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).apiError.code).toBe('invalid-request');
    return (err as Error).message;
  }
  throw new Error(`${method} accepted ${JSON.stringify(params)}`);
}

const SSH = { kind: 'ssh', destination: 'web1', path: '/var/log/syslog', auth: 'agent' } as const;
const FP = 'SHA256:' + 'A'.repeat(43);

describe('live-source requests', () => {
  it('are carried by every transport (they are in API_METHODS)', () => {
    for (const m of LIVE_METHODS) expect(API_METHODS).toContain(m);
  });

  it('accept a tail of absolute paths and globs, and fill a syslog listener and an SSH source with defaults', () => {
    expect(validateRequest('addLiveSource', { kind: 'tail', paths: ['/var/log/*.log'] })).toEqual({
      kind: 'tail',
      paths: ['/var/log/*.log'],
    });
    expect(validateRequest('addLiveSource', { kind: 'syslog', protocol: 'udp', port: 5514 })).toEqual({
      kind: 'syslog',
      protocol: 'udp',
      host: '127.0.0.1',
      port: 5514,
      certFile: null,
      keyFile: null,
    });
    expect(validateRequest('addLiveSource', SSH)).toEqual({
      ...SSH,
      keyFile: null,
      passphrase: null,
      password: null,
      acceptHostKey: null,
    });
    expect(validateRequest('liveSources', undefined)).toBeUndefined();
    expect(validateRequest('pauseLiveSource', { id: 'live-12' })).toEqual({ id: 'live-12' });
  });

  it('refuse bad tails, listeners and ids with the field and the reason', () => {
    expect(refusal('addLiveSource', { kind: 'tail', paths: ['logs/app.log'] })).toBe(
      'addLiveSource: paths.0: must be an absolute path',
    );
    expect(refusal('addLiveSource', { kind: 'tail', paths: [] })).toMatch(/^addLiveSource: paths: /);
    expect(
      refusal('addLiveSource', { kind: 'tail', paths: Array.from({ length: 101 }, (_, i) => `/l/${i}`) }),
    ).toMatch(/^addLiveSource: paths: /);
    expect(refusal('addLiveSource', { kind: 'tail', paths: ['/a'], follow: true })).toMatch(/follow/);
    expect(refusal('addLiveSource', { kind: 'fifo', paths: ['/a'] })).toMatch(/^addLiveSource: kind: /);
    expect(refusal('addLiveSource', { kind: 'syslog', protocol: 'tcp', port: 70000 })).toMatch(
      /^addLiveSource: port: /,
    );
    expect(refusal('addLiveSource', { kind: 'syslog', protocol: 'tcp', host: 'a b', port: 1 })).toBe(
      'addLiveSource: host: must be an IP address or a host name',
    );
    expect(
      refusal('addLiveSource', { kind: 'syslog', protocol: 'tls', port: 6514, certFile: '/c.pem' }),
    ).toBe('addLiveSource: keyFile: a TLS listener needs a key file');
    expect(refusal('addLiveSource', { kind: 'syslog', protocol: 'udp', port: 514, certFile: '/c.pem' })).toBe(
      'addLiveSource: certFile: only a TLS listener takes a certificate and a key',
    );
    expect(refusal('removeLiveSource', { id: '../etc' })).toBe(
      'removeLiveSource: id: must be a live source id "live-N"',
    );
    expect(refusal('resumeLiveSource', {})).toMatch(/^resumeLiveSource: id: /);
  });

  it('pair each SSH login method with what it needs, and never repeat a secret in the message', () => {
    expect(refusal('addLiveSource', { ...SSH, auth: 'key' })).toBe(
      'addLiveSource: keyFile: key login needs the private key file',
    );
    expect(refusal('addLiveSource', { ...SSH, auth: 'password' })).toBe(
      'addLiveSource: password: password login needs the password',
    );
    const secret = 'hunter2-secret';
    const wrong = refusal('addLiveSource', { ...SSH, password: secret });
    expect(wrong).toBe('addLiveSource: password: a password is only used with password login');
    expect(refusal('addLiveSource', { ...SSH, passphrase: secret })).not.toContain(secret);
    const long = 'x'.repeat(5000);
    expect(refusal('addLiveSource', { ...SSH, auth: 'password', password: long })).not.toContain('xxxx');
    expect(refusal('addLiveSource', { ...SSH, acceptHostKey: 'MD5:aa:bb' })).toBe(
      'addLiveSource: acceptHostKey: must be a host key fingerprint "SHA256:…"',
    );
    expect(validateRequest('addLiveSource', { ...SSH, acceptHostKey: FP })).toMatchObject({
      acceptHostKey: FP,
    });
  });

  it('keep secrets out of the definition the API returns', () => {
    const req = validateRequest('addLiveSource', {
      ...SSH,
      auth: 'key',
      keyFile: '/home/me/.ssh/id_ed25519',
      passphrase: 'pw',
      acceptHostKey: FP,
    });
    expect(publicSpec(req)).toEqual({
      kind: 'ssh',
      destination: 'web1',
      path: '/var/log/syslog',
      auth: 'key',
      keyFile: '/home/me/.ssh/id_ed25519',
    });
    expect(secretsOf(req)).toEqual({ passphrase: 'pw' });
    expect(secretsOf(validateRequest('addLiveSource', SSH))).toBeNull();
  });
});

describe('SSH destinations', () => {
  const spec = (destination: string, path: string | null) =>
    ({ kind: 'ssh', destination, path, auth: 'agent', keyFile: null }) as const;

  it('take an ssh:// URI (path inside or given apart) or a host alias with a path', () => {
    expect(sshTargetOf(spec('ssh://ops@web1:2222/var/log/*.log', null))).toEqual({
      user: 'ops',
      host: 'web1',
      port: 2222,
      path: '/var/log/*.log',
    });
    expect(sshTargetOf(spec('ssh://ops@web1', '/var/log/syslog'))).toMatchObject({ path: '/var/log/syslog' });
    expect(sshTargetOf(spec('ops@web1:2222', '/var/log/syslog'))).toEqual({
      user: 'ops',
      host: 'web1',
      port: 2222,
      path: '/var/log/syslog',
    });
    expect(sshTargetOf(spec('flumen-test', 'journal'))).toEqual({
      user: null,
      host: 'flumen-test',
      port: null,
      path: null,
    });
  });

  it('refuse a relative path, a path given twice, and a shell-unsafe one', () => {
    expect(() => sshTargetOf(spec('web1', 'logs/app.log'))).toThrow(
      'path: "logs/app.log" must be an absolute remote path or glob (or "journal")',
    );
    expect(() => sshTargetOf(spec('web1', null))).toThrow('web1: give the remote path or glob to follow');
    expect(() => sshTargetOf(spec('ssh://web1/var/log/a', '/var/log/b'))).toThrow(
      'the URI has a path already',
    );
    expect(() => sshTargetOf(spec('web1', '/var/log/$(reboot)'))).toThrow(/the remote shell would interpret/);
    expect(() => sshTargetOf(spec('ssh://u:secret@web1/var/log/a', null))).toThrow(/password in the URI/);
  });
});

describe('tail overlap', () => {
  it('finds a path another source follows, by name or through its glob', () => {
    const others = [{ id: 'live-1', paths: ['/var/log/*.log', '/srv/app.log'] }];
    expect(followedAlready(['/var/log/syslog.log'], others)).toBe(
      '/var/log/syslog.log: live-1 follows /var/log/*.log already',
    );
    expect(followedAlready(['/srv/*.log'], others)).toBe('/srv/*.log: live-1 follows /srv/app.log already');
    expect(followedAlready(['/srv/app.log'], others)).toMatch(/^\/srv\/app.log: live-1 follows/);
    expect(followedAlready(['/var/log/nginx/access.log', '/srv/other.log'], others)).toBeNull();
  });
});
