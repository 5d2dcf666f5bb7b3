// Scores stored rows against the workspace model fast enough for `anomaly>=x` to test every row a query leaves
// (query/anomaly-filter.ts), and with exactly the scores shown on the rows (the same scoreEvent).
//
// Why this is needed: whole scores keyed by (template, scoring bucket, host, severity) barely repeat (on generated
// syslog 100k rows held 56k keys), and scoring a key cost ~6 µs, mostly in the Poisson tails of the host and
// error-burst signals. Here the signals are memoised by the parts of the event they depend on (template;
// template and bucket; template and host), which repeat across many keys; and each (template, severity) has a
// ceiling no row's score exceeds, so a threshold rejects most rows without scoring them (and the query stage
// decides those rows in SQL, without calling into JavaScript per row).
import type { AnalysisModel, TemplateStats } from '../../../shared/analysis/model.ts';
import { modelEvidence, scoreEvent, type Evidence } from '../../../shared/analysis/score.ts';
import type { Signal } from '../../../shared/analysis/signals.ts';
import { severityFromRank } from '../../../shared/severity.ts';
import type { AnomalyScorer } from '../query/anomaly-filter.ts';

/** Past this many memoised scores (or signals) the memo starts over: memory stays bounded on any workspace. */
const MEMO_MAX = 200_000;
/** Severity ranks 0..8 are slots 0..8; no severity (or a rank outside the scale, which reads as none) is 9. */
const NO_SEVERITY = 9;
/** Buckets beyond this magnitude are not memoised (bucket × 10 + slot must stay an exact integer). */
const MAX_MEMO_BUCKET = 2 ** 48;
/**
 * Past this many template ids, ceilings are not listed up front (each costs ~0.15 ms to work out, a price a page
 * of rows should not pay for a huge model); rows are then still decided on their ceiling one by one.
 */
const MAX_LISTED_TEMPLATES = 5_000;

/**
 * Scores against one model, memoised (a model never changes: new counts make a new model, and a new scorer). Scores
 * are keyed by template, then host, then bucket × 10 + severity slot (slot + 0.5 for an untimed row), so a row
 * costs three map lookups and no string building.
 */
export function modelScorer(model: AnalysisModel): AnomalyScorer {
  const evidence = memoisedEvidence(model);
  let memo = new Map<number | null, Map<string | null, Map<number, number>>>();
  let size = 0;
  const score: AnomalyScorer = (template, ts, host, sevRank) => {
    const severity = severityFromRank(sevRank);
    const slot = severity == null ? NO_SEVERITY : (sevRank as number);
    const bucket = ts == null ? null : Math.floor(ts / model.widthMs);
    if (bucket != null && !(Math.abs(bucket) <= MAX_MEMO_BUCKET))
      return scoreEvent(model, { template, ts, host, severity }, evidence);
    const key = bucket == null ? slot + 0.5 : bucket * 10 + slot;
    let byHost = memo.get(template);
    if (!byHost) memo.set(template, (byHost = new Map()));
    let byKey = byHost.get(host);
    if (!byKey) byHost.set(host, (byKey = new Map()));
    let s = byKey.get(key);
    if (s === undefined) {
      s = scoreEvent(model, { template, ts, host, severity }, evidence);
      if (++size > MEMO_MAX) {
        memo = new Map();
        size = 0;
      } else byKey.set(key, s);
    }
    return s;
  };
  score.ceiling = scoreCeiling(model);
  score.known = () => knownTemplates(model);
  score.bucketMs = () => model.widthMs;
  return score;
}

/**
 * The ceiling of a template and severity: the event scored with each of its time and host signals replaced by
 * the strongest that signal reaches anywhere. That bounds every real row's score exactly, not just roughly:
 * each signal is null outside the buckets and hosts looked at here (a spike, burst share or host outlier needs
 * events of the template there, novelty is its first bucket, a template-less burst needs errors in the bucket),
 * and scoreEvent is monotone in every strength, float rounding included (noisy-OR of strengths sorted
 * strongest first: the k-th strongest can only grow, each factor 1 - s only shrink, and dropping a weak signal
 * is a factor of 1). The bound is scored by the same scoreEvent, so it follows any change to the weights.
 */
