// The parts of OpenSSH's client configuration (`~/.ssh/config`) that a collector needs: for a host alias, the
// HostName, User, Port, IdentityFile(s), UserKnownHostsFile(s) and ProxyJump. As in ssh(1), the first value
// obtained for a keyword wins (IdentityFile accumulates), `Host` patterns take `*`, `?` and `!negation`.
// `Match` blocks are not evaluated (their settings are ignored) and `Include` is not followed.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SshHostConfig {
  hostName: string;
  user: string | null;
  port: number | null;
  identityFiles: string[];
  knownHostsFiles: string[];
  /** `[user@]host[:port]` hops, first hop first; empty for a direct connection. */
  proxyJump: string[];
}

interface Block {
  patterns: string[] | null; // null: a Match block, never applied
  entries: [string, string][];
}

export function readSshConfig(file: string | null, alias: string, home = os.homedir()): SshHostConfig {
  let text = '';
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  return resolveSshConfig(text, alias, home);
}

export function resolveSshConfig(text: string, alias: string, home = os.homedir()): SshHostConfig {
  const blocks: Block[] = [{ patterns: ['*'], entries: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = unquote(m[2].trim());
    if (key === 'host') blocks.push({ patterns: value.split(/\s+/), entries: [] });
    else if (key === 'match') blocks.push({ patterns: null, entries: [] });
    else blocks[blocks.length - 1].entries.push([key, value]);
  }
  const got = new Map<string, string>();
  const identityFiles: string[] = [];
  const knownHostsFiles: string[] = [];
  for (const b of blocks) {
    if (!b.patterns || !hostMatches(b.patterns, alias)) continue;
    for (const [k, v] of b.entries) {
      if (k === 'identityfile') identityFiles.push(v);
      else if (k === 'userknownhostsfile') {
        if (knownHostsFiles.length === 0) knownHostsFiles.push(...v.split(/\s+/));
      } else if (!got.has(k)) got.set(k, v);
    }
  }
  const hostName = (got.get('hostname') ?? alias).replace(/%h/g, alias);
  const user = got.get('user') ?? null;
  const port = got.has('port') ? Number(got.get('port')) : null;
  if (port != null && !(port > 0 && port < 65536))
    throw new Error(`ssh config: bad Port for ${alias}: ${got.get('port')}`);
  const expand = (p: string) =>
    expandPath(p, { h: hostName, r: user ?? os.userInfo().username, u: os.userInfo().username, d: home });
  const jump = got.get('proxyjump');
  return {
    hostName,
    user,
    port,
    identityFiles: identityFiles.map(expand),
    knownHostsFiles: knownHostsFiles.filter((f) => f.toLowerCase() !== 'none').map(expand),
    proxyJump: !jump || jump.toLowerCase() === 'none' ? [] : jump.split(',').map((s) => s.trim()),
  };
}

function hostMatches(patterns: string[], host: string): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    const re = globToRegExp(negated ? p.slice(1) : p);
    if (re.test(host)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function expandPath(p: string, tokens: Record<string, string>): string {
  let out = p.replace(/%(.)/g, (all, t: string) => (t === '%' ? '%' : (tokens[t] ?? all)));
  if (out === '~' || out.startsWith('~/')) out = path.join(tokens.d, out.slice(1));
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}
