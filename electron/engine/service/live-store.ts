// The workspace's live sources, kept in `live-sources.json` so they start again when the workspace is opened
// again. Definitions are written as the API shows them (no secrets); a source's secrets are written only sealed
// by the vault, as one opaque string. Without a vault they are not written at all, and such a source comes back
// stopped, saying why.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../store/atomic-write.ts';
import type { LiveSecrets } from './live-specs.ts';
import type { SecretVault } from './secret-vault.ts';

export const LIVE_SOURCES_FILE = 'live-sources.json';

export interface SavedLiveSource {
  id: string;
  /** A LiveSourceSpec when written by us; whatever the file holds when read (checked before use). */
  spec: unknown;
  paused: boolean;
  /** The secrets as the vault sealed them; null when there are none or no vault could keep them. */
  sealed: string | null;
  /** True when the source had secrets that could not be kept (they were in memory only). */
  secretsLost: boolean;
}

const savedSchema = z.object({
  version: z.literal(1),
  sources: z.array(
    z.object({
      id: z.string().regex(/^live-\d{1,9}$/),
      // Checked again as a request when the source is started (live-sources.ts).
      spec: z.unknown(),
      paused: z.boolean(),
      sealed: z.string().nullable(),
      secretsLost: z.boolean().default(false),
    }),
  ),
});

export class LiveSourceFile {
  private readonly file: string;

  constructor(
    dir: string,
    private readonly vault: SecretVault | null,
  ) {
    this.file = path.join(dir, LIVE_SOURCES_FILE);
  }

  /** The saved sources; a damaged file is reported and treated as empty (it is replaced on the next save). */
  load(): { sources: SavedLiveSource[]; problem: string | null } {
    if (!existsSync(this.file)) return { sources: [], problem: null };
    try {
      const parsed = savedSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      return { sources: parsed.sources, problem: null };
    } catch (err) {
      const reason = err instanceof SyntaxError ? 'not JSON' : 'not a list of live sources';
      return {
        sources: [],
        problem: `${this.file} cannot be read (${reason}); its sources were not started`,
      };
    }
  }

  save(sources: SavedLiveSource[]): void {
    if (sources.length === 0) {
      if (existsSync(this.file)) unlinkSync(this.file);
      return;
    }
    writeFileAtomicSync(this.file, Buffer.from(JSON.stringify({ version: 1, sources }, null, 2) + '\n'));
  }

  /** The secrets sealed for the file, or null when there are none or they cannot be kept (no vault). */
  async seal(secrets: LiveSecrets | null): Promise<string | null> {
    if (!secrets || !this.vault) return null;
    return this.vault.seal(JSON.stringify(secrets));
  }

  async open(sealed: string): Promise<LiveSecrets> {
    if (!this.vault) throw new Error('no vault to open the saved secrets with');
    const parsed = z
      .object({ passphrase: z.string().optional(), password: z.string().optional() })
      .parse(JSON.parse(await this.vault.open(sealed)));
    return parsed;
  }

  get keepsSecrets(): boolean {
    return this.vault !== null;
  }
}
