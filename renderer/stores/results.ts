// The results paging cache behind the virtual grid: pages of PAGE_ROWS rows fetched by offset around the viewport,
// kept in a bounded cache, dropped whenever the query or the time range changes. The grid asks for the rows it
// shows; nothing else of a million-row result is ever held. When live sources add events, refreshInPlace() keeps
// the cached pages on screen as stale until their fresh copies land (no flash of "loading…"), and `follow` keeps
// the grid at the newest row.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { EventRow } from '../../shared/api.ts';
import type { FieldValue } from '../../shared/event.ts';
import { toApiError } from '../api/errors.ts';
import { useApi } from '../api/instance.ts';
import { useQueryStore } from './query.ts';
import { useTimeRangeStore } from './time-range.ts';
import { PageScheduler, type PageRequest } from '../paging/page-scheduler.ts';

export const PAGE_ROWS = 200;
/** Page requests outstanding at once per grid: a fast drag waits for a slot and then asks for where it is now. */
const MAX_IN_FLIGHT = 2;
/** Pages either side of the view whose answers are still kept when they arrive. */
const KEEP_MARGIN = 1;
/** Jumps closer together than this are a burst (a flung scrollbar): served at its start and once it is quiet. */
const BURST_MS = 120;
const MAX_PAGES = 60;
const MAX_VALUES_PER_FIELD = 40;

