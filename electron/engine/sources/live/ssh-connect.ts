// Opening an SSH connection the way OpenSSH's client would for the same host: settings from ~/.ssh/config,
// ProxyJump hops, ssh-agent then key files then a password, and the host key checked against known_hosts.
// Secrets are never written anywhere: the password and key passphrase come from the environment
// (FLUMEN_SSH_PASSWORD, FLUMEN_SSH_PASSPHRASE) or, in the app, from `auth`, and stay in memory.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type AnyAuthMethod, type ConnectConfig } from 'ssh2';
import type { Readable } from 'node:stream';
import { addHostKey, checkHostKey, hostKeyName } from './known-hosts.ts';
import { readSshConfig } from './ssh-config.ts';

export interface SshConnectOptions {
  /** Default ~/.ssh/config. */
  configFile?: string;
  /** Overrides the config's UserKnownHostsFile (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** `SHA256:…` fingerprints the person accepted for hosts whose key known_hosts does not have. */
  acceptHostKeys: string[];
  identityFiles: string[];
  log?: (line: string) => void;
  /** The app's choice of login (the command line reads the environment instead). */
  auth?: SshAuthOptions;
}

/** Which logins to try, with the secrets they need. */
export interface SshAuthOptions {
  agent: boolean;
  /** Key files: identityFiles, then the config's (or the default ones when neither names any). */
  keys: boolean;
  passphrase?: string;
  password?: string;
}

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

/** What a refused host key was: enough for the app to show its fingerprint and let the person decide. */
export interface HostKeyRefusal {
  /** `host` or `[host]:port`. */
  host: string;
  keyType: string;
  fingerprint: string;
  verdict: 'unknown' | 'changed' | 'revoked';
}

/** The host key was unknown or changed: retrying cannot help, the person must act. */
export class HostKeyError extends Error {
  constructor(
    message: string,
    readonly refusal?: HostKeyRefusal,
  ) {
    super(message);
  }
}

/**
 * The server refused every login tried (a wrong password, a key it does not accept): trying again with the same
 * secrets cannot help, and repeated failures can lock the account, so the first connection fails at once.
 */
export class LoginError extends Error {}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function homeDir(): string {
  return process.env.HOME || os.homedir();
}

/** Connects to `alias` (a config Host or a host name) and resolves once authenticated. */
export async function connectSsh(
  alias: string,
  over: { user?: string | null; port?: number | null },
  opts: SshConnectOptions,
): Promise<{ client: Client; endpoint: SshEndpoint }> {
  const configFile = opts.configFile ?? path.join(homeDir(), '.ssh', 'config');
  const cfg = readSshConfig(configFile, alias, homeDir(), { user: over.user });
  const endpoint: SshEndpoint = {
    host: cfg.hostName,
    port: over.port ?? cfg.port ?? 22,
    user: over.user ?? cfg.user ?? os.userInfo().username,
  };
  const hops: Client[] = [];
  let sock: Readable | undefined;
  try {
    for (const jump of cfg.proxyJump) {
      const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(jump);
      if (!m) throw new Error(`ssh config: bad ProxyJump "${jump}" for ${alias}`);
      const hopAlias = m[2].replace(/^\[|\]$/g, '');
      const hopCfg = readSshConfig(configFile, hopAlias, homeDir(), { user: m[1] });
      const hop: SshEndpoint = {
        host: hopCfg.hostName,
        port: m[3] ? Number(m[3]) : (hopCfg.port ?? 22),
        user: m[1] ?? hopCfg.user ?? os.userInfo().username,
      };
      const client = await connectOne(hop, hopCfg.identityFiles, hopCfg.knownHostsFiles, opts, sock);
      hops.push(client);
      sock = await forward(client, endpoint.host, endpoint.port);
    }
    const client = await connectOne(endpoint, cfg.identityFiles, cfg.knownHostsFiles, opts, sock);
    // Closing the target closes the hops it runs through.
    client.once('close', () => hops.forEach((h) => h.end()));
    return { client, endpoint };
  } catch (err) {
    hops.forEach((h) => h.end());
    throw err;
  }
}

