// The workspace's sources and the ingest jobs running now. Kept current by the engine's notices: progress while
// a job runs, sources-changed / events-added when the store has new data (which also re-runs the search). Live
// sources commit every half second: their events bump `liveVersion` instead, at most a few times a second, and
// the views refresh in place (same query, same scroll position) rather than starting over.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ApiNotice, JobProgress, WorkspaceInfo } from '../../shared/api.ts';
import type { SourceInfo } from '../../shared/event.ts';
import { toApiError } from '../api/errors.ts';
import { useApi } from '../api/instance.ts';

/** Live commits arrive every ~500 ms; views refresh at most this often for them. */
const LIVE_REFRESH_MS = 400;

export const useSourcesStore = defineStore('sources', () => {
  const list = ref<SourceInfo[]>([]);
  const workspace = ref<WorkspaceInfo | null>(null);
  const jobs = ref<Map<string, JobProgress>>(new Map());
  const loaded = ref(false);
  const addError = ref<string | null>(null);
  const loadError = ref<string | null>(null);
  /** Jobs the user (or the clean-finish timer) dismissed: late notices for them must not bring them back. */
  const dismissed = new Set<string>();
  /** Bumped whenever the stored data changed, so the search can re-run. */
  const dataVersion = ref(0);
  /** Bumped when live sources committed more events (coalesced: at most once per LIVE_REFRESH_MS). */
  const liveVersion = ref(0);
  let liveTimer: ReturnType<typeof setTimeout> | null = null;

  const running = computed(() => [...jobs.value.values()].filter((j) => !j.done));
  const finished = computed(() => [...jobs.value.values()].filter((j) => j.done));

  async function refresh(): Promise<void> {
    try {
      const api = useApi();
      const [sources, info] = await Promise.all([api.sources(), api.workspace()]);
      list.value = sources;
      workspace.value = info;
      loadError.value = null;
    } catch (err) {
      loadError.value = toApiError(err).message;
    } finally {
      loaded.value = true;
    }
  }

  async function add(paths: string[], format: string | null, timezone: string | null): Promise<boolean> {
    addError.value = null;
    try {
      const { jobId } = await useApi().ingest({ paths, format, timezone });
      if (!jobs.value.has(jobId)) {
        jobs.value.set(jobId, {
          jobId,
          kind: 'ingest',
          events: 0,
          bytes: 0,
          eventsPerSec: 0,
          bytesPerSec: 0,
          current: paths[0] ?? null,
          done: false,
          errors: [],
          skipped: [],
        });
      }
      return true;
    } catch (err) {
      addError.value = toApiError(err).message;
      return false;
    }
  }

  /**
   * Sets a source's clock offset (ms; positive: its clock ran fast). The engine's sources-changed notice then
   * refreshes the list and re-runs the search. Resolves with an error message, or null when it was set.
   */
  async function setClockOffset(sourceId: number, offsetMs: number): Promise<string | null> {
    try {
      const updated = await useApi().setClockOffset({ sourceId, offsetMs });
      list.value = list.value.map((s) => (s.id === updated.id ? updated : s));
      return null;
    } catch (err) {
      return toApiError(err).message;
    }
  }

  function dismissJob(jobId: string): void {
    dismissed.add(jobId);
    jobs.value.delete(jobId);
  }

  function onNotice(n: ApiNotice): void {
    if (n.type === 'progress') {
      if (dismissed.has(n.progress.jobId)) return;
      const before = jobs.value.get(n.progress.jobId);
      jobs.value.set(n.progress.jobId, n.progress);
      // A clean job leaves the list once done; one with errors stays until dismissed, so they can be read.
      if (n.progress.done) {
        const clean =
          !n.progress.failure && n.progress.errors.length === 0 && n.progress.skipped.length === 0;
        if (clean) setTimeout(() => dismissJob(n.progress.jobId), 1500);
        if (!before?.done) void dataChanged();
      }
    } else if (n.type === 'events-added' && n.live) {
      liveTimer ??= setTimeout(() => void liveChanged(), LIVE_REFRESH_MS);
    } else if (n.type === 'events-added' || n.type === 'sources-changed') {
      void dataChanged();
    }
  }

  async function liveChanged(): Promise<void> {
    liveTimer = null;
    await refresh();
    liveVersion.value++;
  }

  async function dataChanged(): Promise<void> {
    await refresh();
    dataVersion.value++;
  }

  return {
    list,
    workspace,
    jobs,
    loaded,
    addError,
    loadError,
    dataVersion,
    liveVersion,
    running,
    finished,
    refresh,
    add,
    setClockOffset,
    dismissJob,
    onNotice,
  };
});
