// The engine's worker thread: hosts one EngineService so that queries and ingest never block the thread that
// owns the windows (Electron's main process). Started by EngineWorkerClient.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { tsWorkerData } from '../store/spawn-ts-worker.ts';
import { toApiError } from './api-failure.ts';
import { dispatch } from './dispatch.ts';
import { EngineService } from './engine-service.ts';
import type { EngineWorkerData, FromWorker, ToWorker } from './worker-protocol.ts';

async function serve(port: MessagePort): Promise<void> {
  const post = (m: FromWorker) => port.postMessage(m);
  const data = tsWorkerData<EngineWorkerData>();
  let service: EngineService;
  try {
    service = await EngineService.open(data.dir, { create: data.create });
  } catch (err) {
    // The client terminates the worker when it reads this.
    post({ type: 'failed', error: toApiError(err) });
    return;
  }
  service.subscribe((notice) => post({ type: 'notice', notice }));
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'close') {
      void service.close().finally(() => {
        post({ type: 'closed' });
        port.close();
      });
      return;
    }
    // dispatch validates again here: the worker trusts no caller, whichever transport it sits behind.
    void dispatch(service, msg.method, msg.params).then((reply) =>
      post({ type: 'reply', id: msg.id, ...reply }),
    );
  });
  post({ type: 'ready' });
}

if (!parentPort) throw new Error('worker.ts runs only as a worker thread (see EngineWorkerClient)');
await serve(parentPort);