export const useResultsStore = defineStore('results', () => {
  /** Bumped when a page lands, so views reading rowAt() re-render; the Map itself is not reactive (cheap). */
  const version = ref(0);
  const pageError = ref<string | null>(null);
  const selected = ref(0);
  /** The other end of a shift-selection, or null for one row. */
  const anchor = ref<number | null>(null);
  const detail = shallowRef<EventRow | null>(null);
  /** Extracted field names seen in loaded rows, with some values each (columns menu, completion). */
  const fieldValues = shallowRef(new Map<string, Set<string>>());
  const hosts = shallowRef(new Set<string>());
  /** Stick to the newest row as events arrive; off when the person scrolls up, on again at the end. */
  const follow = ref(false);

  let pages = new Map<number, EventRow[]>();
  /** Pages from before the last refreshInPlace(): shown until their page is fetched again. */
  let stale = new Map<number, EventRow[]>();
  const scheduler = new PageScheduler({
    maxInFlight: MAX_IN_FLIGHT,
    margin: KEEP_MARGIN,
    burstMs: BURST_MS,
    newTicket,
  });
  let burstTimer: ReturnType<typeof setTimeout> | null = null;
  /** ensureRows() callers waiting for a page to land (or to be given up). */
  const waiters = new Map<number, (() => void)[]>();

  function reset(): void {
    restart();
    pages = new Map();
    stale = new Map();
    pageError.value = null;
    selected.value = 0;
    anchor.value = null;
    version.value++;
  }

  /** The same search has more events (live collection): fetch again what is shown, keeping the rest meanwhile. */
  function refreshInPlace(): void {
    restart();
    for (const [p, rows] of pages) stale.set(p, rows);
    pages = new Map();
    version.value++;
  }

  /** A new generation: what is on its way is cancelled and will be dropped when it comes; waiters are released. */
  function restart(): void {
    cancel(scheduler.reset());
    for (const page of [...waiters.keys()]) release(page);
  }

  function rowAt(index: number): EventRow | undefined {
    void version.value;
    const p = Math.floor(index / PAGE_ROWS);
    return (pages.get(p) ?? stale.get(p))?.[index % PAGE_ROWS];
  }

  /** The pages covering rows first..last (inclusive), within the result, or null when there is none. */
  function pageSpan(first: number, last: number): { lo: number; hi: number } | null {
    const total = useQueryStore().count ?? 0;
    if (total === 0) return null;
    const lo = Math.max(0, Math.floor(first / PAGE_ROWS));
    const hi = Math.min(Math.floor((total - 1) / PAGE_ROWS), Math.floor(Math.max(first, last) / PAGE_ROWS));
    return lo <= hi ? { lo, hi } : null;
  }

  /**
   * The grid's view moved to rows first..last (inclusive, with its overscan): the latest view wins, pages that
   * left it are cancelled, and what it needs is fetched a few requests at a time.
   */
  function showRows(first: number, last: number): void {
    const span = pageSpan(first, last);
    if (!span) return;
    scheduler.setView(span, performance.now());
    evict(span.lo, span.hi);
    pump();
  }

  /** Fetches the pages covering rows first..last (inclusive) wherever the view is; resolves once they landed. */
  function ensureRows(first: number, last: number): Promise<void> {
    const span = pageSpan(first, last);
    if (!span) return Promise.resolve();
    const waits: Promise<void>[] = [];
    const wanted: number[] = [];
    for (let p = span.lo; p <= span.hi; p++) {
      if (pages.has(p)) continue;
      wanted.push(p);
      waits.push(new Promise((resolve) => waiters.set(p, [...(waiters.get(p) ?? []), resolve])));
    }
    if (wanted.length === 0) return Promise.resolve();
    scheduler.pin(wanted);
    pump();
    return Promise.all(waits).then(() => undefined);
  }

  /** Sends what the scheduler says: cancellations first, then the requests that fit. */
  function pump(): void {
    const now = performance.now();
    const plan = scheduler.plan((p) => pages.has(p), now);
    cancel(plan.cancel);
    for (const req of plan.start) send(req);
    const hold = scheduler.holdRemaining(now);
    if (hold > 0 && burstTimer == null) {
      burstTimer = setTimeout(() => {
        burstTimer = null;
        pump();
      }, hold + 1);
    }
  }

  function send(req: PageRequest): void {
    const range = useTimeRangeStore().range;
    const query = useQueryStore().applied;
    useApi()
      .query({
        query,
        from: range.from,
        to: range.to,
        offset: req.page * PAGE_ROWS,
        limit: PAGE_ROWS,
        order: 'asc',
        ticket: req.ticket,
      })
      .then(
        (res) => {
          const settled = scheduler.settle(req.ticket, 'rows');
          if (settled?.keep) {
            pages.set(req.page, res.rows);
            stale.delete(req.page);
            learn(res.rows);
            version.value++;
          }
          if (req.generation === scheduler.generation) release(req.page);
        },
        (err: unknown) => {
          const error = toApiError(err);
          const cancelled = error.code === 'cancelled';
          scheduler.settle(req.ticket, cancelled ? 'cancelled' : 'failed');
          if (cancelled || req.generation !== scheduler.generation) return;
          pageError.value = error.message;
          release(req.page);
        },
      )
      .finally(pump);
  }

  function cancel(tickets: string[]): void {
    // Best effort: a request the engine already started still comes back, and is then dropped.
    if (tickets.length > 0)
      void useApi()
        .cancelQueries({ tickets })
        .catch(() => {});
  }

  /** The page landed or will not come in this generation: its ensureRows() callers go on. */
  function release(page: number): void {
    scheduler.unpin(page);
    for (const resolve of waiters.get(page) ?? []) resolve();
    waiters.delete(page);
  }

  /** Keeps the cache bounded: drops the pages furthest from what is on screen. */
  function evict(lo: number, hi: number): void {
    for (const p of stale.keys()) if (distance(p, lo, hi) > 0) stale.delete(p);
    if (pages.size <= MAX_PAGES) return;
    const far = [...pages.keys()].sort((a, b) => distance(b, lo, hi) - distance(a, lo, hi));
    for (const p of far.slice(0, pages.size - MAX_PAGES)) pages.delete(p);
  }

  function learn(rows: EventRow[]): void {
    const fv = fieldValues.value;
    const hs = hosts.value;
    let grew = false;
    for (const r of rows) {
      if (r.host && !hs.has(r.host) && hs.size < 500) {
        hs.add(r.host);
        grew = true;
      }
      for (const [k, v] of Object.entries(r.fields) as [string, FieldValue][]) {
        let set = fv.get(k);
        if (!set) {
          set = new Set();
          fv.set(k, set);
          grew = true;
        }
        if (v != null && set.size < MAX_VALUES_PER_FIELD) set.add(String(v));
      }
    }
    if (grew) {
      fieldValues.value = new Map(fv);
      hosts.value = new Set(hs);
    }
  }

  /** Rows in the current selection, in order (for copying); only rows already loaded. */
  function selectedRows(): EventRow[] {
    const a = anchor.value ?? selected.value;
    const [lo, hi] = a < selected.value ? [a, selected.value] : [selected.value, a];
    const out: EventRow[] = [];
    for (let i = lo; i <= hi && out.length < 10_000; i++) {
      const r = rowAt(i);
      if (r) out.push(r);
    }
    return out;
  }

  return {
    version,
    pageError,
    selected,
    anchor,
    detail,
    fieldValues,
    hosts,
    follow,
    reset,
    refreshInPlace,
    rowAt,
    showRows,
    ensureRows,
    selectedRows,
  };
});

/** Tickets unique across tabs and windows sharing one engine (`flumen serve`): a random prefix and a counter. */
const TICKET_PREFIX = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
  b.toString(16).padStart(2, '0'),
).join('');
let ticketCount = 0;
function newTicket(): string {
  return `${TICKET_PREFIX}-${++ticketCount}`;
}

function distance(p: number, lo: number, hi: number): number {
  return p < lo ? lo - p : p > hi ? p - hi : 0;
}
