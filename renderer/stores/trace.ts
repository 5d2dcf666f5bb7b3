// "Follow this id": the trace of one identifier (every event carrying it, across sources, in time order) shown in
// the Trace pane, which takes the detail pane's place until closed.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { TraceResult } from '../../shared/api.ts';
import { toApiError } from '../api/errors.ts';
import { useApi } from '../api/instance.ts';
import { quoteValue } from './analysis.ts';
import { useQueryStore } from './query.ts';

/** Events fetched per trace: enough for any one request or block; the pane says when there were more. */
const TRACE_LIMIT = 2000;

export const useTraceStore = defineStore('trace', () => {
  /** The identifier followed and the field it came from (e.g. `ids.blk`), or null when the pane is closed. */
  const target = ref<{ id: string; field: string | null } | null>(null);
  const result = shallowRef<TraceResult | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let generation = 0;

  async function follow(id: string, field: string | null = null): Promise<void> {
    const gen = ++generation;
    target.value = { id, field };
    result.value = null;
    error.value = null;
    loading.value = true;
    try {
      const res = await useApi().trace({ id, limit: TRACE_LIMIT });
      if (gen === generation) result.value = res;
    } catch (err) {
      if (gen === generation) error.value = toApiError(err).message;
    } finally {
      if (gen === generation) loading.value = false;
    }
  }

  function close(): void {
    generation++;
    target.value = null;
    result.value = null;
    error.value = null;
    loading.value = false;
  }

  /** Shows exactly the events carrying the id in the grid: by its field when known, else as a phrase. */
  function filterGrid(): void {
    const t = target.value;
    if (!t) return;
    const query = useQueryStore();
    query.text = t.field ? `${t.field}:${quoteValue(t.id)}` : `"${t.id.replace(/["\\]/g, '\\$&')}"`;
    query.run();
  }

  return { target, result, error, loading, follow, close, filterGrid };
});
