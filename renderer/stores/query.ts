// The query: what is typed, what was run, its history, its error (with the character it points at) and the
// number of events it matches in the current time range.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApiError } from '../../shared/api.ts';
import { toApiError } from '../api/errors.ts';
import { useApi } from '../api/instance.ts';
import { compileMatcher } from '../query/matches.ts';
import { useTimeRangeStore } from './time-range.ts';

const HISTORY_KEY = 'flumen.queryHistory';
const HISTORY_MAX = 50;

export const useQueryStore = defineStore('query', () => {
  const text = ref('');
  const applied = ref('');
  const error = ref<ApiError | null>(null);
  const count = ref<number | null>(null);
  const counting = ref(false);
  const history = ref<string[]>(loadHistory());
  const matcher = computed(() => compileMatcher(applied.value));
  /** Bumped on every run, so running the same query again refreshes the results. */
  const runs = ref(0);
  let generation = 0;

  /** Runs the typed query (Enter in the query bar); the app's search watcher does the fetching. */
  function run(): void {
    applied.value = text.value.trim();
    remember(applied.value);
    runs.value++;
  }

  /** Counts the applied query in the current range; a bad query surfaces here with its position. */
  async function refreshCount(): Promise<void> {
    const gen = ++generation;
    counting.value = true;
    const range = useTimeRangeStore().range;
    try {
      const n = await useApi().count({ query: applied.value, from: range.from, to: range.to });
      if (gen !== generation) return;
      count.value = n;
      error.value = null;
    } catch (err) {
      if (gen !== generation) return;
      error.value = toApiError(err);
      count.value = null;
    } finally {
      if (gen === generation) counting.value = false;
    }
  }

  function remember(q: string): void {
    if (!q) return;
    history.value = [q, ...history.value.filter((h) => h !== q)].slice(0, HISTORY_MAX);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history.value));
  }

  return { text, applied, error, count, counting, history, matcher, runs, run, refreshCount };
});

function loadHistory(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
