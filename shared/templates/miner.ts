// Online template mining: Drain (He et al., ICWS 2017) with richer masking and cluster merging.
//
// A message is masked and tokenised (tokenize.ts), then routed down a fixed-depth tree: first by token
// count, then by its first `depth` tokens (tokens holding a variable go to the wildcard branch, as do new
// tokens once a node has `maxChildren` children). The leaf holds candidate clusters; the message joins the
// most similar one when similarity reaches `simThreshold`, else starts a new cluster. Joining generalises
// the cluster's template: positions that differ become `<*>`. When a template generalises into the same
// text as an older cluster in its leaf, the two merge and the younger id becomes an alias (resolve()).
//
// Ids are cluster ids handed out in creation order, never hashes of template text, so an id keeps naming
// the same cluster while its text generalises. Everything is deterministic in the input order.
//
// Speed: a line whose masked form was seen before, and whose search then changed nothing, takes the answer
// from a cache (line-cache.ts says when such an answer still holds) without building token strings; the
// answers are the ones the full search gives, line for line.

import { DEFAULT_BUCKETS, TimeBuckets, type BucketOptions } from './buckets.ts';
import { agreesOutside, countConstants, covers, generalToken, tokensMatch } from './match.ts';
import { LineCache } from './line-cache.ts';
import { hasWildcard, lineTokens, MaskedLine, maskLine, WILDCARD as WILDCARD_EXPORT } from './tokenize.ts';

// A module-local copy: some loaders turn imported bindings into getters, too slow for the inner loops.
const WILDCARD = WILDCARD_EXPORT;

export interface MinerOptions extends BucketOptions {
  /** Token levels of the prefix tree below the token-count level. */
  depth: number;
  /** Fraction of a template's constant positions a message must share to join it. */
  simThreshold: number;
  /** Children per tree node before new tokens fall into the wildcard branch. */
  maxChildren: number;
  /** Distinct values a position must show before it becomes a variable. */
  minVariants: number;
}

export const DEFAULT_OPTIONS: MinerOptions = {
  ...DEFAULT_BUCKETS,
  depth: 2,
  simThreshold: 0.5,
  maxChildren: 100,
  minVariants: 3,
};

export interface TemplateInfo {
  id: number;
  /** Template text: tokens joined by one space, `<*>` where a variable stands. */
  template: string;
  count: number;
  firstSeen: number | null;
  lastSeen: number | null;
  /** The first message that made this cluster. */
  example: string;
  /** Sparse counts per time bucket: [bucket start ms, count], ascending. See buckets.ts for the bound. */
  buckets: Array<[number, number]>;
}

interface Cluster {
  id: number;
  tokens: string[];
  /** Number of constant (non-wildcard) tokens, kept to score similarity without a scan. */
  constants: number;
  count: number;
  firstSeen: number | null;
  lastSeen: number | null;
  example: string;
  buckets: TimeBuckets;
  /** Tree keys from the root to this cluster's leaf, so a restored miner rebuilds the same tree. */
  path: string[];
}

/** The stored form of a miner (TemplateMiner.toJSON / fromJSON). Bucket keys are bucket indexes. */
export interface MinerSnapshot {
  version: 1;
  options: MinerOptions;
  nextId: number;
  clusters: Array<{
    id: number;
    tokens: string[];
    count: number;
    firstSeen: number | null;
    lastSeen: number | null;
    example: string;
    buckets: Array<[number, number]>;
    path: string[];
  }>;
  aliases: Array<[number, number]>;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
  /** Counts changes to `clusters` and their templates, so cached answers for this leaf know when they lapse. */
  version: number;
}

function newNode(): TreeNode {
  return { children: new Map(), clusters: [], version: 0 };
}

/** Settings that change speed and memory, never results (not stored with the miner). */
export interface MinerTuning {
  /** Masked lines whose cluster is remembered (line-cache.ts); 0 turns the cache off. */
  cacheSlots: number;
}

export const DEFAULT_TUNING: MinerTuning = { cacheSlots: 8192 };

export class TemplateMiner {
  readonly options: MinerOptions;
  private readonly root = newNode();
  /** Live clusters by id (merged-away ids are absent and listed in `aliases`). */
  private readonly clusters = new Map<number, Cluster>();
  private readonly aliases = new Map<number, number>();
  private nextId = 1;
  private readonly scratch: string[] = [];
  private readonly line = new MaskedLine();
  private readonly cache: LineCache<Cluster>;
  /** The tree's first level indexed by token count (its keys are the counts as strings). */
  private readonly byLength: Array<TreeNode | undefined> = [];

  constructor(opts?: Partial<MinerOptions>, tuning?: Partial<MinerTuning>) {
    this.options = { ...DEFAULT_OPTIONS, ...opts };
    this.cache = new LineCache({ ...DEFAULT_TUNING, ...tuning }.cacheSlots);
  }

