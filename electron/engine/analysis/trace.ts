// "Follow this id": every event carrying an identifier, across sources, in time order, as a trace with its duration.
// The query stage finds candidates by phrase; an exact check then drops lines where the id is only a prefix of a
// longer token (blk_12 inside blk_123).
import type { LogEvent, SourceInfo } from '../../../shared/event.ts';
import type { EventStore } from '../query/event-store.ts';

export interface Trace {
  id: string;
  events: LogEvent[];
  first: number | null;
  last: number | null;
  durationMs: number | null;
  /** Events per source id, most first. */
  perSource: Array<{ sourceId: number; count: number }>;
  truncated: boolean;
}

const TOKEN_CHAR = /[\w-]/;

export async function traceIdentifier(
  store: Pick<EventStore, 'list'>,
  sources: SourceInfo[],
  id: string,
  opts: { limit?: number } = {},
): Promise<Trace> {
  const wanted = id.trim();
  if (wanted === '') throw new Error('trace: the identifier is empty');
  const limit = opts.limit ?? 10_000;
  const phrase = `"${wanted.replace(/["\\]/g, ' ')}"`;
  const candidates = await store.list(sources, phrase, { limit: limit + 1, order: 'asc' });
  const events = candidates.filter((e) => carries(e.raw, wanted));
  const truncated = events.length > limit;
  if (truncated) events.length = limit;
  let first: number | null = null;
  let last: number | null = null;
  const counts = new Map<number, number>();
  for (const e of events) {
    counts.set(e.sourceId, (counts.get(e.sourceId) ?? 0) + 1);
    if (e.ts == null) continue;
    if (first == null || e.ts < first) first = e.ts;
    if (last == null || e.ts > last) last = e.ts;
  }
  return {
    id: wanted,
    events,
    first,
    last,
    durationMs: first == null || last == null ? null : last - first,
    perSource: [...counts]
      .map(([sourceId, count]) => ({ sourceId, count }))
      .sort((a, b) => b.count - a.count),
    truncated,
  };
}

/** True when `text` holds `id` as a whole token (not glued to more letters, digits, `_` or `-`). */
export function carries(text: string, id: string): boolean {
  for (let at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) {
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + id.length] ?? '';
    const gluedBefore = before !== '' && TOKEN_CHAR.test(before) && TOKEN_CHAR.test(id[0]);
    const gluedAfter = after !== '' && TOKEN_CHAR.test(after) && TOKEN_CHAR.test(id[id.length - 1]);
    if (!gluedBefore && !gluedAfter) return true;
  }
  return false;
}
