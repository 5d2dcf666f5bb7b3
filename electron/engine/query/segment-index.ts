// Evaluates a query tree on one segment's word index (its terms sidecar) without loading the segment.
//
// Every node gets two id sets, lo ⊆ matches ⊆ hi. A plain word is exact (lo = hi = its posting list); words with
// other characters, phrases and regex literals give candidates (hi: the postings of the words they must contain);
// fields, severity and the like know nothing (lo = none, hi = all). AND/OR combine both bounds, NOT swaps them.
// When the root is exact, a count is its size; otherwise the root's hi narrows the rows the SQL has to check.
import type { QueryNode } from '../../../shared/query/index.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { foldWord, forEachWord } from '../../../shared/words.ts';
import { decodePostings } from '../store/postings.ts';
import { LONG_WORDS_TERM, MAX_WORD_LENGTH, UNTIMED_TERM } from '../store/term-index.ts';
import type { SegmentMeta, SegmentTerms } from '../store/types.ts';
import { ALL, and, NONE, not, or, unionAll, type IdSet } from './id-sets.ts';
import { hostPredicate, resolveSources } from './match.ts';
import { requiredLiterals } from './regex-literal.ts';

export interface NodeSets {
  lo: IdSet;
  hi: IdSet;
  exact: boolean;
}

export interface SegmentIndex {
  /** Ids run 1..events. */
  events: number;
  root: NodeSets;
  nodes: Map<QueryNode, NodeSets>;
}

const MAX_CANDIDATE_PREFIX_WORDS = 64;
const UNKNOWN: NodeSets = { lo: NONE, hi: ALL, exact: false };
const exactly = (s: IdSet): NodeSets => ({ lo: s, hi: s, exact: true });
const within = (hi: IdSet): NodeSets => ({ lo: NONE, hi, exact: false });

/** Posting lists of one sidecar, decoded once per query. */
class TermReader {
  private readonly cache = new Map<string, Int32Array>();

  constructor(private readonly terms: SegmentTerms) {}

  /** Rows holding the folded word `term` (or a reserved key). */
  postings(term: string): Int32Array {
    let ids = this.cache.get(term);
    if (!ids) {
      const e = this.terms.get(term);
      ids = e ? decodePostings(e.rows, e.n) : new Int32Array(0);
      this.cache.set(term, ids);
    }
    return ids;
  }

  /** Rows holding an indexed word that starts with the folded prefix; null past maxWords such words. */
  prefix(p: string, maxWords = Infinity): Int32Array | null {
    const lists: Int32Array[] = [];
    let over = false;
    // U+10FFFF sorts after every character that can follow the prefix in UTF-8 order.
    this.terms.range(p, p + '\u{10ffff}', (_, e) => {
      if (lists.length >= maxWords) {
        over = true;
        return false;
      }
      lists.push(decodePostings(e.rows, e.n));
    });
    return over ? null : unionAll(lists);
  }
}

/** The sidecar describes other rows than the segment's (it does not belong to it). */
export class StaleIndexError extends Error {}

