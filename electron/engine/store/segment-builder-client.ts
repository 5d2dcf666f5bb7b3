// The main thread's handle on one segment-builder worker (segment-builder-worker.ts).
import { RequestWorker } from '../runtime/request-worker.ts';
import type { BuilderInit, BuilderRequest, SealedSegment } from './segment-builder-protocol.ts';

const WORKER_URL = new URL('./segment-builder-worker.ts', import.meta.url);

export class SegmentBuilderClient extends RequestWorker<BuilderRequest, SealedSegment> {
  /** onFailure is called once, with the first error of this worker (a failed request, a crash, an exit). */
  constructor(name: string, onFailure: (err: Error) => void) {
    const init: BuilderInit = { name };
    super(WORKER_URL, init, name, onFailure);
  }
}
