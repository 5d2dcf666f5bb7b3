// The grid's page scheduling (renderer/paging/page-scheduler.ts): a bounded number of requests in flight, the
// latest view wins, and answers for a superseded generation or a page out of view are dropped.
import { describe, expect, it } from 'vitest';
import { PageScheduler } from '../../../renderer/paging/page-scheduler.ts';

const BURST_MS = 100;

function scheduler(maxInFlight = 2, margin = 1): PageScheduler {
  let n = 0;
  return new PageScheduler({ maxInFlight, margin, burstMs: BURST_MS, newTicket: () => `t${++n}` });
}

const none = () => false;
/** A clock (ms) on which every view change comes long after the one before, unless a test moves it itself. */
let clock = 0;
const later = () => (clock += 10 * BURST_MS);

describe('PageScheduler', () => {
  it('asks for the view from its middle outwards, never more than maxInFlight at once', () => {
    const s = scheduler(2);
    s.setView({ lo: 10, hi: 14 }, later());
    const plan = s.plan(none, clock);
    expect(plan.start.map((r) => r.page)).toEqual([12, 11]);
    expect(plan.cancel).toEqual([]);
    expect(s.plan(none, clock).start).toEqual([]);
    expect(s.inFlight).toBe(2);
  });

  it('skips pages already loaded or already on their way', () => {
    const s = scheduler(3);
    s.setView({ lo: 0, hi: 2 }, later());
    expect(s.plan((p) => p === 1, clock).start.map((r) => r.page)).toEqual([0, 2]);
    expect(s.plan((p) => p === 1, clock).start).toEqual([]);
  });

  it('a fast drag: every position visited while slots are busy costs no request, the last one is served', () => {
    const s = scheduler(2, 1);
    s.setView({ lo: 0, hi: 1 }, later());
    const first = s.plan(none, clock);
    expect(first.start).toHaveLength(2);
    const cancelled: string[] = [];
    let sent = first.start.length;
    // 500 positions pass while the two first answers are still on their way.
    for (let pos = 1; pos <= 500; pos++) {
      s.setView({ lo: pos * 10, hi: pos * 10 + 1 }, later());
      const plan = s.plan(none, clock);
      cancelled.push(...plan.cancel);
      sent += plan.start.length;
    }
    expect(sent).toBe(2);
    expect(cancelled.sort()).toEqual(first.start.map((r) => r.ticket).sort());
    // Their answers come back (one computed anyway, one skipped): neither is kept, and the slots go to the thumb.
    expect(s.settle(first.start[0].ticket, 'rows')).toEqual({ keep: false, page: first.start[0].page });
    expect(s.settle(first.start[1].ticket, 'cancelled')?.keep).toBe(false);
    const last = s.plan(none, clock);
    expect(last.start.map((r) => r.page).sort((a, b) => a - b)).toEqual([5000, 5001]);
  });

  it('a burst of jumps is served at its first jump and once quiet, at the last position only', () => {
    const s = scheduler(2);
    let t = later();
    s.setView({ lo: 0, hi: 1 }, t);
    const start = s.plan(none, t).start;
    expect(start).toHaveLength(2);
    for (const r of start) s.settle(r.ticket, 'rows');
    // A jump after a quiet time is served at once (G, a click in the scrollbar track).
    t += 2 * BURST_MS;
    s.setView({ lo: 500, hi: 500 }, t);
    const single = s.plan(none, t);
    expect(single.start.map((r) => r.page)).toEqual([500]);
    s.settle(single.start[0].ticket, 'rows');
    // Then one jump per frame: nothing is asked for while they keep coming.
    let sent = 0;
    for (let i = 1; i <= 100; i++) {
      t += 16;
      s.setView({ lo: i * 37, hi: i * 37 + 1 }, t);
      sent += s.plan(none, t).start.length;
      expect(s.holdRemaining(t)).toBe(BURST_MS);
    }
    expect(sent).toBe(0);
    // Scrolling on within the last view's neighbourhood is no jump, but the burst still holds until it is quiet.
    s.setView({ lo: 3701, hi: 3702 }, t + 10);
    expect(s.plan(none, t + 10).start).toEqual([]);
    t += BURST_MS;
    expect(s.holdRemaining(t)).toBe(0);
    expect(
      s
        .plan(none, t)
        .start.map((r) => r.page)
        .sort((a, b) => a - b),
    ).toEqual([3701, 3702]);
  });

  it('a pinned page is fetched even during a burst', () => {
    const s = scheduler(2);
    s.setView({ lo: 0, hi: 0 }, 0);
    s.setView({ lo: 10, hi: 10 }, 10);
    s.setView({ lo: 20, hi: 20 }, 20);
    s.pin([7]);
    expect(s.plan(none, 20).start.map((r) => r.page)).toEqual([7]);
  });

  it('a cancelled request still holds its slot until its answer comes back', () => {
    const s = scheduler(1);
    s.setView({ lo: 0, hi: 0 }, later());
    const [a] = s.plan(none, clock).start;
    s.setView({ lo: 50, hi: 50 }, later());
    expect(s.plan(none, clock)).toEqual({ cancel: [a.ticket], start: [] });
    s.settle(a.ticket, 'cancelled');
    expect(s.plan(none, clock).start.map((r) => r.page)).toEqual([50]);
  });

  it('keeps an answer whose page is still in view or within the margin, drops one that scrolled away', () => {
    const s = scheduler(3, 1);
    s.setView({ lo: 10, hi: 12 }, later());
    const reqs = s.plan(none, clock).start;
    s.setView({ lo: 13, hi: 15 }, later());
    const byPage = new Map(reqs.map((r) => [r.page, r.ticket]));
    expect(s.settle(byPage.get(12)!, 'rows')?.keep).toBe(true); // the margin
    expect(s.settle(byPage.get(11)!, 'rows')?.keep).toBe(false);
    expect(s.settle(byPage.get(10)!, 'rows')?.keep).toBe(false);
  });

  it("drops an old generation's answer even for the page in view, and cancels what was outstanding", () => {
    const s = scheduler(2);
    s.setView({ lo: 0, hi: 0 }, later());
    const [old] = s.plan(none, clock).start;
    expect(s.reset()).toEqual([old.ticket]);
    const [fresh] = s.plan(none, clock).start;
    expect(fresh.page).toBe(0);
    expect(fresh.generation).toBe(old.generation + 1);
    // The old query's page arrives after the new query's: the new one is kept, the old one never.
    expect(s.settle(fresh.ticket, 'rows')?.keep).toBe(true);
    expect(s.settle(old.ticket, 'rows')?.keep).toBe(false);
  });

  it('pinned pages are fetched first, never cancelled by the view moving, and kept wherever the view is', () => {
    const s = scheduler(2);
    s.setView({ lo: 0, hi: 0 }, later());
    s.pin([40]);
    const plan = s.plan(none, clock);
    expect(plan.start.map((r) => r.page)).toEqual([40, 0]);
    s.setView({ lo: 90, hi: 90 }, later());
    const moved = s.plan(none, clock);
    expect(moved.cancel).toEqual([plan.start[1].ticket]);
    expect(s.settle(plan.start[0].ticket, 'rows')?.keep).toBe(true);
    expect(s.isPinned(40)).toBe(false);
  });

  it('does not ask again at once for a page that failed, until the view moves', () => {
    const s = scheduler(2);
    s.setView({ lo: 3, hi: 3 }, later());
    const [r] = s.plan(none, clock).start;
    expect(s.settle(r.ticket, 'failed')?.keep).toBe(false);
    expect(s.plan(none, clock).start).toEqual([]);
    s.setView({ lo: 3, hi: 4 }, later());
    expect(s.plan(none, clock).start.map((x) => x.page)).toEqual([3, 4]);
  });

  it('ignores an answer it does not know (settled twice, or never sent)', () => {
    const s = scheduler();
    expect(s.settle('nope', 'rows')).toBeNull();
  });
});
