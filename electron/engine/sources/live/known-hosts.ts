// Host key checking as OpenSSH does it, against known_hosts files: plain and hashed (`|1|salt|hash`, HMAC-SHA1 of
// the host name) entries, `[host]:port` for non-22 ports, comma-separated names, `*`/`?` patterns and `!negation`.
// A key the files do not know is "unknown" (shown with its SHA256 fingerprint for the person to accept); a host
// the files know with a different key of the same type is "changed" (refused, as OpenSSH refuses it).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyCheck {
  verdict: HostKeyVerdict;
  /** `SHA256:…` (base64 without padding), as ssh-keygen -l prints it. */
  fingerprint: string;
  keyType: string;
  /** The file and line that named the host with another key (changed). */
  conflict?: string;
}

interface Entry {
  marker: string | null;
  hosts: string;
  keyType: string;
  key: Buffer;
  where: string;
}

export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return '';
  const n = key.readUInt32BE(0);
  return key.toString('latin1', 4, 4 + n);
}

/** How known_hosts names a host: `host` on port 22, else `[host]:port`. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function checkHostKey(files: string[], host: string, port: number, key: Buffer): HostKeyCheck {
  const name = hostKeyName(host, port);
  const keyType = keyTypeOf(key);
  const result: HostKeyCheck = { verdict: 'unknown', fingerprint: fingerprintOf(key), keyType };
  for (const e of readEntries(files)) {
    if (!namesHost(e.hosts, name)) continue;
    const same = e.key.equals(key);
    if (e.marker === '@revoked') {
      if (same) return { ...result, verdict: 'revoked', conflict: e.where };
      continue;
    }
    if (e.marker) continue; // @cert-authority: certificates are not supported; such lines are not plain keys
    if (same) result.verdict = 'known';
    else if (e.keyType === keyType && result.verdict !== 'known') {
      result.verdict = 'changed';
      result.conflict = e.where;
    }
  }
  return result;
}

/** Records an accepted key, hashed (as with HashKnownHosts yes): the file does not list the hosts one visits. */
export function addHostKey(file: string, host: string, port: number, key: Buffer): void {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(hostKeyName(host, port)).digest();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(
    file,
    `|1|${salt.toString('base64')}|${hash.toString('base64')} ${keyTypeOf(key)} ${key.toString('base64')}\n`,
    {
      mode: 0o600,
    },
  );
}

function readEntries(files: string[]): Entry[] {
  const out: Entry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line || line.startsWith('#')) continue;
      const parts = line.split(/\s+/);
      const marker = parts[0].startsWith('@') ? parts.shift()! : null;
      if (parts.length < 3) continue;
      out.push({
        marker,
        hosts: parts[0],
        keyType: parts[1],
        key: Buffer.from(parts[2], 'base64'),
        where: `${file}:${i + 1}`,
      });
    }
  }
  return out;
}

function namesHost(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of hosts.split(',')) {
    const negated = p.startsWith('!');
    const pat = negated ? p.slice(1) : p;
    const re = new RegExp(
      `^${pat
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\[/g, '\\[')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    );
    if (re.test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}
