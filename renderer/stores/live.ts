// The workspace's live sources (tail, syslog listeners, SSH tails): their status as the engine pushes it, the
// dialog open to add one, and pause, resume and remove. Secrets typed into a dialog go out with the add request
// and are kept nowhere here.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  ApiNotice,
  LiveAddResult,
  LiveSourceKind,
  LiveSourceRequest,
  LiveSourceStatus,
} from '../../shared/api.ts';
import { toApiError } from '../api/errors.ts';
import { useApi } from '../api/instance.ts';

export const useLiveStore = defineStore('live', () => {
  const list = ref<LiveSourceStatus[]>([]);
  /** The kind whose add dialog is open, or null. */
  const dialog = ref<LiveSourceKind | null>(null);
  /** Per source: the last pause/resume/remove that failed. */
  const rowErrors = ref(new Map<string, string>());
  const loadError = ref<string | null>(null);

  const collecting = computed(() => list.value.some((s) => s.state === 'running'));

  async function refresh(): Promise<void> {
    try {
      list.value = await useApi().liveSources();
      loadError.value = null;
    } catch (err) {
      loadError.value = toApiError(err).message;
    }
  }

  /** Adds a source; rejects with the engine's ApiError (the dialog shows it). A host key prompt is an answer. */
  async function add(req: LiveSourceRequest): Promise<LiveAddResult> {
    const res = await useApi().addLiveSource(req);
    if ('added' in res) upsert(res.added);
    return res;
  }

  async function act(id: string, what: 'pause' | 'resume' | 'remove'): Promise<void> {
    rowErrors.value.delete(id);
    try {
      const api = useApi();
      if (what === 'remove') {
        await api.removeLiveSource({ id });
        list.value = list.value.filter((s) => s.id !== id);
      } else {
        upsert(await (what === 'pause' ? api.pauseLiveSource({ id }) : api.resumeLiveSource({ id })));
      }
    } catch (err) {
      rowErrors.value.set(id, toApiError(err).message);
    }
  }

  function upsert(s: LiveSourceStatus): void {
    const i = list.value.findIndex((x) => x.id === s.id);
    if (i < 0) list.value = [...list.value, s];
    else list.value = list.value.map((x) => (x.id === s.id ? s : x));
  }

  function onNotice(n: ApiNotice): void {
    if (n.type === 'live-status') list.value = n.sources;
  }

  return { list, dialog, rowErrors, loadError, collecting, refresh, add, act, onNotice };
});
