// Progress of long work, sampled at a fixed rate so that reporting never costs more than the work itself.
import type { ChannelCounters } from '../channel/channel.ts';

export interface IngestProgress {
  events: number;
  bytes: number;
  /** Input currently being read. */
  current: string | null;
  elapsedMs: number;
  eventsPerSec: number;
  bytesPerSec: number;
  channel: ChannelCounters;
  done: boolean;
}

export class IngestProgressMeter {
  private events = 0;
  private bytes = 0;
  private current: string | null = null;
  private readonly started = Date.now();
  private last = 0;

  constructor(
    private readonly onProgress: ((p: IngestProgress) => void) | undefined,
    private readonly everyMs: number,
    private readonly channelStats: () => ChannelCounters,
  ) {}

  addEvents(n: number): void {
    this.events += n;
    this.maybeReport();
  }

  addBytes(n: number): void {
    this.bytes += n;
    this.maybeReport();
  }

  note(uri: string): void {
    this.current = uri;
  }

  finish(): void {
    this.report(true);
  }

  private maybeReport(): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (now - this.last < this.everyMs) return;
    this.last = now;
    this.report(false);
  }

  private report(done: boolean): void {
    if (!this.onProgress) return;
    const elapsedMs = Math.max(1, Date.now() - this.started);
    this.onProgress({
      events: this.events,
      bytes: this.bytes,
      current: this.current,
      elapsedMs,
      eventsPerSec: (this.events * 1000) / elapsedMs,
      bytesPerSec: (this.bytes * 1000) / elapsedMs,
      channel: this.channelStats(),
      done,
    });
  }
}
