// `--store clickhouse://user:pass@host:8123/db` (or `clickhouses://` for TLS): where a ClickHouse-backed workspace
// keeps its events. The password may instead come from FLUMEN_CLICKHOUSE_PASSWORD, so it need not sit in a shell
// history or in the workspace (which records the URL without it).

export const PASSWORD_ENV = 'FLUMEN_CLICKHOUSE_PASSWORD';
/** A PEM file of certificate authorities to trust for clickhouses:// besides the system's (a private CA). */
export const CA_ENV = 'FLUMEN_CLICKHOUSE_CA';

export interface ClickHouseTarget {
  tls: boolean;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** FLUMEN_CLICKHOUSE_CA, for TLS. */
  caFile: string | null;
}

/** A bad --store value: the message names the input and what is wrong with it. */
export class StoreUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUrlError';
  }
}

const DATABASE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Parses a store URL; the password falls back to FLUMEN_CLICKHOUSE_PASSWORD (from `env`), then to none. */
export function parseStoreUrl(text: string, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreUrlError(
      `--store ${redact(text)}: not a URL (expected clickhouse://user:pass@host:8123/db)`,
    );
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'clickhouse' && scheme !== 'clickhouses') {
    throw new StoreUrlError(
      `--store ${redact(text)}: unknown scheme "${scheme}" (expected clickhouse:// or clickhouses:// for TLS)`,
    );
  }
  const tls = scheme === 'clickhouses';
  if (!url.hostname) throw new StoreUrlError(`--store ${redact(text)}: no host`);
  const database = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, '')) || 'default';
  if (!DATABASE.test(database)) {
    throw new StoreUrlError(
      `--store ${redact(text)}: database "${database}" must be letters, digits and _ (not starting with a digit)`,
    );
  }
  if (url.search || url.hash) {
    throw new StoreUrlError(`--store ${redact(text)}: takes no ?query or #fragment`);
  }
  const password = url.password ? decodeURIComponent(url.password) : (env[PASSWORD_ENV] ?? '');
  return {
    tls,
    // URL keeps IPv6 literals in brackets; http.request wants them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : tls ? 8443 : 8123,
    user: url.username ? decodeURIComponent(url.username) : 'default',
    password,
    database,
    caFile: env[CA_ENV] || null,
  };
}

/** The URL without its password: what the workspace records and what messages show. */
export function describeTarget(t: ClickHouseTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.tls ? 'clickhouses' : 'clickhouse'}://${encodeURIComponent(t.user)}@${host}:${t.port}/${t.database}`;
}

/** Same place (server, user and database), whatever the password. */
export function sameTarget(a: ClickHouseTarget, b: ClickHouseTarget): boolean {
  return describeTarget(a) === describeTarget(b);
}

/** The text with any password in it replaced, for error messages. */
export function redact(text: string): string {
  return text.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
