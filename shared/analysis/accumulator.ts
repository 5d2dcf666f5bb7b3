// Counts the anomaly model is built from, gathered once per event as it is stored (next to the template miner):
// per template its total, hosts, severities and time buckets; per severity and in total, events per bucket.
//
// Buckets start one minute wide. Their number is bounded: when the cells held pass `maxCells`, every bucket
// doubles in width (key k becomes floor(k / 2), which is exactly floor(ts / 2w)), so memory stays bounded and the
// result depends only on which events were seen, not on their order.

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
  hosts: Map<string, number>;
  buckets: Map<number, number>;
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
  private readonly hosts = new Map<string, number>();
  private readonly volume = new Map<number, number>();
  private readonly severity: Array<Map<number, number>> = [];
  private readonly aliases = new Map<number, number>();
  private cells = 0;

  constructor(opts?: Partial<AccumulatorOptions>) {
    this.options = { ...DEFAULT_ACCUMULATOR, ...opts };
    for (let i = 0; i < SEVERITY_SLOTS; i++) this.severity.push(new Map());
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
          buckets: new Map(),
          sev: new Array<number>(SEVERITY_SLOTS).fill(0),
        };
        this.templates.set(template, t);
      }
      t.count++;
      t.sev[slot]++;
      if (host !== null) t.hosts.set(host, (t.hosts.get(host) ?? 0) + 1);
    }
    if (host !== null) this.hosts.set(host, (this.hosts.get(host) ?? 0) + 1);
    if (ts === null) return;
    if (this.tsMin === null || ts < this.tsMin) this.tsMin = ts;
    if (this.tsMax === null || ts > this.tsMax) this.tsMax = ts;
    const key = Math.floor(ts / this.bucketMs);
    this.bump(this.volume, key);
    this.bump(this.severity[slot], key);
    if (t !== undefined) this.bump(t.buckets, key);
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
      for (const [k, n] of t.buckets) {
        const prev = into.buckets.get(k);
        if (prev !== undefined) this.cells--;
        into.buckets.set(k, (prev ?? 0) + n);
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
      hosts: [...this.hosts],
      volume: [...this.volume],
      severity: this.severity.map((m) => [...m]),
      templates: ids.map((id) => {
        const t = this.templates.get(id) as TemplateCounts;
        return { id, count: t.count, hosts: [...t.hosts], buckets: [...t.buckets], sev: [...t.sev] };
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
    for (const [h, n] of s.hosts) acc.hosts.set(h, n);
    for (const [k, n] of s.volume) acc.volume.set(k, n);
    s.severity.forEach((entries, i) => {
      for (const [k, n] of entries) acc.severity[i].set(k, n);
    });
    for (const t of s.templates) {
      acc.templates.set(t.id, {
        count: t.count,
        hosts: new Map(t.hosts),
        buckets: new Map(t.buckets),
        sev: [...t.sev],
      });
    }
    for (const [from, to] of s.aliases) acc.aliases.set(from, to);
    acc.cells = acc.countCells();
    if (acc.cells > acc.options.maxCells) acc.widen();
    return acc;
  }

  private bump(m: Map<number, number>, key: number): void {
    const prev = m.get(key);
    if (prev === undefined) {
      m.set(key, 1);
      this.cells++;
    } else m.set(key, prev + 1);
  }

  private widen(): void {
    while (this.cells > this.options.maxCells) {
      this.bucketMs *= 2;
      rebin(this.volume);
      for (const m of this.severity) rebin(m);
      for (const t of this.templates.values()) rebin(t.buckets);
      this.cells = this.countCells();
    }
  }

  private countCells(): number {
    let n = this.volume.size;
    for (const m of this.severity) n += m.size;
    for (const t of this.templates.values()) n += t.buckets.size;
    return n;
  }
}

/** Halves the resolution of a bucket map in place: key k joins floor(k / 2). */
function rebin(m: Map<number, number>): void {
  const entries = [...m];
  m.clear();
  for (const [k, n] of entries) {
    const key = Math.floor(k / 2);
    m.set(key, (m.get(key) ?? 0) + n);
  }
}