  /** Mines one message and returns its template id. `ts` (ms) feeds first/last seen and the buckets. */
  add(message: string, ts: number | null): number {
    const line = this.line;
    maskLine(message, line);
    const cluster = this.cache.get(line) ?? this.search(message, line);
    cluster.count++;
    if (ts !== null) {
      if (cluster.firstSeen === null || ts < cluster.firstSeen) cluster.firstSeen = ts;
      if (cluster.lastSeen === null || ts > cluster.lastSeen) cluster.lastSeen = ts;
      cluster.buckets.add(ts, this.options);
    }
    return cluster.id;
  }

  /** The live id an id now stands for (itself unless its cluster was merged into another). */
  resolve(id: number): number {
    let cur = id;
    for (let next = this.aliases.get(cur); next !== undefined; next = this.aliases.get(cur)) cur = next;
    return cur;
  }

  templates(): TemplateInfo[] {
    const out: TemplateInfo[] = [];
    const ms = this.options.bucketMs;
    for (const c of this.clusters.values()) {
      const buckets = [...c.buckets.counts().entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([k, v]): [number, number] => [k * ms, v]);
      out.push({
        id: c.id,
        template: c.tokens.join(' '),
        count: c.count,
        firstSeen: c.firstSeen,
        lastSeen: c.lastSeen,
        example: c.example,
        buckets,
      });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Everything needed to resume mining later (stored with the workspace); plain JSON. */
  toJSON(): MinerSnapshot {
    const clusters = [...this.clusters.values()].sort((a, b) => a.id - b.id);
    return {
      version: 1,
      options: { ...this.options },
      nextId: this.nextId,
      clusters: clusters.map((c) => ({
        id: c.id,
        tokens: [...c.tokens],
        count: c.count,
        firstSeen: c.firstSeen,
        lastSeen: c.lastSeen,
        example: c.example,
        // Insertion order is kept: it decides which bucket is evicted first.
        buckets: [...c.buckets.counts().entries()],
        path: [...c.path],
      })),
      aliases: [...this.aliases.entries()].sort((a, b) => a[0] - b[0]),
    };
  }

  /** A miner that continues exactly where the one that made `snapshot` stopped. */
  static fromJSON(snapshot: MinerSnapshot): TemplateMiner {
    if (snapshot?.version !== 1)
      throw new Error(`template miner snapshot: unsupported version ${snapshot?.version}`);
    const miner = new TemplateMiner(snapshot.options);
    // Leaves list clusters in creation order; re-inserting by id rebuilds the same tree and leaf order.
    const clusters = [...snapshot.clusters].sort((a, b) => a.id - b.id);
    for (const c of clusters) {
      const tokens = [...c.tokens];
      miner.insert({
        ...c,
        tokens,
        constants: countConstants(tokens),
        buckets: new TimeBuckets(c.buckets),
        path: [...c.path],
      });
    }
    for (const [from, to] of snapshot.aliases) miner.aliases.set(from, to);
    miner.nextId = snapshot.nextId;
    return miner;
  }

  /** The full search: down the tree, then through the leaf's clusters; remembers answers that changed nothing. */
  private search(message: string, line: MaskedLine): Cluster {
    const tokens = this.scratch;
    const n = lineTokens(message, line, tokens);
    const leaf = this.findLeaf(tokens, n);
    if (leaf === null) return this.createCluster(tokens, n, message);
    const version = leaf.version;
    const found = this.match(leaf, tokens, n);
    if (found === null) return this.createCluster(tokens, n, message);
    if (leaf.version === version) this.cache.set(line, leaf, version, found);
    return found;
  }

  private findLeaf(tokens: string[], n: number): TreeNode | null {
    let node = this.byLength[n];
    const levels = Math.min(this.options.depth, n);
    for (let i = 0; node !== undefined && i < levels; i++) {
      const tok = tokens[i];
      // A constant token with no child of its own is new here: it only falls into the wildcard branch
      // once the node is full (as pathFor put it), so `<*>` templates do not swallow unseen words.
      const next: TreeNode | undefined = hasWildcard(tok) ? undefined : node.children.get(tok);
      if (next !== undefined) node = next;
      else if (hasWildcard(tok) || node.children.size >= this.options.maxChildren)
        node = node.children.get(WILDCARD);
      else return null;
    }
    return node ?? null;
  }

  /**
   * The cluster this message joins, or null for a new one. A message joins a cluster whose constants it all
   * shares (the most specific such). Otherwise, when it differs from the most similar cluster in a few
   * constant positions only (similarity >= simThreshold), those positions become variables if the leaf has
   * seen at least `minVariants` distinct values there; the clusters that then read alike fold into one.
   * Two values are not enough: `initialization.` and `finalization.` name different events.
   */
  private match(leaf: TreeNode, tokens: string[], n: number): Cluster | null {
    let exact: Cluster | null = null;
    let near: Cluster | null = null;
    let nearSim = -1;
    for (const c of leaf.clusters) {
      const t = c.tokens;
      // Past this many misses the cluster can be neither an exact nor a near match: stop counting.
      const allowed = c.constants * (1 - this.options.simThreshold);
      let misses = 0;
      for (let i = 0; i < n; i++) {
        const tt = t[i];
        if (tt !== tokens[i] && tt !== WILDCARD && !tokensMatch(tt, tokens[i]) && ++misses > allowed) break;
      }
      if (misses > allowed) continue;
      if (misses === 0) {
        if (exact === null || c.constants > exact.constants) exact = c;
        continue;
      }
      const sim = 1 - misses / c.constants;
      if (sim > nearSim || (sim === nearSim && near !== null && c.constants > near.constants)) {
        near = c;
        nearSim = sim;
      }
    }
    if (exact !== null) {
      return this.widen(leaf, exact, tokens, n);
    }
    if (near === null || nearSim < this.options.simThreshold) return null;
    return this.generaliseIfVaried(leaf, near, tokens, n);
  }

  /** Joins `cluster` after an all-constants match; a token like `()` may widen to `(<*>)`. */
  private widen(leaf: TreeNode, cluster: Cluster, tokens: string[], n: number): Cluster {
    const t = cluster.tokens;
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (t[i] === tokens[i] || t[i] === WILDCARD) continue;
      const g = generalToken(t[i], tokens[i]);
      if (g !== t[i]) {
        t[i] = g;
        changed = true;
      }
    }
    if (!changed) return cluster;
    leaf.version++;
    cluster.constants = countConstants(t);
    return this.fold(leaf, cluster);
  }

  private generaliseIfVaried(leaf: TreeNode, near: Cluster, tokens: string[], n: number): Cluster | null {
    const t = near.tokens;
    const diff: number[] = [];
    for (let i = 0; i < n; i++) if (!tokensMatch(t[i], tokens[i])) diff.push(i);
    // The leaf's clusters that agree with `near` outside the differing positions: its siblings by value.
    const group = leaf.clusters.filter((c) => agreesOutside(c.tokens, t, diff));
    for (const p of diff) {
      const values = new Set<string>([tokens[p]]);
      let variable = false;
      for (const c of group) {
        if (c.tokens[p] === WILDCARD) variable = true;
        values.add(c.tokens[p]);
      }
      if (!variable && values.size < this.options.minVariants) return null;
    }
    for (const p of diff) t[p] = WILDCARD;
    leaf.version++;
    near.constants = countConstants(t);
    return this.fold(leaf, near);
  }

  /**
   * After `cluster`'s template widened: every cluster of the leaf it now covers folds into the oldest of
   * them (leaf lists are in creation order), whose id survives; the others become aliases.
   */
  private fold(leaf: TreeNode, cluster: Cluster): Cluster {
    const t = cluster.tokens;
    const covered = leaf.clusters.filter((c) => c === cluster || covers(t, c.tokens));
    if (covered.length < 2) return cluster;
    const survivor = covered[0];
    if (survivor !== cluster) {
      survivor.tokens = t;
      survivor.constants = cluster.constants;
    }
    for (const c of covered) {
      if (c === survivor) continue;
      survivor.count += c.count;
      if (c.firstSeen !== null && (survivor.firstSeen === null || c.firstSeen < survivor.firstSeen)) {
        survivor.firstSeen = c.firstSeen;
      }
      if (c.lastSeen !== null && (survivor.lastSeen === null || c.lastSeen > survivor.lastSeen)) {
        survivor.lastSeen = c.lastSeen;
      }
      survivor.buckets.merge(c.buckets, this.options);
      this.clusters.delete(c.id);
      this.aliases.set(c.id, survivor.id);
    }
    leaf.clusters = leaf.clusters.filter((c) => c === survivor || !covered.includes(c));
    leaf.version++;
    return survivor;
  }

  private createCluster(tokens: string[], n: number, message: string): Cluster {
    const own = tokens.slice(0, n);
    const cluster: Cluster = {
      id: this.nextId++,
      tokens: own,
      constants: countConstants(own),
      count: 0,
      firstSeen: null,
      lastSeen: null,
      example: message,
      buckets: new TimeBuckets(),
      path: this.pathFor(own),
    };
    this.insert(cluster);
    return cluster;
  }

  /** Tree keys for a new cluster's tokens, honouring `maxChildren` as the nodes stand now. */
  private pathFor(tokens: string[]): string[] {
    const path = [String(tokens.length)];
    let node = this.root.children.get(path[0]);
    const levels = Math.min(this.options.depth, tokens.length);
    for (let i = 0; i < levels; i++) {
      const tok = tokens[i];
      let key = hasWildcard(tok) ? WILDCARD : tok;
      if (key !== WILDCARD && node !== undefined && !node.children.has(key)) {
        if (node.children.size >= this.options.maxChildren) key = WILDCARD;
      }
      path.push(key);
      node = node?.children.get(key);
    }
    return path;
  }

  private insert(cluster: Cluster): void {
    let node = this.root;
    for (const key of cluster.path) {
      let next = node.children.get(key);
      if (next === undefined) {
        next = newNode();
        node.children.set(key, next);
      }
      node = next;
    }
    node.clusters.push(cluster);
    node.version++;
    this.clusters.set(cluster.id, cluster);
    this.byLength[cluster.tokens.length] = this.root.children.get(cluster.path[0]);
  }
}
