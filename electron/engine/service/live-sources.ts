// The live sources of the engine service: one LivePipeline (created with the first source, stopped with the last,
// so the workspace's writer lock is held only while something is collected), a collector per source, pause and
// resume, and a status per source (rate, lag, counts, last error) pushed as a 'live-status' notice when it
// changes. Definitions are kept in live-sources.json (live-store.ts) and started again when the workspace opens.
// Changes run one at a time (add, pause, resume, remove, and lending the writer to an ingest job).
import type { ApiNotice, LiveAddResult, LiveSourceSpec, LiveSourceStatus } from '../../../shared/api.ts';
import { LivePipeline, type LiveCollector } from '../pipeline/live.ts';
import { HostKeyError } from '../sources/live/ssh-connect.ts';
import type { Workspace } from '../store/index.ts';
import { ApiFailure } from './api-failure.ts';
import { liveSpecSchema, type ValidLiveRequest } from './live-api.ts';
import {
  collectorFor,
  followedAlready,
  needsSecret,
  publicSpec,
  secretsOf,
  type LiveSecrets,
} from './live-specs.ts';
import type { LiveSourceFile } from './live-store.ts';

const STATUS_EVERY_MS = 1000;
/** Live sources one workspace may have (each holds files, sockets or an SSH connection open). */
export const MAX_LIVE_SOURCES = 100;
/** Rate samples kept: the rate is taken over the last few seconds. */
const RATE_SAMPLES = 5;

interface Entry {
  id: string;
  spec: LiveSourceSpec;
  /** In memory only; `sealed` is what may be written. */
  secrets: LiveSecrets | null;
  sealed: string | null;
  secretsLost: boolean;
  /** Null while stopped (it could not start, or the store failed). */
  collector: LiveCollector | null;
  /** What the person chose; a stopped source starts paused again if it was paused. */
  paused: boolean;
  name: string;
  lastError: string | null;
  samples: { t: number; records: number }[];
}

export interface LiveSourcesOptions {
  commitEveryMs?: number;
  log?: (message: string) => void;
}