function scoreCeiling(model: AnalysisModel): (template: number | null, sevRank: number | null) => number {
  // Each signal is computed once per bucket or host here: memoising them would only fill the tables.
  const direct = modelEvidence(model);
  const over = <K>(keys: Iterable<K>, f: (k: K) => Signal | null): Signal | null => {
    let best: Signal | null = null;
    for (const k of keys) {
      const sig = f(k);
      if (sig && (!best || sig.strength > best.strength)) best = sig;
    }
    return best;
  };
  const once = <A>(f: (a: A) => Signal | null): ((a: A) => Signal | null) => {
    const m = new Map<A, Signal | null>();
    return (a) => {
      let sig = m.get(a);
      if (sig === undefined) m.set(a, (sig = f(a)));
      return sig;
    };
  };
  const strongest: Evidence = {
    rare: once(direct.rare),
    fresh: once((t: TemplateStats) => direct.fresh(t, t.first)),
    spike: once((t: TemplateStats) => over(t.buckets.keys(), (b) => direct.spike(t, b))),
    host: once((t: TemplateStats) => over(t.hosts.keys(), (h) => direct.host(t, h))),
    burst: once((t: TemplateStats | null) =>
      over((t ? t.buckets : model.errors).keys(), (b) => direct.burst(t, b)),
    ),
  };
  // Per template id as stored (several may resolve to one template), one slot per severity (NO_SEVERITY last).
  const ceilings = new Map<number | null, Float64Array>();
  return (template, sevRank) => {
    const severity = severityFromRank(sevRank);
    const slot = severity == null ? NO_SEVERITY : (sevRank as number);
    let row = ceilings.get(template);
    if (!row) {
      if (ceilings.size >= MEMO_MAX) ceilings.clear();
      ceilings.set(template, (row = new Float64Array(NO_SEVERITY + 1).fill(NaN)));
    }
    let c = row[slot];
    // Any time and host will do: the strongest evidence ignores which.
    if (Number.isNaN(c))
      c = row[slot] = scoreEvent(model, { template, ts: 0, host: '', severity }, strongest);
    return c;
  };
}

/** Every severity rank, and none. */
const RANKS: readonly (number | null)[] = [null, 0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The template ids rows may store that the model knows (its templates and the ids merged into them), each with
 * every severity: ranks the model never saw on a template still get a ceiling, so that the decided ids of one
 * severity form long runs (query/anomaly-gate.ts).
 */
function knownTemplates(model: AnalysisModel): [number, readonly (number | null)[]][] {
  const ids = [...model.templateIds(), ...model.aliases.keys()];
  if (ids.length > MAX_LISTED_TEMPLATES) return [];
  const out: [number, readonly (number | null)[]][] = [];
  for (const id of ids) {
    const t = model.template(id);
    if (!t) continue;
    out.push([id, RANKS]);
  }
  return out;
}

/** The model's signals, each memoised by the parts of the event it depends on (bounded like the scores). */
export function memoisedEvidence(model: AnalysisModel): Evidence {
  const direct = modelEvidence(model);
  let size = 0;
  const tables: Map<unknown, Map<unknown, Signal | null>>[] = [];
  /** f memoised on (a, b); every table is dropped together once they hold MEMO_MAX signals between them. */
  function memo2<A, B>(f: (a: A, b: B) => Signal | null): (a: A, b: B) => Signal | null {
    const table = new Map<A, Map<B, Signal | null>>();
    tables.push(table as Map<unknown, Map<unknown, Signal | null>>);
    return (a, b) => {
      let inner = table.get(a);
      if (!inner) table.set(a, (inner = new Map()));
      let sig = inner.get(b);
      if (sig === undefined) {
        sig = f(a, b);
        if (++size > MEMO_MAX) {
          for (const t of tables) t.clear();
          size = 0;
        } else inner.set(b, sig);
      }
      return sig;
    };
  }
  const rare = memo2((t: TemplateStats, _: null) => direct.rare(t));
  return {
    rare: (t) => rare(t, null),
    fresh: memo2(direct.fresh),
    spike: memo2(direct.spike),
    host: memo2(direct.host),
    burst: memo2(direct.burst),
  };
}
