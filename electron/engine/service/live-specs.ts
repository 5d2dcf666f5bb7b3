// From a validated addLiveSource request to a running collector: the definition the API shows (secrets taken
// out), the SSH destination in either of its forms, a key file checked with its passphrase before any connection
// (so a wrong passphrase is named as such, not as "authentication failed"), and tail paths that another live
// source already follows refused (two followers of one file would store its lines twice).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
// ssh2 is CommonJS: Node's ESM loader finds `Client` among its named exports but not `utils`.
import ssh2 from 'ssh2';
import type { LiveSourceSpec } from '../../../shared/api.ts';
import type { LiveCollector } from '../pipeline/live.ts';
import { hasGlob, segmentRegExp } from '../sources/glob.ts';
import { SshCollector, parseSshTarget, type SshTarget } from '../sources/live/ssh.ts';
import { SyslogCollector } from '../sources/live/syslog.ts';
import { TailCollector } from '../sources/live/tail.ts';
import { ApiFailure } from './api-failure.ts';
import type { ValidLiveRequest } from './live-api.ts';

/** What an SSH source needs to log in and never shows: kept in memory, or sealed by the shell's vault. */
export interface LiveSecrets {
  passphrase?: string;
  password?: string;
}

export interface CollectorOptions {
  /** Host key fingerprints the person accepted. */
  acceptHostKeys: string[];
  log?: (message: string) => void;
}

/** The definition without its secrets: what the API returns and the workspace keeps. */
export function publicSpec(req: ValidLiveRequest): LiveSourceSpec {
  if (req.kind === 'tail') return { kind: 'tail', paths: [...req.paths] };
  if (req.kind === 'syslog') {
    const { protocol, host, port, certFile, keyFile } = req;
    return { kind: 'syslog', protocol, host, port, certFile, keyFile };
  }
  const { destination, path: remotePath, auth, keyFile } = req;
  return { kind: 'ssh', destination, path: remotePath, auth, keyFile };
}

export function secretsOf(req: ValidLiveRequest): LiveSecrets | null {
  if (req.kind !== 'ssh') return null;
  const out: LiveSecrets = {};
  if (req.passphrase) out.passphrase = req.passphrase;
  if (req.password) out.password = req.password;
  return out.passphrase || out.password ? out : null;
}

/** Whether the definition cannot log in without a secret (so it cannot come back after a restart without one). */
export function needsSecret(spec: LiveSourceSpec): boolean {
  return spec.kind === 'ssh' && spec.auth === 'password';
}

const HOST_FORM = /^(?:([^@\s/]+)@)?([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/** `ssh://user@host[:port]/path-or-glob` (path maybe given apart), or `[user@]host-or-alias[:port]` plus a path. */
export function sshTargetOf(spec: Extract<LiveSourceSpec, { kind: 'ssh' }>): SshTarget {
  const remote = spec.path;
  if (remote != null && remote !== 'journal' && !remote.startsWith('/'))
    throw invalid(`path: "${remote}" must be an absolute remote path or glob (or "journal")`);
  const suffix = remote == null ? '' : remote === 'journal' ? '/?journal' : remote;
  if (/^ssh:\/\//i.test(spec.destination)) {
    const bare = spec.destination.replace(/\/+$/, '');
    if (remote != null && /^ssh:\/\/[^/]+\/./i.test(bare))
      throw invalid(`${spec.destination}: the URI has a path already; leave the path field empty`);
    return parse(bare + suffix);
  }
  const m = HOST_FORM.exec(spec.destination);
  if (!m)
    throw invalid(
      `${spec.destination}: not an ssh:// URI nor a host (expected ssh://user@host[:port]/path or user@host[:port])`,
    );
  if (remote == null) throw invalid(`${spec.destination}: give the remote path or glob to follow`);
  return parse(
    `ssh://${m[1] ? `${encodeURIComponent(m[1])}@` : ''}${m[2]}${m[3] ? `:${m[3]}` : ''}${suffix}`,
  );
}

function parse(uri: string): SshTarget {
  try {
    return parseSshTarget(uri);
  } catch (err) {
    throw invalid((err as Error).message);
  }
}

/** A collector for the definition; throws ApiFailure('invalid-request') when its key file or destination is bad. */
export async function collectorFor(
  spec: LiveSourceSpec,
  secrets: LiveSecrets | null,
  opts: CollectorOptions,
): Promise<LiveCollector> {
  if (spec.kind === 'tail') return new TailCollector(spec.paths);
  if (spec.kind === 'syslog') {
    return new SyslogCollector(
      { protocol: spec.protocol, host: spec.host, port: spec.port },
      { certFile: spec.certFile ?? undefined, keyFile: spec.keyFile ?? undefined },
    );
  }
  const target = sshTargetOf(spec);
  if (spec.auth === 'key') await checkKeyFile(spec.keyFile as string, secrets?.passphrase);
  return new SshCollector(target, {
    acceptHostKeys: opts.acceptHostKeys,
    identityFiles: spec.keyFile ? [spec.keyFile] : [],
    auth: {
      agent: spec.auth === 'agent',
      keys: spec.auth !== 'password',
      passphrase: secrets?.passphrase,
      password: secrets?.password,
    },
    log: opts.log,
  });
}

async function checkKeyFile(file: string, passphrase: string | undefined): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    throw invalid(`key file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const key = ssh2.utils.parseKey(data, passphrase);
  if (!(key instanceof Error)) {
    if (!key.isPrivateKey()) throw invalid(`key file ${file} holds a public key, not the private key`);
    return;
  }
  if (/no passphrase given/i.test(key.message))
    throw invalid(`key file ${file} is encrypted: give its passphrase`);
  if (/bad passphrase|decrypt/i.test(key.message)) throw invalid(`key file ${file}: the passphrase is wrong`);
  throw invalid(`key file ${file} is not a private key Flumen can read (${key.message})`);
}

/**
 * A tail path that another live source follows already (the same path, or a path one of its globs matches), or
 * null. Two globs are not compared: a file both match would be followed twice, which the dialog warns about.
 */
export function followedAlready(paths: string[], others: { id: string; paths: string[] }[]): string | null {
  for (const p of paths.map((x) => path.resolve(x))) {
    for (const o of others) {
      for (const q of o.paths.map((x) => path.resolve(x))) {
        const same = p === q || (hasGlob(q) && !hasGlob(p) && globMatches(q, p));
        const under = hasGlob(p) && !hasGlob(q) && globMatches(p, q);
        if (same || under) return `${p}: ${o.id} follows ${q} already`;
      }
    }
  }
  return null;
}

function globMatches(glob: string, file: string): boolean {
  const g = glob.split(path.sep);
  const f = file.split(path.sep);
  return g.length === f.length && g.every((seg, i) => seg === f[i] || segmentRegExp(seg).test(f[i]));
}

function invalid(message: string): ApiFailure {
  return new ApiFailure({ code: 'invalid-request', message });
}