/** The query's sets on this segment's sidecar db. */
export function evaluateIndex(
  sidecar: SegmentTerms,
  root: QueryNode,
  meta: SegmentMeta,
  sources: SourceInfo[],
): SegmentIndex {
  if (Number(sidecar.meta('events')) !== meta.events)
    throw new StaleIndexError(`terms sidecar of ${meta.file} is stale`);
  const terms = new TermReader(sidecar);
  const nodes = new Map<QueryNode, NodeSets>();
  const long = (): IdSet => ({ ids: terms.postings(LONG_WORDS_TERM), neg: false });
  const timed = (): IdSet => ({ ids: terms.postings(UNTIMED_TERM), neg: true });

  /**
   * Candidates: the rows whose line holds the word text[s, e), or (prefix) a word starting with it. A prefix
   * shared by many words (`1` of `10.1`) narrows little and costs much: then every row is a candidate.
   */
  function wordSet(text: string, s: number, e: number, prefix: boolean): IdSet {
    if (e - s > MAX_WORD_LENGTH) return long();
    const key = foldWord(text.slice(s, e));
    if (!prefix) return { ids: terms.postings(key), neg: false };
    const ids = terms.prefix(key, MAX_CANDIDATE_PREFIX_WORDS);
    return ids ? or({ ids, neg: false }, long()) : ALL;
  }

  /** Bounds from the words text must contain; the edges say whether text's ends are word boundaries. */
  function contained(text: string, leftEdge: boolean, rightEdge: boolean): NodeSets {
    const spans: number[] = [];
    forEachWord(text, (s, e) => spans.push(s, e));
    if (spans.length === 2 && spans[0] === 0 && spans[1] === text.length && leftEdge) {
      // One whole word: its postings are the answer (a prefix is exact unless over-long words may start so).
      if (text.length > MAX_WORD_LENGTH) return within(long());
      if (rightEdge) return exactly(wordSet(text, 0, text.length, false));
      const starts: IdSet = { ids: terms.prefix(foldWord(text))!, neg: false };
      const l = long();
      return l.ids.length ? { lo: starts, hi: or(starts, l), exact: false } : exactly(starts);
    }
    let hi = ALL;
    for (let i = 0; i < spans.length; i += 2) {
      const s = spans[i];
      const e = spans[i + 1];
      // A word at the very start may be the tail of a longer one: the index cannot help there.
      if (s === 0 && !leftEdge) continue;
      hi = and(hi, wordSet(text, s, e, e === text.length && !rightEdge));
    }
    return within(hi);
  }

  function literalSets(text: string): NodeSets {
    return within(contained(text, false, false).hi);
  }

  function visit(node: QueryNode): NodeSets {
    let r: NodeSets;
    switch (node.type) {
      case 'all':
        r = exactly(ALL);
        break;
      case 'and':
      case 'or': {
        const kids = node.children.map(visit);
        const op = node.type === 'and' ? and : or;
        const exact = kids.every((k) => k.exact);
        let hi = kids[0].hi;
        for (let i = 1; i < kids.length; i++) hi = op(hi, kids[i].hi);
        if (exact) r = exactly(hi);
        else {
          let lo = kids[0].lo;
          for (let i = 1; i < kids.length; i++) lo = op(lo, kids[i].lo);
          r = { lo, hi, exact: false };
        }
        break;
      }
      case 'not': {
        const k = visit(node.child);
        r = k.exact ? exactly(not(k.hi)) : { lo: not(k.hi), hi: not(k.lo), exact: false };
        break;
      }
      case 'word':
        r = contained(node.word, true, !node.prefix);
        break;
      case 'phrase':
        r = node.text === '' ? exactly(ALL) : literalSets(node.text);
        break;
      case 'regex': {
        // Every required literal narrows the candidates (`/Failed \w+ user42/`: the rows holding user42).
        let hi = ALL;
        for (const lit of requiredLiterals(node.source)) hi = and(hi, literalSets(lit).hi);
        r = within(hi);
        break;
      }
      case 'time':
        r = timeSets(node.from, node.to, meta, timed);
        break;
      case 'source': {
        const ids = resolveSources(node.match, sources);
        const n = meta.sources.filter((id) => ids.includes(id)).length;
        r = n === 0 ? exactly(NONE) : n === meta.sources.length ? exactly(ALL) : UNKNOWN;
        break;
      }
      case 'host':
        r = meta.hosts.some(hostPredicate(node.match)) ? UNKNOWN : exactly(NONE);
        break;
      default:
        r = UNKNOWN;
    }
    nodes.set(node, r);
    return r;
  }

  return { events: meta.events, root: visit(root), nodes };
}

function timeSets(from: number | null, to: number | null, meta: SegmentMeta, timed: () => IdSet): NodeSets {
  const { tsMin, tsMax } = meta;
  if (tsMin == null || tsMax == null) return exactly(NONE);
  if ((from != null && tsMax < from) || (to != null && tsMin >= to)) return exactly(NONE);
  const inside = (from == null || tsMin >= from) && (to == null || tsMax < to);
  return inside ? exactly(timed()) : within(timed());
}
