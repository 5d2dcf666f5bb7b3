// The desktop app's SecretVault: Electron's safeStorage (the macOS Keychain, Windows DPAPI, or the Linux desktop's
// secret service). On Linux without a secret service safeStorage falls back to a hard-coded key ("basic_text"),
// which protects nothing: then there is no vault, and live sources' secrets stay in memory only, as in serve mode.
import type { SafeStorage } from 'electron';
import type { SecretVault } from '../engine/service/secret-vault.ts';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
>;

/** The vault over safeStorage, or null when it would not really protect secrets here. Call after app ready. */
export async function safeStorageVault(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretVault | null> {
  try {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return null;
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  } catch {
    return null;
  }
  return {
    seal: async (plain) => (await safeStorage.encryptStringAsync(plain)).toString('base64'),
    open: async (sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result,
  };
}
