// Counts the anomaly model is built from, gathered once per event as it is stored (next to the template miner):
// per template its total, hosts, severities and time buckets; per severity and in total, events per bucket.
//
// Buckets start one minute wide. Their number is bounded: when the cells held pass `maxCells`, every bucket
// doubles in width (key k becomes floor(k / 2), which is exactly floor(ts / 2w)), so memory stays bounded and the
// result depends only on which events were seen, not on their order.

import { Tally } from './tally.ts';

export const BASE_BUCKET_MS = 60_000;
/** Severity slots: index 0 for events without one, rank + 1 for the others (shared/severity.ts). */
export const SEVERITY_SLOTS = 10;

export interface AccumulatorOptions {
  /** Most bucket cells kept (all templates and severities together) before buckets widen. */
  maxCells: number;
}

export const DEFAULT_ACCUMULATOR: AccumulatorOptions = { maxCells: 400_000 };

interface TemplateCounts {
  count: number;
  /** Events per host, by host number (see hostNumber), in the order hosts were first seen. */
  hosts: Map<number, number>;
  buckets: Tally;
  /** Events per severity slot. */
  sev: number[];
}

/** The stored form (analysis.json). Bucket keys are indexes at width `bucketMs`. */
export interface AnalysisSnapshot {
  version: 1;
  bucketMs: number;
  total: number;
  tsMin: number | null;
  tsMax: number | null;
  hosts: Array<[string, number]>;
  volume: Array<[number, number]>;
  /** Per severity slot (see SEVERITY_SLOTS), events per bucket. */
  severity: Array<Array<[number, number]>>;
  templates: Array<{
    id: number;
    count: number;
    hosts: Array<[string, number]>;
    buckets: Array<[number, number]>;
    sev: number[];
  }>;
  /** Template ids that events may still carry, mapped to the id their cluster merged into. */
  aliases: Array<[number, number]>;
}

export class AnalysisAccumulator {
  readonly options: AccumulatorOptions;
  bucketMs = BASE_BUCKET_MS;
  total = 0;
  tsMin: number | null = null;
  tsMax: number | null = null;
  private readonly templates = new Map<number, TemplateCounts>();
  // Hosts are numbered once (one lookup by name per event); counts are then kept by number.
  private readonly hostNumbers = new Map<string, number>();
  private readonly hostNames: string[] = [];
  /** Events per host number; undefined for hosts only templates restored from a snapshot name. */
  private readonly hostTotals: Array<number | undefined> = [];
  /** Host numbers in the order they were first counted in total (the snapshot's order). */
  private readonly hostOrder: number[] = [];
  private readonly volume = new Tally();
  private readonly severity: Tally[] = [];
  private readonly aliases = new Map<number, number>();
  private cells = 0;

  constructor(opts?: Partial<AccumulatorOptions>) {
    this.options = { ...DEFAULT_ACCUMULATOR, ...opts };
    for (let i = 0; i < SEVERITY_SLOTS; i++) this.severity.push(new Tally());
  }

  /** Counts one stored event. `severityRank` is the index in SEVERITIES, or null. */
  add(template: number | null, ts: number | null, host: string | null, severityRank: number | null): void {
    this.total++;
    const slot = severityRank == null ? 0 : severityRank + 1;
    let t: TemplateCounts | undefined;
    if (template != null) {
      t = this.templates.get(template);
      if (t === undefined) {
        t = {
          count: 0,
          hosts: new Map(),
          buckets: new Tally(),
          sev: new Array<number>(SEVERITY_SLOTS).fill(0),
        };
        this.templates.set(template, t);
      }
    }
    if (host !== null) {
      const h = this.hostNumber(host);
      if (t !== undefined) t.hosts.set(h, (t.hosts.get(h) ?? 0) + 1);
      this.countHost(h, 1);
    }
    if (t !== undefined) {
      t.count++;
      t.sev[slot]++;
    }
    if (ts === null) return;
    if (this.tsMin === null || ts < this.tsMin) this.tsMin = ts;
    if (this.tsMax === null || ts > this.tsMax) this.tsMax = ts;
    const key = Math.floor(ts / this.bucketMs);
    if (this.volume.bump(key)) this.cells++;
    if (this.severity[slot].bump(key)) this.cells++;
    if (t !== undefined && t.buckets.bump(key)) this.cells++;
    if (this.cells > this.options.maxCells) this.widen();
  }

