// ~/.ssh/config resolution: first value wins, patterns, negation, IdentityFile accumulation, tokens, ProxyJump.
import { describe, expect, it } from 'vitest';
import { resolveSshConfig } from '../../../electron/engine/sources/live/ssh-config.ts';

const CONFIG = `
# a user's config
Host web
  HostName 10.1.2.3
  Port 2200
  IdentityFile ~/.ssh/web_key

Host *.internal !gate.internal
  ProxyJump admin@gate.internal:2222,second
  User ops

Host=db.internal
  HostName %h.example
  UserKnownHostsFile ~/.ssh/known_internal none

Match host web
  User never-applied

Host *
  User fallback
  IdentityFile ~/.ssh/id_%r_%h
  Port 22
`;

describe('ssh config', () => {
  it('takes the first value of each keyword from the blocks that match, in file order', () => {
    const c = resolveSshConfig(CONFIG, 'web', '/home/u');
    expect(c).toMatchObject({ hostName: '10.1.2.3', port: 2200, user: 'fallback', proxyJump: [] });
    expect(c.identityFiles).toEqual(['/home/u/.ssh/web_key', '/home/u/.ssh/id_fallback_10.1.2.3']);
  });

  it('applies wildcard blocks, honours negation, expands %h and reads ProxyJump hops', () => {
    const db = resolveSshConfig(CONFIG, 'db.internal', '/home/u');
    expect(db.hostName).toBe('db.internal.example');
    expect(db.user).toBe('ops');
    expect(db.proxyJump).toEqual(['admin@gate.internal:2222', 'second']);
    expect(db.knownHostsFiles).toEqual(['/home/u/.ssh/known_internal']);
    const gate = resolveSshConfig(CONFIG, 'gate.internal', '/home/u');
    expect(gate.proxyJump).toEqual([]);
    expect(gate.user).toBe('fallback');
  });

  it('uses the alias itself when nothing matches', () => {
    const c = resolveSshConfig('', 'plain.host');
    expect(c).toMatchObject({
      hostName: 'plain.host',
      user: null,
      port: null,
      identityFiles: [],
      proxyJump: [],
    });
  });
});