export class LiveSources {
  private pipeline: LivePipeline | null = null;
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private shown = '';
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly ws: Workspace,
    private readonly emit: (notice: ApiNotice) => void,
    private readonly file: LiveSourceFile,
    private readonly opts: LiveSourcesOptions = {},
  ) {}

  /** True while live collection holds the workspace's writer (nobody else can change the manifest then). */
  get writing(): boolean {
    return this.pipeline !== null;
  }

  /** Starts the sources saved in the workspace; problems end up in their status, never thrown. */
  restore(): Promise<void> {
    return this.serial(async () => {
      const { sources, problem } = this.file.load();
      if (problem) this.opts.log?.(problem);
      for (const saved of sources) {
        const parsed = liveSpecSchema.safeParse(saved.spec);
        if (!parsed.success) {
          this.opts.log?.(`live source ${saved.id} in the workspace is not a valid definition; not started`);
          continue;
        }
        const entry = this.newEntry(saved.id, parsed.data, null, saved.paused);
        entry.sealed = saved.sealed;
        entry.secretsLost = saved.secretsLost;
        this.seq = Math.max(this.seq, Number(saved.id.slice('live-'.length)));
        this.entries.set(entry.id, entry);
        if (saved.sealed) {
          entry.secrets = await this.file.open(saved.sealed).catch(() => {
            entry.lastError =
              'its saved password or passphrase cannot be opened here; remove it and add it again';
            return null;
          });
        } else if (saved.secretsLost || needsSecret(entry.spec)) {
          entry.lastError =
            'its password or passphrase was kept in memory only and is gone since Flumen restarted; remove it and add it again';
        }
        if (entry.lastError) continue;
        await this.start(entry, [], false).catch((err) => (entry.lastError = messageOf(err)));
      }
      await this.stopIfIdle();
      this.changed();
    });
  }

  list(): LiveSourceStatus[] {
    return [...this.entries.values()].map((e) => this.statusOf(e));
  }

  add(req: ValidLiveRequest): Promise<LiveAddResult> {
    return this.serial(async () => {
      this.assertOpen();
      if (this.entries.size >= MAX_LIVE_SOURCES)
        throw invalid(`a workspace has at most ${MAX_LIVE_SOURCES} live sources; remove one first`);
      const spec = publicSpec(req);
      if (spec.kind === 'tail') {
        const tails = [...this.entries.values()].flatMap((e) =>
          e.spec.kind === 'tail' ? [{ id: e.id, paths: e.spec.paths }] : [],
        );
        const clash = followedAlready(spec.paths, tails);
        if (clash) throw invalid(clash);
      }
      const entry = this.newEntry(`live-${this.seq + 1}`, spec, secretsOf(req), false);
      try {
        await this.start(entry, req.kind === 'ssh' && req.acceptHostKey ? [req.acceptHostKey] : [], true);
      } catch (err) {
        await this.stopIfIdle();
        if (err instanceof HostKeyError && err.refusal) {
          const r = err.refusal;
          const message =
            r.verdict === 'unknown'
              ? `The authenticity of host ${r.host} can't be established. Its ${r.keyType} key fingerprint is ${r.fingerprint}.`
              : err.message;
          return { hostKey: { ...r, message } };
        }
        throw err instanceof ApiFailure ? err : invalid(messageOf(err));
      }
      this.seq++;
      this.entries.set(entry.id, entry);
      if (entry.secrets) {
        entry.sealed = await this.file.seal(entry.secrets).catch(() => null);
        entry.secretsLost = entry.sealed === null;
      }
      this.save();
      this.changed();
      return { added: this.statusOf(entry) };
    });
  }

  pause(id: string): Promise<LiveSourceStatus> {
    return this.update(id, async (entry) => {
      entry.paused = true;
      if (entry.collector) this.pipeline?.pause(entry.collector);
      return this.statusOf(entry);
    });
  }

  resume(id: string): Promise<LiveSourceStatus> {
    return this.update(id, async (entry) => {
      entry.paused = false;
      if (entry.collector) this.pipeline?.resume(entry.collector);
      else if (entry.secrets || !(entry.secretsLost || needsSecret(entry.spec))) {
        entry.lastError = null;
        await this.start(entry, [], false).catch((err) => (entry.lastError = messageOf(err)));
        await this.stopIfIdle();
      }
      return this.statusOf(entry);
    });
  }

  remove(id: string): Promise<void> {
    return this.update(id, async (entry) => {
      if (entry.collector) await this.pipeline?.remove(entry.collector);
      this.entries.delete(id);
      await this.stopIfIdle();
    });
  }

  /** Runs `fn` (an ingest job) with the workspace's writer: lent by the live pipeline when one runs. */
  lendWriter<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      void this.serial(async () => {
        // With a pipeline the changes need not wait for the whole job: the pipeline hands its writer over itself.
        if (this.pipeline) this.pipeline.lendWriter(fn).then(resolve, reject);
        else await fn().then(resolve, reject);
      });
    });
  }

  /** Stops every collector after committing what they read; the saved definitions stay for the next open. */
  close(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      const p = this.pipeline;
      this.pipeline = null;
      for (const e of this.entries.values()) e.collector = null;
      await p?.stop().catch((err) => this.opts.log?.(`live collection stopped with: ${messageOf(err)}`));
    });
  }

  private newEntry(id: string, spec: LiveSourceSpec, secrets: LiveSecrets | null, paused: boolean): Entry {
    return {
      id,
      spec,
      secrets,
      sealed: null,
      secretsLost: false,
      collector: null,
      paused,
      name: displayName(spec),
      lastError: null,
      samples: [],
    };
  }

  /**
   * Starts the entry's collector in the pipeline (made on demand). With `failFast` (a person is adding it), an SSH
   * source whose first connection failed is taken out again and the failure thrown; otherwise it keeps retrying.
   */
  private async start(entry: Entry, acceptHostKeys: string[], failFast: boolean): Promise<void> {
    const collector = await collectorFor(entry.spec, entry.secrets, { acceptHostKeys });
    this.pipeline ??= new LivePipeline(this.ws, {
      commitEveryMs: this.opts.commitEveryMs,
      onCommit: (events) => this.emit({ type: 'events-added', count: events, live: true }),
    });
    await this.pipeline.add(collector, { paused: entry.paused });
    const firstError = collector.status().errors.at(-1);
    if (failFast && entry.spec.kind === 'ssh' && firstError) {
      await this.pipeline.remove(collector);
      throw invalid(firstError);
    }
    entry.collector = collector;
    entry.name = collector.name;
    entry.samples = [];
  }

  /** With nothing left to collect, the pipeline commits, closes and lets go of the workspace's writer. */
  private async stopIfIdle(): Promise<void> {
    if (!this.pipeline || [...this.entries.values()].some((e) => e.collector)) return;
    const p = this.pipeline;
    this.pipeline = null;
    await p.stop().catch((err) => this.opts.log?.(`live collection stopped with: ${messageOf(err)}`));
  }

  private statusOf(e: Entry): LiveSourceStatus {
    const c = e.collector;
    const st = c?.status();
    const hs = c ? this.pipeline?.handleStats(c) : null;
    const first = e.samples[0];
    const last = e.samples[e.samples.length - 1];
    const rate =
      !e.paused && first && last && last.t > first.t
        ? ((last.records - first.records) * 1000) / (last.t - first.t)
        : 0;
    return {
      id: e.id,
      kind: e.spec.kind,
      name: e.name,
      spec: structuredClone(e.spec),
      state: !c ? 'stopped' : e.paused ? 'paused' : 'running',
      eventsPerSec: Math.max(0, Math.round(rate * 10) / 10),
      records: st?.records ?? 0,
      bytes: st?.bytes ?? 0,
      committed: hs?.committed ?? 0,
      dropped: st?.dropped ?? 0,
      lagMs: hs?.lagMs ?? null,
      lagBytes: st?.lagBytes == null ? null : st.lagBytes + (hs?.heldBytes ?? 0),
      active: st?.active ?? 0,
      lastError: e.lastError ?? st?.errors.at(-1) ?? null,
    };
  }

  /** Once a second while there are sources: rate samples, a failed store noticed, the status pushed if changed. */
  private tick(): void {
    const now = Date.now();
    const failure = this.pipeline?.failed();
    if (failure) {
      for (const e of this.entries.values()) {
        e.collector = null;
        e.lastError = `the store failed: ${messageOf(failure)}`;
      }
      void this.serial(() => this.stopIfIdle());
    }
    for (const e of this.entries.values()) {
      if (!e.collector) continue;
      e.samples.push({ t: now, records: e.collector.status().records });
      if (e.samples.length > RATE_SAMPLES) e.samples.shift();
    }
    this.push(false);
  }

  /** A source was added, changed or removed: push its status now and keep the ticker running while any exist. */
  private changed(): void {
    if (this.entries.size > 0 && !this.timer && !this.closed) {
      this.timer = setInterval(() => this.tick(), STATUS_EVERY_MS);
      this.timer.unref();
    } else if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.push(true);
  }

  private push(force: boolean): void {
    const sources = this.list();
    const text = JSON.stringify(sources);
    if (!force && text === this.shown) return;
    this.shown = text;
    this.emit({ type: 'live-status', sources });
  }

  private save(): void {
    try {
      this.file.save(
        [...this.entries.values()].map((e) => ({
          id: e.id,
          spec: e.spec,
          paused: e.paused,
          sealed: e.sealed,
          secretsLost: e.secretsLost,
        })),
      );
    } catch (err) {
      this.opts.log?.(`live sources could not be saved in the workspace: ${messageOf(err)}`);
    }
  }

  /**
   * Pause, resume, remove: `fn` changes one source, in turn with every other request; then the list is saved and
   * its status pushed. `fn`'s answer is taken before that, which changes nothing it reports.
   */
  private update<T>(id: string, fn: (entry: Entry) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const answer = await fn(this.entry(id));
      this.save();
      this.changed();
      return answer;
    });
  }

  private entry(id: string): Entry {
    this.assertOpen();
    const e = this.entries.get(id);
    if (!e) throw new ApiFailure({ code: 'not-found', message: `no live source ${id}` });
    return e;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the workspace is closed');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }
}

function displayName(spec: LiveSourceSpec): string {
  if (spec.kind === 'tail') return `tail ${spec.paths.join(' ')}`;
  if (spec.kind === 'syslog') return `${spec.protocol}://${spec.host}:${spec.port}`;
  return spec.path ? `${spec.destination} ${spec.path}` : spec.destination;
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

function invalid(message: string): ApiFailure {
  return new ApiFailure({ code: 'invalid-request', message });
}
