// Where the secrets of live sources (SSH passwords, key passphrases) may be kept across restarts. The engine never
// writes one in plain text: it asks a vault to seal it, and the desktop shell's vault is Electron's safeStorage
// (the OS keychain). Without a vault (`flumen serve`, or no keychain) secrets live in memory only.

export interface SecretVault {
  /** Seals a secret into text that is safe to write to disk (only this vault can open it). */
  seal(plain: string): Promise<string>;
  /** Opens what seal() produced; rejects when it cannot (another machine or user, a keychain reset). */
  open(sealed: string): Promise<string>;
}
