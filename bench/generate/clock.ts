// A synthetic clock that moves forward by a random gap per line, with cached per-second and per-day strings,
// so formatting a timestamp costs string concatenation only, not a Date per line.
import type { Rng } from './prng.ts';

/** 2024-03-01T00:00:00Z: every dataset starts here (syslog has no year; this one is not a leap-day edge). */
export const START_MS = Date.UTC(2024, 2, 1, 0, 0, 0);

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export function pad3(n: number): string {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n);
}

export class Clock {
  /** Current time, ms since the epoch. */
  ms = START_MS;
  private day = -1;
  /** Calendar parts of the current day, refreshed only when the day changes. */
  year = 0;
  month = 0;
  date = 0;

  constructor(
    private readonly rng: Rng,
    /** Mean gap between lines in ms (uniform in [0, 2 × mean]). */
    private readonly meanGapMs: number,
  ) {
    this.refreshDay();
  }

  tick(): void {
    this.ms += Math.floor(this.rng.next() * 2 * this.meanGapMs);
    if (Math.floor(this.ms / 86_400_000) !== this.day) this.refreshDay();
  }

  /** Seconds into the current day (UTC). */
  secondOfDay(): number {
    return Math.floor((this.ms % 86_400_000) / 1000);
  }

  /** `HH:MM:SS` of the current time. */
  hms(): string {
    const s = this.secondOfDay();
    return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
  }

  private refreshDay(): void {
    this.day = Math.floor(this.ms / 86_400_000);
    const d = new Date(this.day * 86_400_000);
    this.year = d.getUTCFullYear();
    this.month = d.getUTCMonth();
    this.date = d.getUTCDate();
  }
}
