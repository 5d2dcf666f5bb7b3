// What every "add a live source" dialog does when it is submitted: one request at a time (busy), the engine's
// error kept for the dialog to show, and on success follow mode turned on (the new events scroll into view) and
// the dialog closed. An SSH host key prompt is an answer, not an error: the dialog stays open to show it.
import { ref } from 'vue';
import type { HostKeyPrompt, LiveSourceRequest } from '../../../shared/api.ts';
import { toApiError } from '../../api/errors.ts';
import { useLiveStore } from '../../stores/live.ts';
import { useResultsStore } from '../../stores/results.ts';

export interface AddSourceOptions {
  /** Closes the dialog (default: clears the store's open dialog). */
  close?: () => void;
  /** Shows the host key the engine asks about (SSH only); called before `busy` drops. */
  onHostKey?: (prompt: HostKeyPrompt) => void;
}

export function useAddSource(opts: AddSourceOptions = {}) {
  const live = useLiveStore();
  const results = useResultsStore();
  const busy = ref(false);
  const error = ref<string | null>(null);
  const close = opts.close ?? (() => (live.dialog = null));

  async function add(req: LiveSourceRequest): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      const res = await live.add(req);
      if ('hostKey' in res) {
        opts.onHostKey?.(res.hostKey);
        return;
      }
      results.follow = true;
      close();
    } catch (err) {
      error.value = toApiError(err).message;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, add, close };
}
