// One reader per thing read in a workspace. Two tail patterns can name one file (a glob and the file itself, a
// symlink and its target, two tail sources in the app): each line would be stored twice. A collector claims what it
// is about to read under a key that names the thing itself (a file's device and inode); a second claimant is told
// who holds it and leaves it alone. A holder that lets go (its file drained, its collector removed) leaves its read
// position behind, so whoever claims the thing next goes on from there instead of reading it again. What a kind of
// collector must know beyond that (tail: how far each file's content was read, to recognise it renamed or copied)
// is kept here too, once per workspace (keep).

/** Who holds a claim; the label is what a person is told ("--tail /var/log/*.log"). */
export interface ClaimOwner {
  readonly label: string;
}

export type ClaimResult =
  /** Claimed; `handoff` is the position the last holder left (undefined when nobody read it before). */
  { ok: true; handoff: unknown } | { ok: false; heldBy: ClaimOwner };

/** Positions left by holders that let go are kept for this many keys (oldest forgotten first). */
const MAX_HANDOFFS = 4096;

export class LiveClaims {
  private readonly held = new Map<string, ClaimOwner>();
  private readonly handoffs = new Map<string, unknown>();
  private readonly kept = new Map<string, unknown>();

  /** Claims `key` for `owner` (again claiming what it holds is fine). */
  claim(key: string, owner: ClaimOwner): ClaimResult {
    const holder = this.held.get(key);
    if (holder && holder !== owner) return { ok: false, heldBy: holder };
    this.held.set(key, owner);
    const handoff = this.handoffs.get(key);
    this.handoffs.delete(key);
    return { ok: true, handoff };
  }

  /** Who holds `key` now (undefined when nobody reads it). */
  holder(key: string): ClaimOwner | undefined {
    return this.held.get(key);
  }

  /**
   * What a kind of collector knows for the whole workspace besides claims, made on first use: tail keeps how far
   * the content of each file was read, so a file met again under another name (a rotation matched by a glob, a
   * copy) goes on from there whichever tail source meets it.
   */
  keep<T>(kind: string, make: () => T): T {
    if (!this.kept.has(kind)) this.kept.set(kind, make());
    return this.kept.get(kind) as T;
  }

  /** Lets go of `key` if `owner` holds it, leaving `handoff` (a read position) for the next claimant. */
  release(key: string, owner: ClaimOwner, handoff?: unknown): void {
    if (this.held.get(key) !== owner) return;
    this.held.delete(key);
    if (handoff === undefined) return;
    this.handoffs.set(key, handoff);
    if (this.handoffs.size > MAX_HANDOFFS) this.handoffs.delete(this.handoffs.keys().next().value!);
  }
}
