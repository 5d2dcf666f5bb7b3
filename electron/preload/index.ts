// The preload: exposes the FlumenApi as `window.flumen` over IPC (and nothing else of Node or Electron).
// It runs sandboxed, so it may only require('electron'); the build bundles it as CommonJS.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  forwardRequests,
  type ApiError,
  type ApiMethod,
  type ApiNotice,
  type FlumenApi,
} from '../../shared/api.ts';

const CALL_CHANNEL = 'flumen:call';
const NOTICE_CHANNEL = 'flumen:notice';

type Reply = { result: unknown } | { error: ApiError };

async function call(method: ApiMethod, params?: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(CALL_CHANNEL, { method, params })) as Reply;
  // A plain ApiError object crosses the context bridge intact (an Error's extra fields would not).
  if ('error' in reply) throw { ...reply.error };
  return reply.result;
}

function onNotice(listener: (notice: ApiNotice) => void): () => void {
  const handler = (_event: IpcRendererEvent, notice: ApiNotice) => listener(notice);
  ipcRenderer.on(NOTICE_CHANNEL, handler);
  return () => {
    ipcRenderer.removeListener(NOTICE_CHANNEL, handler);
  };
}

const api: FlumenApi & { onNotice: typeof onNotice } = {
  ...forwardRequests(call),
  subscribe: onNotice,
  onNotice,
};

contextBridge.exposeInMainWorld('flumen', api);
// Only the path of a file the person dropped or picked, never file contents or any other Node access.
contextBridge.exposeInMainWorld('flumenShell', {
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});

// Drag and drop: files dropped anywhere on the window are ingested into the open workspace. Progress comes back
// as notices like any other ingest. (A browser in `flumen serve` mode cannot see dropped files' paths.)
window.addEventListener('dragover', (e) => {
  if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
});
window.addEventListener('drop', (e) => {
  const files = e.dataTransfer?.files;
  if (!files || files.length === 0) return;
  e.preventDefault();
  const paths = Array.from(files, (f) => webUtils.getPathForFile(f)).filter((p) => p !== '');
  if (paths.length > 0) void call('ingest', { paths }).catch(() => {});
});
