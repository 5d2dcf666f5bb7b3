// The desktop app's ClickHouse workspaces: the password typed with the store URL is sealed by the SecretVault
// (safeStorage, a stand-in here) into the workspace, reopening opens it back into the URL the engine gets, and a
// missing, undecryptable or unkeepable password is one clear line that never carries the secret.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveBinding } from '../../../electron/engine/store/clickhouse/binding.ts';
import { describeTarget, parseStoreUrl } from '../../../electron/engine/store/clickhouse/url.ts';
import type { SecretVault } from '../../../electron/engine/service/secret-vault.ts';
import {
  isClickHouseWorkspace,
  openWithStorePassword,
  STORE_SECRET_FILE,
  StorePasswordError,
  storeUrlForWorkspace,
  withPassword,
} from '../../../electron/main/clickhouse-password.ts';
import { safeStorageVault, type SafeStorageLike } from '../../../electron/main/secret-vault.ts';

// Characters that mean something in a URL, so the round trip through the URL is tested too.
const SECRET = 'p@ss:w/o%41rd#?ü';
const URL_TEXT = 'clickhouse://analyst@ch.example:8123/logs';

/** safeStorage stand-in: XOR "encryption" under a key; another key is another machine or a reset keychain. */
function fakeSafeStorage(key = 0x5a): SafeStorageLike & { sealed: string[] } {
  const sealed: string[] = [];
  return {
    sealed,
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret' as never,
    encryptStringAsync: async (plain: string) => {
      sealed.push(plain);
      return Buffer.from(Buffer.from(`enc(${plain})`, 'utf8').map((b) => b ^ key));
    },
    decryptStringAsync: async (buf: Buffer) => {
      const m = /^enc\((.*)\)$/s.exec(Buffer.from(buf.map((b) => b ^ key)).toString('utf8'));
      if (!m) throw new Error(`Error while decrypting the ciphertext (${SECRET} must never show)`);
      return { shouldReEncrypt: false, result: m[1] };
    },
  };
}

const vaultOf = async (key?: number) => (await safeStorageVault(fakeSafeStorage(key), 'linux'))!;

const dirs: string[] = [];
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flumen-ch-password-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** What the engine does with the URL it gets: binds the workspace (store.json, no password). */
function bindLikeTheEngine(dir: string, seen: string[]) {
  return async (store: string) => {
    seen.push(store);
    saveBinding(dir, {
      kind: 'clickhouse',
      url: describeTarget(parseStoreUrl(store, {})),
      workspaceId: 'w1',
    });
    return 'opened';
  };
}

function filesIn(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f));
}

