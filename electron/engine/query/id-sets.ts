// Sets of a segment's event ids (1..events): sorted Int32Arrays, or their complement, so NOT costs nothing.

export interface IdSet {
  /** Ascending, unique. */
  ids: Int32Array;
  /** The set is every id of the segment except `ids`. */
  neg: boolean;
}

const EMPTY = new Int32Array(0);
export const NONE: IdSet = { ids: EMPTY, neg: false };
export const ALL: IdSet = { ids: EMPTY, neg: true };

export function isAll(s: IdSet): boolean {
  return s.neg && s.ids.length === 0;
}

export function cardinality(s: IdSet, events: number): number {
  return s.neg ? events - s.ids.length : s.ids.length;
}

export function not(s: IdSet): IdSet {
  return { ids: s.ids, neg: !s.neg };
}

export function and(a: IdSet, b: IdSet): IdSet {
  if (!a.neg && !b.neg) return { ids: intersect(a.ids, b.ids), neg: false };
  if (!a.neg) return { ids: minus(a.ids, b.ids), neg: false };
  if (!b.neg) return { ids: minus(b.ids, a.ids), neg: false };
  return { ids: union(a.ids, b.ids), neg: true };
}

export function or(a: IdSet, b: IdSet): IdSet {
  if (!a.neg && !b.neg) return { ids: union(a.ids, b.ids), neg: false };
  if (a.neg && b.neg) return { ids: intersect(a.ids, b.ids), neg: true };
  return a.neg ? { ids: minus(a.ids, b.ids), neg: true } : { ids: minus(b.ids, a.ids), neg: true };
}

export function intersect(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length > b.length) [a, b] = [b, a];
  const out = new Int32Array(a.length);
  let n = 0;
  if (a.length * 16 < b.length) {
    // Much smaller on one side: binary search each of its ids in the other.
    let lo = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      let hi = b.length;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (b[m] < x) lo = m + 1;
        else hi = m;
      }
      if (lo < b.length && b[lo] === x) out[n++] = x;
    }
    return out.subarray(0, n);
  }
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

export function union(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) {
      out[n++] = x;
      i++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  return out.subarray(0, n);
}

/** a without the ids of b. */
export function minus(a: Int32Array, b: Int32Array): Int32Array {
  if (b.length === 0 || a.length === 0) return a;
  const out = new Int32Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    while (j < b.length && b[j] < x) j++;
    if (j >= b.length || b[j] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}

/** Union of many sorted lists (a prefix matches many words): concatenated, sorted, duplicates dropped. */
export function unionAll(lists: Int32Array[]): Int32Array {
  if (lists.length === 0) return EMPTY;
  if (lists.length === 1) return lists[0];
  if (lists.length === 2) return union(lists[0], lists[1]);
  let total = 0;
  for (const l of lists) total += l.length;
  const all = new Int32Array(total);
  let p = 0;
  for (const l of lists) {
    all.set(l, p);
    p += l.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i];
  return all.subarray(0, n);
}
