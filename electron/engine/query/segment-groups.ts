// What lets a deep page skip whole segments: the candidate segments cut into groups whose time ranges are
// strictly disjoint (so every timed match of one group sorts before every one of the next), and each segment's
// matches counted apart for its timed and untimed events (untimed events sort after all timed ones), from the
// manifest or the word index when they know, else with one `count(*)` on the loaded segment.
import type { SegmentMeta, SegmentReader } from '../store/types.ts';
import { decodePostings } from '../store/postings.ts';
import { UNTIMED_TERM } from '../store/term-index.ts';
import { registerFunctions } from './compile.ts';
import { allRows, withDb } from './db.ts';
import { and, cardinality } from './id-sets.ts';
import { coversSegment, type QueryPlan, type SegmentQuery } from './plan.ts';

export interface MatchCounts {
  timed: number;
  untimed: number;
}

/**
 * Indexes (into the plan's segments) of the segments holding timed events, grouped so that groups' time ranges
 * are strictly disjoint, in ascending time. Segments whose ranges touch or overlap share a group: equal times
 * are ordered by source and line, which only a merge can decide.
 */
export function timedGroups(segments: SegmentMeta[]): number[][] {
  const timed = segments
    .map((meta, seg) => ({ meta, seg }))
    .filter(({ meta }) => meta.tsMin != null && meta.tsMax != null && meta.events > meta.untimed)
    .sort((a, b) => a.meta.tsMin! - b.meta.tsMin! || a.meta.tsMax! - b.meta.tsMax! || a.seg - b.seg);
  const groups: number[][] = [];
  let max = -Infinity;
  for (const { meta, seg } of timed) {
    if (groups.length === 0 || meta.tsMin! > max) groups.push([seg]);
    else groups[groups.length - 1].push(seg);
    max = Math.max(max, meta.tsMax!);
  }
  // Segments of one group keep the plan's order: it breaks ties between identical sort keys.
  for (const g of groups) g.sort((a, b) => a - b);
  return groups;
}

/**
 * The segment's matches among its timed and its untimed events. `query` reads the word index (once, cached by
 * the caller); the segment itself is loaded only when neither the manifest nor the index knows the count.
 */
export async function matchCounts(
  reader: SegmentReader,
  plan: QueryPlan,
  meta: SegmentMeta,
  query: () => Promise<SegmentQuery>,
): Promise<MatchCounts> {
  if (plan.ast.type === 'all') return { timed: meta.events - meta.untimed, untimed: meta.untimed };
  // A time range covering the segment: exactly its timed events (no time bound matches an untimed event).
  if (coversSegment(plan.ast, meta)) return { timed: meta.events - meta.untimed, untimed: 0 };
  const q = await query();
  if (q.count != null) {
    if (q.count === 0 || meta.untimed === 0) return { timed: q.count, untimed: 0 };
    if (meta.untimed === meta.events) return { timed: 0, untimed: q.count };
    // The index's reserved key lists the untimed rows: the timed matches are the root's set without them.
    const untimedIds = await reader.withTerms(meta, (terms) => {
      const e = terms?.get(UNTIMED_TERM);
      return e ? decodePostings(e.rows, e.n) : null;
    });
    if (untimedIds) {
      const timed = cardinality(and(q.index!.root.hi, { ids: untimedIds, neg: true }), meta.events);
      return { timed, untimed: q.count - timed };
    }
  }
  const { where, params } = q.compiled;
  return withDb(reader, meta, (db) => {
    registerFunctions(db, q.compiled);
    const [all, timed] = allRows(db, `SELECT count(*), count(ev.ts) FROM ev WHERE ${where}`, params)[0];
    return { timed: Number(timed), untimed: Number(all) - Number(timed) };
  });
}

/** Where a merge may start: every timed match before `ts` in the listing order (`before` of them) is passed. */
export interface GroupCut {
  ts: number;
  before: number;
}

/**
 * A time inside a group of touching or overlapping segments, as late as possible with at most `skip` matches
 * before it, so a merge starts near the page instead of reading and dropping every row before it. The guess is
 * the time of the skip-th row of the segment it falls in (counting whole segments before it); only segments
 * straddling that time are counted with SQL. Null when no guess passes at most `skip` rows.
 */
export async function cutGroup(
  reader: SegmentReader,
  plan: QueryPlan,
  dir: number,
  segs: number[],
  counts: number[],
  skip: number,
  query: (seg: number) => Promise<SegmentQuery>,
): Promise<GroupCut | null> {
  const metas = segs.map((seg) => plan.segments[seg]);
  const first = (m: SegmentMeta) => (dir > 0 ? m.tsMin! : -m.tsMax!);
  const order = segs.map((_, i) => i).sort((a, b) => first(metas[a]) - first(metas[b]));
  let acc = 0;
  let at = order[order.length - 1];
  for (const i of order) {
    if (acc + counts[i] > skip) {
      at = i;
      break;
    }
    acc += counts[i];
  }
  const sqlOn = async <T>(i: number, sql: string, args: unknown[]): Promise<T> => {
    const q = await query(segs[i]);
    return withDb(reader, metas[i], (db) => {
      registerFunctions(db, q.compiled);
      return allRows(
        db,
        // $TS: the time as the query reads it (clock-offsets.ts), `ev.ts` unless an offset applies.
        sql.replace(/\$TS/g, () => q.compiled.ts).replace('$WHERE', () => q.compiled.where),
        [...q.compiled.params, ...args],
      )[0]?.[0] as T;
    });
  };
  const d = dir > 0 ? '' : ' DESC';
  const lt = dir > 0 ? '<' : '>';
  for (let r = skip - acc, tries = 0; tries < 4; r = Math.floor(r / 2), tries++) {
    const ts = await sqlOn<number | undefined>(
      at,
      `SELECT $TS FROM ev WHERE ($WHERE) AND ev.ts IS NOT NULL ORDER BY $TS${d} LIMIT 1 OFFSET ?`,
      [r],
    );
    if (ts == null) return null;
    let before = 0;
    for (let i = 0; i < segs.length; i++) {
      const m = metas[i];
      const wholly = dir > 0 ? m.tsMax! < ts : m.tsMin! > ts;
      const none = dir > 0 ? m.tsMin! >= ts : m.tsMax! <= ts;
      if (wholly) before += counts[i];
      else if (!none)
        before += Number(await sqlOn(i, `SELECT count(*) FROM ev WHERE ($WHERE) AND $TS ${lt} ?`, [ts]));
      if (before > skip) break;
    }
    if (before <= skip) return { ts, before };
    if (r === 0) return null;
  }
  return null;
}
