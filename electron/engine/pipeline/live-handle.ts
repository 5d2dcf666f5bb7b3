// One collector inside a live pipeline: its pause gate and what the pipeline counts for it (events committed,
// receipt-to-commit lag). Pausing closes the gate in front of the channel, so a paused collector's next put
// waits: a tail stops reading its files, a TCP or TLS connection stops being read (the kernel's buffers fill and
// the sender is slowed), an SSH channel stops being read (its window closes), and a UDP listener, which cannot
// wait, counts every datagram as dropped. Whatever was read before the gate is kept and goes in on resume.
import type { LiveBatch, LiveCollector, LiveContext } from './live-types.ts';

export interface HandleStats {
  paused: boolean;
  /** Events of this collector the store committed. */
  committed: number;
  /** Receipt to commit for its last commit; while paused, how long the oldest held batch has waited. */
  lagMs: number | null;
  /** Bytes read and held at the closed gate. */
  heldBytes: number;
}

export class CollectorHandle {
  private paused = false;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  /** Batches waiting at the closed gate. */
  private readonly held = new Set<LiveBatch>();
  private committed = 0;
  private lastLagMs: number | null = null;

  constructor(
    readonly id: number,
    readonly collector: LiveCollector,
  ) {}

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const open = this.openGate;
    this.gate = null;
    this.openGate = null;
    open?.();
  }

  /** The pipeline's context as this collector sees it: puts wait at the gate, offers fail while paused. */
  context(base: LiveContext): LiveContext {
    return {
      ...base,
      put: async (batch) => {
        batch.origin = this.id;
        if (this.paused) {
          this.held.add(batch);
          try {
            while (this.paused) await this.gate;
          } finally {
            this.held.delete(batch);
          }
        }
        return base.put(batch);
      },
      offer: (batch) => {
        if (this.paused) return false;
        batch.origin = this.id;
        return base.offer(batch);
      },
    };
  }

  /** A commit stored `events` of this collector's, the oldest of them received `lagMs` before. */
  noteCommitted(events: number, lagMs: number | null): void {
    this.committed += events;
    if (lagMs != null) this.lastLagMs = lagMs;
  }

  stats(now = Date.now()): HandleStats {
    let heldBytes = 0;
    let oldest: number | null = null;
    for (const b of this.held) {
      heldBytes += b.bytes;
      const at = b.receivedAt ?? now;
      if (oldest == null || at < oldest) oldest = at;
    }
    return {
      paused: this.paused,
      committed: this.committed,
      lagMs: oldest != null ? now - oldest : this.lastLagMs,
      heldBytes,
    };
  }
}

/** Per collector: the events a commit stored and how long the oldest of them waited since it was received. */
export function countCommitted(batches: LiveBatch[], handles: Map<number, CollectorHandle>): void {
  const now = Date.now();
  const per = new Map<number, { events: number; oldest: number | null }>();
  for (const b of batches) {
    if (b.origin == null) continue;
    const p = per.get(b.origin) ?? { events: 0, oldest: null };
    p.events += b.parsed?.length ?? 0;
    if (b.size > 0 && b.receivedAt != null && (p.oldest == null || b.receivedAt < p.oldest))
      p.oldest = b.receivedAt;
    per.set(b.origin, p);
  }
  for (const [id, p] of per)
    handles.get(id)?.noteCommitted(p.events, p.oldest == null ? null : now - p.oldest);
}
