// A stand-in for Electron's safeStorage (the one part of `electron` the engine's vault wraps, which cannot run
// here): reversible, refuses text it did not seal, and remembers what it was asked to seal, so a test can check
// that a password was sealed and never written or logged in the clear.
import type { SecretVault } from '../../electron/engine/service/secret-vault.ts';

export function fakeVault(): SecretVault & { sealed: string[] } {
  const sealed: string[] = [];
  return {
    sealed,
    async seal(plain) {
      sealed.push(plain);
      return 'v1:' + Buffer.from(plain, 'utf8').reverse().toString('base64');
    },
    async open(text) {
      if (!text.startsWith('v1:')) throw new Error('not sealed by this vault');
      return Buffer.from(text.slice(3), 'base64').reverse().toString('utf8');
    },
  };
}
