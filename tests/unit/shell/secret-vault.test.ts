// The desktop shell's SecretVault over Electron's safeStorage (a stand-in object here: no Electron binary): it
// seals through safeStorage, opens what it sealed, and refuses to exist where safeStorage would protect nothing.
import { describe, expect, it } from 'vitest';
import { safeStorageVault, type SafeStorageLike } from '../../../electron/main/secret-vault.ts';

function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageLike & {
  encrypted: string[];
} {
  const encrypted: string[] = [];
  return {
    encrypted,
    isAsyncEncryptionAvailable: async () => opts.available ?? true,
    getSelectedStorageBackend: () => (opts.backend ?? 'gnome_libsecret') as never,
    encryptStringAsync: async (plain: string) => {
      encrypted.push(plain);
      return Buffer.from(Buffer.from(`enc(${plain})`, 'utf8').map((b) => b ^ 0x5a));
    },
    decryptStringAsync: async (buf: Buffer) => {
      const text = Buffer.from(buf.map((b) => b ^ 0x5a)).toString('utf8');
      const m = /^enc\((.*)\)$/s.exec(text);
      if (!m) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { shouldReEncrypt: false, result: m[1] };
    },
  };
}

describe('the safeStorage vault', () => {
  it('seals through safeStorage into text that holds no trace of the secret, and opens it again', async () => {
    const storage = fakeSafeStorage();
    const vault = (await safeStorageVault(storage, 'linux'))!;
    const sealed = await vault.seal('{"password":"s3cret"}');
    expect(storage.encrypted).toEqual(['{"password":"s3cret"}']);
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('s3cret');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('s3cret');
    await expect(vault.open(sealed)).resolves.toBe('{"password":"s3cret"}');
    await expect(vault.open(Buffer.from('tampered').toString('base64'))).rejects.toThrow(/decrypting/);
  });

  it('is absent when encryption is unavailable, or on Linux with only the hard-coded basic_text key', async () => {
    expect(await safeStorageVault(fakeSafeStorage({ available: false }), 'darwin')).toBeNull();
    expect(await safeStorageVault(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toBeNull();
    // getSelectedStorageBackend is Linux-only: elsewhere an available safeStorage is the OS keychain.
    expect(await safeStorageVault(fakeSafeStorage({ backend: 'basic_text' }), 'win32')).not.toBeNull();
  });
});