  /**
   * Folds the counts of templates the miner has merged into their survivors (`resolve` is TemplateMiner.resolve)
   * and remembers the old ids, since stored events keep the id they were given.
   */
  compact(resolve: (id: number) => number): void {
    for (const [from] of this.aliases) this.aliases.set(from, resolve(from));
    for (const [id, t] of [...this.templates]) {
      const to = resolve(id);
      if (to === id) continue;
      this.aliases.set(id, to);
      this.templates.delete(id);
      const into = this.templates.get(to);
      if (into === undefined) {
        this.templates.set(to, t);
        continue;
      }
      into.count += t.count;
      for (let i = 0; i < SEVERITY_SLOTS; i++) into.sev[i] += t.sev[i];
      for (const [h, n] of t.hosts) into.hosts.set(h, (into.hosts.get(h) ?? 0) + n);
      const buckets = into.buckets.counts();
      for (const [k, n] of t.buckets.counts()) {
        const prev = buckets.get(k);
        if (prev !== undefined) this.cells--;
        buckets.set(k, (prev ?? 0) + n);
      }
    }
  }

  toJSON(): AnalysisSnapshot {
    const ids = [...this.templates.keys()].sort((a, b) => a - b);
    return {
      version: 1,
      bucketMs: this.bucketMs,
      total: this.total,
      tsMin: this.tsMin,
      tsMax: this.tsMax,
      hosts: this.hostOrder.map((h): [string, number] => [this.hostNames[h], this.hostTotals[h] as number]),
      volume: [...this.volume.counts()],
      severity: this.severity.map((m) => [...m.counts()]),
      templates: ids.map((id) => {
        const t = this.templates.get(id) as TemplateCounts;
        return {
          id,
          count: t.count,
          hosts: [...t.hosts].map(([h, n]): [string, number] => [this.hostNames[h], n]),
          buckets: [...t.buckets.counts()],
          sev: [...t.sev],
        };
      }),
      aliases: [...this.aliases].sort((a, b) => a[0] - b[0]),
    };
  }

  static fromJSON(s: AnalysisSnapshot, opts?: Partial<AccumulatorOptions>): AnalysisAccumulator {
    if (s?.version !== 1) throw new Error(`analysis snapshot: unsupported version ${s?.version}`);
    const acc = new AnalysisAccumulator(opts);
    acc.bucketMs = s.bucketMs;
    acc.total = s.total;
    acc.tsMin = s.tsMin;
    acc.tsMax = s.tsMax;
    for (const [name, n] of s.hosts) {
      const h = acc.hostNumber(name);
      acc.countHost(h, n - (acc.hostTotals[h] ?? 0)); // a name listed twice keeps its last count
    }
    const volume = acc.volume.counts();
    for (const [k, n] of s.volume) volume.set(k, n);
    s.severity.forEach((entries, i) => {
      const counts = acc.severity[i].counts();
      for (const [k, n] of entries) counts.set(k, n);
    });
    for (const t of s.templates) {
      acc.templates.set(t.id, {
        count: t.count,
        hosts: new Map(t.hosts.map(([name, n]) => [acc.hostNumber(name), n])),
        buckets: new Tally(t.buckets),
        sev: [...t.sev],
      });
    }
    for (const [from, to] of s.aliases) acc.aliases.set(from, to);
    acc.cells = acc.countCells();
    if (acc.cells > acc.options.maxCells) acc.widen();
    return acc;
  }

  private hostNumber(name: string): number {
    let h = this.hostNumbers.get(name);
    if (h === undefined) {
      h = this.hostNames.length;
      this.hostNumbers.set(name, h);
      this.hostNames.push(name);
    }
    return h;
  }

  private countHost(h: number, n: number): void {
    const prev = this.hostTotals[h];
    if (prev === undefined) this.hostOrder.push(h);
    this.hostTotals[h] = (prev ?? 0) + n;
  }

  private widen(): void {
    while (this.cells > this.options.maxCells) {
      const before = this.cells;
      this.bucketMs *= 2;
      rebin(this.volume);
      for (const m of this.severity) rebin(m);
      for (const t of this.templates.values()) rebin(t.buckets);
      this.cells = this.countCells();
      // Every template keeps at least one cell: once widening stops helping (more templates than the cap), it stops,
      // and the cap is exceeded by the templates themselves rather than looping forever.
      if (this.cells >= before) break;
    }
  }

  private countCells(): number {
    let n = this.volume.size;
    for (const m of this.severity) n += m.size;
    for (const t of this.templates.values()) n += t.buckets.size;
    return n;
  }
}

/** Halves the resolution of a bucket tally in place: key k joins floor(k / 2). */
function rebin(tally: Tally): void {
  const m = tally.counts();
  const entries = [...m];
  m.clear();
  for (const [k, n] of entries) {
    const key = Math.floor(k / 2);
    m.set(key, (m.get(key) ?? 0) + n);
  }
  tally.changed();
}
