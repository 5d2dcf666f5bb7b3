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

export const PAGE_ROWS = 200;
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
  let inflight = new Map<number, Promise<void>>();
  let generation = 0;

  function reset(): void {
    generation++;
    pages = new Map();
    stale = new Map();
    inflight = new Map();
    pageError.value = null;
    selected.value = 0;
    anchor.value = null;
    version.value++;
  }

  /** The same search has more events (live collection): fetch again what is shown, keeping the rest meanwhile. */
  function refreshInPlace(): void {
    generation++;
    for (const [p, rows] of pages) stale.set(p, rows);
    pages = new Map();
    inflight = new Map();
    version.value++;
  }

  function rowAt(index: number): EventRow | undefined {
    void version.value;
    const p = Math.floor(index / PAGE_ROWS);
    return (pages.get(p) ?? stale.get(p))?.[index % PAGE_ROWS];
  }

  /** Fetches the pages covering rows first..last (inclusive) that are not cached or on their way. */
  function ensureRows(first: number, last: number): Promise<void> {
    const total = useQueryStore().count ?? 0;
    if (total === 0) return Promise.resolve();
    const lo = Math.max(0, Math.floor(first / PAGE_ROWS));
    const hi = Math.min(Math.floor((total - 1) / PAGE_ROWS), Math.floor(Math.max(first, last) / PAGE_ROWS));
    const waits: Promise<void>[] = [];
    for (let p = lo; p <= hi; p++) waits.push(fetchPage(p));
    evict(lo, hi);
    return Promise.all(waits).then(() => undefined);
  }

  function fetchPage(page: number): Promise<void> {
    if (pages.has(page)) return Promise.resolve();
    const existing = inflight.get(page);
    if (existing) return existing;
    const gen = generation;
    const range = useTimeRangeStore().range;
    const query = useQueryStore().applied;
    const p = useApi()
      .query({
        query,
        from: range.from,
        to: range.to,
        offset: page * PAGE_ROWS,
        limit: PAGE_ROWS,
        order: 'asc',
      })
      .then(
        (res) => {
          if (gen !== generation) return;
          pages.set(page, res.rows);
          stale.delete(page);
          learn(res.rows);
          version.value++;
        },
        (err: unknown) => {
          if (gen === generation) pageError.value = toApiError(err).message;
        },
      )
      .finally(() => {
        if (gen === generation) inflight.delete(page);
      });
    inflight.set(page, p);
    return p;
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
    ensureRows,
    selectedRows,
  };
});

function distance(p: number, lo: number, hi: number): number {
  return p < lo ? lo - p : p > hi ? p - hi : 0;
}