describe('a ClickHouse workspace in the app', () => {
  it('hands the engine the URL with the password, and keeps the password only sealed', async () => {
    const dir = workspace();
    const seen: string[] = [];
    const storage = fakeSafeStorage();
    const vault = (await safeStorageVault(storage, 'linux'))!;
    const opened = await openWithStorePassword(
      dir,
      { url: URL_TEXT, password: SECRET },
      vault,
      bindLikeTheEngine(dir, seen),
    );
    expect(opened).toBe('opened');
    expect(storage.sealed).toEqual([SECRET]);
    expect(seen).toHaveLength(1);
    expect(parseStoreUrl(seen[0], {}).password).toBe(SECRET);
    expect(isClickHouseWorkspace(dir)).toBe(true);
    const kept = JSON.parse(fs.readFileSync(path.join(dir, STORE_SECRET_FILE), 'utf8'));
    expect(kept.url).toBe(URL_TEXT);
    for (const file of filesIn(dir)) {
      const bytes = fs.readFileSync(file);
      expect(bytes.toString('utf8'), file).not.toContain(SECRET);
      expect(bytes.toString('latin1'), file).not.toContain('w/o%41rd');
    }
  });

  it('reopens with the sealed password, and a local workspace stays local', async () => {
    const dir = workspace();
    const vault = await vaultOf();
    await openWithStorePassword(dir, { url: URL_TEXT, password: SECRET }, vault, bindLikeTheEngine(dir, []));
    const store = await storeUrlForWorkspace(dir, vault, {});
    expect(store).not.toBeNull();
    const target = parseStoreUrl(store!, {});
    expect(target.password).toBe(SECRET);
    expect(describeTarget(target)).toBe(URL_TEXT);
    expect(await storeUrlForWorkspace(workspace(), vault, {})).toBeNull();
  });

  it('takes the password from the URL when the password field is empty, and keeps it out of the binding', async () => {
    const dir = workspace();
    const seen: string[] = [];
    const vault = await vaultOf();
    await openWithStorePassword(
      dir,
      { url: withPassword(URL_TEXT, SECRET), password: '' },
      vault,
      bindLikeTheEngine(dir, seen),
    );
    expect(parseStoreUrl(seen[0], {}).password).toBe(SECRET);
    expect(parseStoreUrl((await storeUrlForWorkspace(dir, vault, {}))!, {}).password).toBe(SECRET);
    expect(fs.readFileSync(path.join(dir, 'store.json'), 'utf8')).not.toContain('o%41rd');
  });

  it('says clearly when no password was saved, unless FLUMEN_CLICKHOUSE_PASSWORD gives one', async () => {
    const dir = workspace();
    saveBinding(dir, { kind: 'clickhouse', url: URL_TEXT, workspaceId: 'w1' });
    const vault = await vaultOf();
    await expect(storeUrlForWorkspace(dir, vault, {})).rejects.toThrow(
      new StorePasswordError(
        `no saved password for the ClickHouse store ${URL_TEXT}: enter it again (Enter Password… when the app offers it)`,
      ),
    );
    expect(await storeUrlForWorkspace(dir, vault, { FLUMEN_CLICKHOUSE_PASSWORD: SECRET })).toBe(URL_TEXT);
  });

  it('says clearly when the sealed password cannot be decrypted, without the vault’s words or the secret', async () => {
    const dir = workspace();
    await openWithStorePassword(
      dir,
      { url: URL_TEXT, password: SECRET },
      await vaultOf(0x5a),
      bindLikeTheEngine(dir, []),
    );
    const err = (await storeUrlForWorkspace(dir, await vaultOf(0x33), {}).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(StorePasswordError);
    expect(err.message).toMatch(
      /^the saved password for clickhouse:\/\/analyst@ch\.example:8123\/logs could not be decrypted/,
    );
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain('ciphertext');
    // Without a keychain at all (locked, or none on this desktop): also one line that says what to do.
    await expect(storeUrlForWorkspace(dir, null, {})).rejects.toThrow(
      /secure storage \(keychain\) is not available/,
    );
  });

  it('refuses to bind without a keychain, and writes nothing when the vault or the server refuses', async () => {
    const dir = workspace();
    let opened = 0;
    const open = async () => void opened++;
    await expect(openWithStorePassword(dir, { url: URL_TEXT, password: SECRET }, null, open)).rejects.toThrow(
      /no secure storage \(keychain\) to keep the ClickHouse password in; set FLUMEN_CLICKHOUSE_PASSWORD/,
    );
    const refusing: SecretVault = {
      seal: () => Promise.reject(new Error('the keychain is locked')),
      open: () => Promise.reject(new Error('locked')),
    };
    await expect(
      openWithStorePassword(dir, { url: URL_TEXT, password: SECRET }, refusing, open),
    ).rejects.toThrow('the keychain is locked');
    expect(opened).toBe(0);
    const serverSaysNo = () =>
      Promise.reject(new Error('clickhouse://analyst@ch.example:8123/logs: Authentication failed'));
    await expect(
      openWithStorePassword(dir, { url: URL_TEXT, password: SECRET }, await vaultOf(), serverSaysNo),
    ).rejects.toThrow(/Authentication failed/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a bad URL in one line that does not repeat a password typed in it', async () => {
    const err = (await openWithStorePassword(
      workspace(),
      { url: 'mysql://u:hunter2secret@h/db', password: '' },
      await vaultOf(),
      async () => 'never',
    ).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/unknown scheme "mysql"/);
    expect(err.message).not.toContain('hunter2secret');
  });
});
