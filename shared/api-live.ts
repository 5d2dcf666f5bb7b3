// The live-source part of the API (shared/api.ts re-exports it): tail, syslog listeners and SSH tails running inside
// the engine, with per-source status, pause and resume. Secrets (SSH passwords, key passphrases) go in with
// addLiveSource and never come back.
import type { ApiMethod } from './api.ts';

export type LiveSourceKind = 'tail' | 'syslog' | 'ssh';

/** How an SSH source logs in: the ssh-agent, a private key file (maybe with a passphrase), or a password. */
export type SshAuthMethod = 'agent' | 'key' | 'password';

/** A live source's definition as the API returns it: never a password or a passphrase. */
export type LiveSourceSpec =
  | {
      kind: 'tail';
      /** Absolute paths or globs; new files matching a glob are picked up. */
      paths: string[];
    }
  | {
      kind: 'syslog';
      protocol: 'udp' | 'tcp' | 'tls';
      /** Address to listen on (127.0.0.1 unless another is asked for). */
      host: string;
      /** 0 picks a free port (the status name shows which). */
      port: number;
      /** TLS only: PEM certificate and key files on the machine running Flumen. */
      certFile: string | null;
      keyFile: string | null;
    }
  | {
      kind: 'ssh';
      /** `ssh://user@host[:port]/path-or-glob`, or a host (an alias of ~/.ssh/config, maybe `user@alias:port`). */
      destination: string;
      /** The remote absolute path or glob when the destination does not carry one; "journal" for journalctl. */
      path: string | null;
      auth: SshAuthMethod;
      /** For auth "key": the private key file. */
      keyFile: string | null;
    };

/** What addLiveSource takes: the definition plus the secrets it needs and, after a prompt, the accepted host key. */
export type LiveSourceRequest =
  | Extract<LiveSourceSpec, { kind: 'tail' }>
  | Extract<LiveSourceSpec, { kind: 'syslog' }>
  | (Extract<LiveSourceSpec, { kind: 'ssh' }> & {
      /** For auth "key" with an encrypted key file. */
      passphrase?: string | null;
      /** For auth "password". */
      password?: string | null;
      /** `SHA256:…`: the unknown host key the person accepted after a hostKey answer. */
      acceptHostKey?: string | null;
    });

/** An SSH host whose key could not be trusted: unknown (the person may accept it) or changed/revoked (refused). */
export interface HostKeyPrompt {
  /** `host` or `[host]:port`, as known_hosts writes it. */
  host: string;
  keyType: string;
  /** `SHA256:…`, as OpenSSH prints it. */
  fingerprint: string;
  verdict: 'unknown' | 'changed' | 'revoked';
  /** OpenSSH's wording of the problem (for "changed", its warning). */
  message: string;
}

/** addLiveSource's answer: the source running, or a host key the person must decide about first. */
export type LiveAddResult = { added: LiveSourceStatus } | { hostKey: HostKeyPrompt };

export interface LiveSourceStatus {
  id: string;
  kind: LiveSourceKind;
  /** What it follows or where it listens, e.g. `tail /var/log/*.log`, `tcp://127.0.0.1:5514`. */
  name: string;
  spec: LiveSourceSpec;
  /** stopped: not running because it could not start or gave up (see lastError); resume tries again. */
  state: 'running' | 'paused' | 'stopped';
  /** Records (lines, messages) read per second over the last few seconds. */
  eventsPerSec: number;
  records: number;
  bytes: number;
  /** Events committed to the store. */
  committed: number;
  /** Records dropped (a UDP listener that was full or paused). */
  dropped: number;
  /** From receipt to commit (ms) for the last commit; while paused, how long the held data has waited. */
  lagMs: number | null;
  /** Bytes not yet read (tail), where that is known. */
  lagBytes: number | null;
  /** Files followed or connections open. */
  active: number;
  lastError: string | null;
}

export interface LiveIdRequest {
  id: string;
}

export interface LiveApi {
  liveSources(): Promise<LiveSourceStatus[]>;
  addLiveSource(req: LiveSourceRequest): Promise<LiveAddResult>;
  /** Stops reading (TCP senders are slowed, UDP datagrams are dropped and counted); nothing read is lost. */
  pauseLiveSource(req: LiveIdRequest): Promise<LiveSourceStatus>;
  /** Continues where it paused; a stopped source is started again. */
  resumeLiveSource(req: LiveIdRequest): Promise<LiveSourceStatus>;
  /** Stops it after committing what it read; its stored events stay. */
  removeLiveSource(req: LiveIdRequest): Promise<void>;
}

export const LIVE_METHODS = [
  'liveSources',
  'addLiveSource',
  'pauseLiveSource',
  'resumeLiveSource',
  'removeLiveSource',
] as const satisfies readonly ApiMethod[];
