// Ingest jobs of the API: one at a time per workspace (the store has one writer), progress pushed as notices at
// most five times a second, and 'sources-changed' once the job's events are committed.
import type { ApiNotice, IngestRequest, JobProgress } from '../../../shared/api.ts';
import { ingest, type IngestSummary } from '../pipeline/ingest.ts';
import type { IngestProgress } from '../pipeline/progress.ts';
import type { Workspace } from '../store/index.ts';

/** 200 ms: at most ~5 progress notices per second, whatever the ingest rate. */
const PROGRESS_EVERY_MS = 200;

/** Runs an ingest with the workspace's writer (the engine service lends it from live collection when that runs). */
export type WithWriter = <T>(fn: () => Promise<T>) => Promise<T>;

export class IngestJobs {
  private seq = 0;
  /** Jobs queued or running: while any is, this process may be writing the manifest. */
  private active = 0;
  /** The tail of the queue: each job starts when the one before it has finished. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: Workspace,
    private readonly emit: (notice: ApiNotice) => void,
    private readonly withWriter: WithWriter = (fn) => fn(),
  ) {}

  get busy(): boolean {
    return this.active > 0;
  }

  /** Queues the job and returns its id at once; everything else arrives as notices. */
  start(req: IngestRequest): string {
    const jobId = `ingest-${++this.seq}`;
    this.active++;
    this.tail = this.tail.then(() => this.run(jobId, req)).finally(() => this.active--);
    return jobId;
  }

  /** Resolves when every queued job has finished (used before closing the workspace). */
  idle(): Promise<void> {
    return this.tail;
  }

  private async run(jobId: string, req: IngestRequest): Promise<void> {
    let last: JobProgress = emptyProgress(jobId);
    this.emit({ type: 'progress', progress: last });
    const progress = (p: IngestProgress) => {
      // The meter's own final report comes before errors and skips are known: the job's last notice is below.
      last = {
        ...last,
        events: p.events,
        bytes: p.bytes,
        eventsPerSec: p.eventsPerSec,
        bytesPerSec: p.bytesPerSec,
        current: p.current,
        done: false,
      };
      if (!p.done) this.emit({ type: 'progress', progress: last });
    };
    let summary: IngestSummary;
    try {
      summary = await this.withWriter(() =>
        ingest(this.ws, {
          inputs: req.paths,
          format: req.format ?? null,
          timezone: req.timezone ?? null,
          onProgress: progress,
          progressEveryMs: PROGRESS_EVERY_MS,
        }),
      );
    } catch (err) {
      const failure = err instanceof Error ? err.message.split('\n')[0] : String(err);
      this.emit({ type: 'progress', progress: { ...last, done: true, current: null, failure } });
      return;
    }
    this.emit({
      type: 'progress',
      progress: {
        ...last,
        events: summary.events,
        bytes: summary.bytes,
        current: null,
        done: true,
        errors: summary.errors.map((e) => ({ uri: e.uri, reason: e.reason })),
        skipped: summary.skipped.map((s) => ({ uri: s.uri, reason: s.reason })),
      },
    });
    if (summary.sources.length > 0) {
      this.emit({ type: 'sources-changed' });
      this.emit({ type: 'events-added', count: summary.events });
    }
  }
}

function emptyProgress(jobId: string): JobProgress {
  return {
    jobId,
    kind: 'ingest',
    events: 0,
    bytes: 0,
    eventsPerSec: 0,
    bytesPerSec: 0,
    current: null,
    done: false,
    errors: [],
    skipped: [],
  };
}