function connectOne(
  ep: SshEndpoint,
  configKeys: string[],
  configKnownHosts: string[],
  opts: SshConnectOptions,
  sock: Readable | undefined,
): Promise<Client> {
  const ssh = path.join(homeDir(), '.ssh');
  const knownHosts = opts.knownHostsFile
    ? [opts.knownHostsFile]
    : configKnownHosts.length > 0
      ? configKnownHosts
      : [path.join(ssh, 'known_hosts'), path.join(ssh, 'known_hosts2')];
  let refusal: string | null = null;
  let refused: HostKeyRefusal | undefined;
  const hostVerifier = (key: Buffer): boolean => {
    const check = checkHostKey(knownHosts, ep.host, ep.port, key);
    const name = hostKeyName(ep.host, ep.port);
    if (check.verdict === 'known') return true;
    if (check.verdict !== 'unknown' || !opts.acceptHostKeys.includes(check.fingerprint))
      refused = {
        host: name,
        keyType: check.keyType,
        fingerprint: check.fingerprint,
        verdict: check.verdict,
      };
    if (check.verdict === 'unknown' && opts.acceptHostKeys.includes(check.fingerprint)) {
      addHostKey(knownHosts[0], ep.host, ep.port, key);
      opts.log?.(`added the ${check.keyType} host key of ${name} (${check.fingerprint}) to ${knownHosts[0]}`);
      return true;
    }
    if (check.verdict === 'unknown') {
      refusal =
        `the authenticity of host ${name} can't be established: ${check.keyType} key fingerprint is ` +
        `${check.fingerprint}; if that is the host's key, run again with --accept-host-key ${check.fingerprint}`;
    } else if (check.verdict === 'changed') {
      refusal =
        `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}: it now offers ${check.keyType} key ` +
        `${check.fingerprint}, which differs from the key in ${check.conflict}. Someone could be eavesdropping ` +
        `(man-in-the-middle), or the host key was replaced. Refusing to connect; remove the old key from that ` +
        `file if the change is expected.`;
    } else {
      refusal = `the host key of ${name} (${check.fingerprint}) is marked @revoked in ${check.conflict}`;
    }
    return false;
  };
  /** Login methods offered, by type: what a refusal names. */
  const tried: string[] = [];
  const methods = authMethods(ep.user, configKeys, opts.identityFiles, ssh, opts.auth);
  const config: ConnectConfig = {
    host: ep.host,
    port: ep.port,
    username: ep.user,
    sock,
    readyTimeout: 15000,
    keepaliveInterval: 10000,
    keepaliveCountMax: 3,
    hostVerifier,
    authHandler: (_left, _partial, next) => {
      const m = methods.shift();
      if (m && !tried.includes(m.type)) tried.push(m.type);
      next((m ?? false) as AnyAuthMethod);
    },
  };
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', (err) => {
      client.end();
      const who = `ssh ${ep.user}@${hostKeyName(ep.host, ep.port)}`;
      if (refusal) reject(new HostKeyError(refusal, refused));
      // ssh2's word for "every method offered was refused" (its other client-authentication errors are local).
      else if (err.message === 'All configured authentication methods failed')
        reject(new LoginError(`${who}: ${loginRefusal(tried, opts.auth === undefined)}`));
      else reject(new Error(`${who}: ${err.message}`));
    });
    client.connect(config);
  });
}

/** Says which logins were refused (never with a secret), or what was missing when there was nothing to try. */
function loginRefusal(tried: string[], fromEnvironment: boolean): string {
  if (tried.length > 0) return `the server refused the login (tried ${tried.join(', ')})`;
  return fromEnvironment
    ? 'no login to try: no ssh-agent (SSH_AUTH_SOCK), no key file and no FLUMEN_SSH_PASSWORD'
    : 'no login to try: no ssh-agent, key file or password';
}

function authMethods(
  user: string,
  configKeys: string[],
  extraKeys: string[],
  sshDir: string,
  auth: SshAuthOptions = {
    agent: true,
    keys: true,
    passphrase: process.env.FLUMEN_SSH_PASSPHRASE,
    password: process.env.FLUMEN_SSH_PASSWORD,
  },
): AnyAuthMethod[] {
  const out: AnyAuthMethod[] = [];
  if (auth.agent && process.env.SSH_AUTH_SOCK)
    out.push({ type: 'agent', username: user, agent: process.env.SSH_AUTH_SOCK });
  if (auth.keys) out.push(...keyMethods(user, [...extraKeys, ...configKeys], sshDir, auth.passphrase));
  const password = auth.password;
  if (password) {
    out.push({ type: 'password', username: user, password });
    // Many servers ask for the password through keyboard-interactive (PAM): answer its hidden prompts with it.
    out.push({
      type: 'keyboard-interactive',
      username: user,
      prompt: (_name, _instructions, _lang, prompts, finish) =>
        finish(prompts.map((p) => (p.echo ? '' : password))),
    });
  }
  return out;
}

function keyMethods(user: string, listed: string[], sshDir: string, passphrase?: string): AnyAuthMethod[] {
  const out: AnyAuthMethod[] = [];
  const files = listed.length > 0 ? listed : DEFAULT_KEYS.map((k) => path.join(sshDir, k));
  for (const file of files) {
    if (!existsSync(file)) continue;
    let key: Buffer;
    try {
      key = readFileSync(file);
    } catch {
      continue;
    }
    out.push({ type: 'publickey', username: user, key, passphrase });
  }
  return out;
}

function forward(client: Client, host: string, port: number): Promise<Readable> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}
