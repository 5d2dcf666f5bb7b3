// A ClickHouse-backed workspace in the desktop app. The workspace folder names its store in `store.json` (the URL
// without the password, store/clickhouse/binding.ts); the password is kept beside it only sealed by the app's
// SecretVault (safeStorage: the OS keychain), in `store-secret.json`, and opened again each time the workspace
// is opened. The full URL (with the password) exists only in memory, on its way to the engine worker.
// Plain Node: no Electron import, so it is tested directly with a stand-in vault.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../engine/store/atomic-write.ts';
import { readBinding } from '../engine/store/clickhouse/binding.ts';
import { describeTarget, parseStoreUrl, PASSWORD_ENV } from '../engine/store/clickhouse/url.ts';
import type { SecretVault } from '../engine/service/secret-vault.ts';

export const STORE_SECRET_FILE = 'store-secret.json';

/** What the person typed in the ClickHouse store dialog. */
export interface StoreAnswer {
  url: string;
  /** Empty: the password in the URL, if any (an empty password is a valid one for a passwordless user). */
  password: string;
}

interface SealedPassword {
  /** The store URL without its password: the secret is used for this store only. */
  url: string;
  sealed: string;
}

/** The password of a ClickHouse workspace cannot be had: the message says why and what to do. */
export class StorePasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorePasswordError';
  }
}

const REENTER = 'enter it again (Enter Password… when the app offers it)';

/** Whether the workspace keeps its events in ClickHouse (a store.json names one). */
export function isClickHouseWorkspace(dir: string): boolean {
  return readBinding(dir) !== null;
}

/** The store URL the workspace was bound to (without password), or null for a local workspace. */
export function boundStoreUrl(dir: string): string | null {
  return readBinding(dir)?.url ?? null;
}

/** The URL with this password in it, as parseStoreUrl reads it back (percent-encoded). */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.href;
}

/**
 * The store for the engine when the workspace opens: null for a local workspace, else its URL with the sealed
 * password. Without a sealed password, FLUMEN_CLICKHOUSE_PASSWORD (in `env`) still serves, as on the command line.
 */
export async function storeUrlForWorkspace(
  dir: string,
  vault: SecretVault | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  const bound = readBinding(dir);
  if (!bound) return null;
  const kept = readSealed(dir);
  if (!kept || kept.url !== bound.url) {
    if (env[PASSWORD_ENV] != null) return bound.url;
    throw new StorePasswordError(`no saved password for the ClickHouse store ${bound.url}: ${REENTER}`);
  }
  if (!vault) {
    throw new StorePasswordError(
      `the password for ${bound.url} is sealed, but this system's secure storage (keychain) is not available; ` +
        `unlock it, or set ${PASSWORD_ENV}`,
    );
  }
  let password: string;
  try {
    password = await vault.open(kept.sealed);
  } catch {
    // The vault's own message is not shown: it says nothing more useful, and a secret must never reach a dialog.
    throw new StorePasswordError(
      `the saved password for ${bound.url} could not be decrypted (another user or machine, or a reset ` +
        `keychain): ${REENTER}`,
    );
  }
  return withPassword(bound.url, password);
}

/**
 * Opens the workspace in `dir` on the ClickHouse store the answer names (`open` gets the full URL: the engine
 * checks the server, the password and the schema, and binds a new workspace), then keeps the password sealed.
 * Works for a new workspace and for one whose saved password is missing or stale. Resolves to what `open` gave.
 */
export async function openWithStorePassword<T>(
  dir: string,
  answer: StoreAnswer,
  vault: SecretVault | null,
  open: (store: string) => Promise<T>,
): Promise<T> {
  // parseStoreUrl's errors redact a password typed in the URL; env {}: only what was typed counts here.
  const target = parseStoreUrl(answer.url.trim(), {});
  const password = answer.password !== '' ? answer.password : target.password;
  const url = describeTarget(target);
  if (!vault) {
    throw new StorePasswordError(
      `this system offers no secure storage (keychain) to keep the ClickHouse password in; ` +
        `set ${PASSWORD_ENV} before starting Flumen and leave the password empty`,
    );
  }
  // Sealed before the engine starts, so a vault that refuses leaves no half-bound workspace behind.
  const sealed = await vault.seal(password);
  const opened = await open(withPassword(url, password));
  writeSealed(dir, { url, sealed });
  return opened;
}

function readSealed(dir: string): SealedPassword | null {
  const file = path.join(dir, STORE_SECRET_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const data = JSON.parse(text) as Partial<SealedPassword>;
    if (typeof data.url === 'string' && typeof data.sealed === 'string') return data as SealedPassword;
  } catch {
    // a corrupt file is a missing password: the person is asked for it again
  }
  return null;
}

function writeSealed(dir: string, kept: SealedPassword): void {
  writeFileAtomicSync(path.join(dir, STORE_SECRET_FILE), Buffer.from(JSON.stringify(kept, null, 1) + '\n'));
}
