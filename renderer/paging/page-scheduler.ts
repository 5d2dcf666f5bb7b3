// Which result pages the grid asks the engine for, and which answers it keeps: pure bookkeeping (no Vue, no API),
// so it is tested on its own. The rules:
//  - the view (the pages on screen plus the grid's overscan) always wins: when it moves, requests for pages that
//    left it (beyond a small margin) are cancelled, and the pages it now needs are asked for first;
//  - at most `maxInFlight` requests are outstanding at once (a cancelled one counts until its answer comes back,
//    since the engine may be computing it), so a fast drag asks only for where the thumb is when a slot frees;
//  - a burst of jumps (views sharing no page with the one before, closer together than `burstMs`) is served at its
//    first jump and then only once it has been quiet for burstMs: a flung scrollbar costs the engine two views, not
//    one per frame; scrolling through neighbouring pages is never held;
//  - an answer is kept only if it belongs to the current generation (the same query, range and data) and its
//    page is still in view, within the margin, or pinned; anything else is dropped on arrival, never shown.
// Pinned pages are those a caller awaits explicitly (keyboard: next match, open detail): never cancelled.

export interface PageView {
  /** First and last page (inclusive) the grid shows or is about to show. */
  lo: number;
  hi: number;
}

export interface PageRequest {
  ticket: string;
  page: number;
  generation: number;
}

export interface PagePlan {
  /** Outstanding requests nobody needs any more: ask the engine to skip them. */
  cancel: string[];
  /** Requests to send now (already counted as outstanding). */
  start: PageRequest[];
}

export interface SchedulerOptions {
  maxInFlight: number;
  /** Pages either side of the view whose answers are still kept (and requests not cancelled). */
  margin: number;
  /** Jumps closer together than this form a burst (ms). */
  burstMs: number;
  newTicket(): string;
}

interface Outstanding extends PageRequest {
  cancelled: boolean;
}

export class PageScheduler {
  private gen = 0;
  private view: PageView | null = null;
  private readonly pinned = new Set<number>();
  /** Pages whose request failed in this generation: not asked again until the view moves. */
  private readonly failed = new Set<number>();
  private readonly outstanding = new Map<string, Outstanding>();
  private lastJumpAt = Number.NEGATIVE_INFINITY;
  /** Until then, a burst of jumps is going on: nothing new is asked for. */
  private holdUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: SchedulerOptions) {}

  get generation(): number {
    return this.gen;
  }

  get inFlight(): number {
    return this.outstanding.size;
  }

  /**
   * A new generation (new query, range or data): everything outstanding is cancelled and its answers will be
   * dropped; pins are released. The view stays (the grid has not moved). Returns the tickets to cancel.
   */
  reset(): string[] {
    this.gen++;
    this.pinned.clear();
    this.failed.clear();
    return this.cancelAll();
  }

  /** The grid moved (at `now`, in ms of any monotonic clock): the latest view replaces the previous one. */
  setView(view: PageView, now: number): void {
    const v = { lo: Math.min(view.lo, view.hi), hi: Math.max(view.lo, view.hi) };
    const was = this.view;
    if (was && was.lo === v.lo && was.hi === v.hi) return;
    if (was && (v.hi < was.lo || v.lo > was.hi)) {
      if (now - this.lastJumpAt < this.opts.burstMs) this.holdUntil = now + this.opts.burstMs;
      this.lastJumpAt = now;
    }
    this.view = v;
    this.failed.clear();
  }

  /** How long (ms) the current burst of jumps still holds new requests back; 0 when none is going on. */
  holdRemaining(now: number): number {
    return Math.max(0, this.holdUntil - now);
  }

  /** Pages a caller waits for, wherever the view is. */
  pin(pages: Iterable<number>): void {
    for (const p of pages) this.pinned.add(p);
  }

  isPinned(page: number): boolean {
    return this.pinned.has(page);
  }

  /** Whether the page's answer is wanted now: pinned, or within the view and its margin. */
  keeps(page: number): boolean {
    if (this.pinned.has(page)) return true;
    const v = this.view;
    return v != null && page >= v.lo - this.opts.margin && page <= v.hi + this.opts.margin;
  }

  /**
   * What to cancel and what to send, given which pages are already loaded. Sending is up to the caller; every
   * started request must come back through settle().
   */
  plan(loaded: (page: number) => boolean, now: number): PagePlan {
    const cancel: string[] = [];
    const covered = new Set<number>();
    for (const o of this.outstanding.values()) {
      if (o.cancelled) continue;
      if (o.generation !== this.gen || !this.keeps(o.page)) {
        o.cancelled = true;
        cancel.push(o.ticket);
      } else covered.add(o.page);
    }
    const start: PageRequest[] = [];
    // Pinned pages are awaited by someone: they do not wait for a burst to end.
    const wanted = now < this.holdUntil ? [...this.pinned] : this.wanted();
    for (const page of wanted) {
      if (this.outstanding.size >= this.opts.maxInFlight) break;
      if (loaded(page) || covered.has(page) || this.failed.has(page)) continue;
      const req: Outstanding = {
        ticket: this.opts.newTicket(),
        page,
        generation: this.gen,
        cancelled: false,
      };
      this.outstanding.set(req.ticket, req);
      covered.add(page);
      start.push({ ticket: req.ticket, page: req.page, generation: req.generation });
    }
    return { cancel, start };
  }

  /**
   * A request's answer (or failure) arrived. `keep`: store the rows, because the answer is of this generation and
   * its page is still wanted. A failure other than a cancellation keeps the page from being asked again at once.
   */
  settle(ticket: string, outcome: 'rows' | 'failed' | 'cancelled'): { keep: boolean; page: number } | null {
    const o = this.outstanding.get(ticket);
    if (!o) return null;
    this.outstanding.delete(ticket);
    const current = o.generation === this.gen;
    const keep = current && outcome === 'rows' && this.keeps(o.page);
    if (keep) this.pinned.delete(o.page);
    if (current && outcome === 'failed') {
      this.pinned.delete(o.page);
      this.failed.add(o.page);
    }
    return { keep, page: o.page };
  }

  /** A pinned page will not come (its request failed, or the generation changed): release it. */
  unpin(page: number): void {
    this.pinned.delete(page);
  }

  /** Pinned pages first, then the view's pages from its middle outwards (what the eye is on first). */
  private wanted(): number[] {
    const out = [...this.pinned].sort((a, b) => a - b);
    const v = this.view;
    if (!v) return out;
    const mid = (v.lo + v.hi) / 2;
    const pages: number[] = [];
    for (let p = v.lo; p <= v.hi; p++) if (!this.pinned.has(p)) pages.push(p);
    pages.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b);
    return out.concat(pages);
  }

  private cancelAll(): string[] {
    const out: string[] = [];
    for (const o of this.outstanding.values()) {
      if (o.cancelled) continue;
      o.cancelled = true;
      out.push(o.ticket);
    }
    return out;
  }
}
