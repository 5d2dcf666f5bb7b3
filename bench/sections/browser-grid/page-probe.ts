// The timing code that runs inside the page (installed before the app loads with addInitScript). It is plain
// JavaScript in a string on purpose: the bench runs under tsx/esbuild with keepNames, which rewrites functions
// passed to page.evaluate() with a `__name` helper that does not exist in the page.
//
// What it reads from the grid (renderer/components/ResultsGrid.vue, GridRow.vue): the scroller is [role=grid];
// each row in view is a child of .grid-block with data-index; a loaded row has role=row, one still on its way is
// a .grid-loading placeholder (role=presentation); the header row is .grid-header (sticky), and a row's
// aria-rowindex is its index + 2. "Rendered" means the frame that shows it has been produced: a message posted
// from inside a requestAnimationFrame callback is handled after that frame's style, layout and paint.
//
// Driven from Node as `window.__gridBench.<method>(…)`, each returning a promise of plain data.
export const PAGE_PROBE = String.raw`
(() => {
  if (window.__gridBench) return;
  const keyAt = {};
  window.addEventListener('keydown', (e) => { keyAt[e.key] = e.timeStamp; }, true);
  let stale = new WeakSet();
  let pending = null;

  const grid = () => document.querySelector('[role="grid"]');
  const afterFrame = (resolve) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => resolve(performance.now());
    c.port2.postMessage(0);
  };
  // Checks cond once per animation frame; resolves with the time the first frame where it holds was produced,
  // or null after timeoutMs.
  const until = (cond, timeoutMs) => new Promise((resolve) => {
    const start = performance.now();
    const tick = () => {
      if (cond()) return afterFrame(resolve);
      if (performance.now() - start > timeoutMs) return resolve(null);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const rowsInView = (g) => {
    const box = g.getBoundingClientRect();
    const header = g.querySelector('.grid-header');
    const top = box.top + (header ? header.offsetHeight : 0);
    const out = [];
    for (const el of g.querySelectorAll('.grid-block > [data-index]')) {
      const r = el.getBoundingClientRect();
      if (r.bottom > top + 1 && r.top < box.bottom - 1) out.push(el);
    }
    return out;
  };
  // Every row in view is a loaded row (none "loading…") and none is left from before the key was pressed.
  const filled = () => {
    const g = grid();
    if (!g || g.offsetParent === null) return false;
    const rows = rowsInView(g);
    return rows.length > 0 && rows.every((el) => el.getAttribute('role') === 'row' && !stale.has(el));
  };
  const since = (key, t) => (t == null || keyAt[key] == null ? null : t - keyAt[key]);
  const frame = () => new Promise((r) => requestAnimationFrame(r));

  window.__gridBench = {
    /** Whether the rows in view are all loaded. */
    waitFilled: (timeoutMs) => until(filled, timeoutMs).then((t) => t != null),

    /** Call before pressing Enter: watches for the first page of the new result (row 0, fresh, view filled). */
    watchFirstPage(timeoutMs) {
      stale = new WeakSet(document.querySelectorAll('[role="grid"] [data-index]'));
      delete keyAt.Enter;
      pending = until(() => {
        const first = document.querySelector('[role="grid"] .grid-block > [data-index="0"]');
        return !!first && first.getAttribute('role') === 'row' && filled();
      }, timeoutMs).then((t) => since('Enter', t));
    },

    /** Call before pressing G: watches for the last row (aria-rowindex total + 1) with every row in view loaded. */
    watchEnd(total, timeoutMs) {
      stale = new WeakSet();
      delete keyAt.G;
      pending = until(() => {
        const last = document.querySelector('[role="grid"] [role="row"][aria-rowindex="' + (total + 1) + '"]');
        return !!last && filled();
      }, timeoutMs).then((t) => since('G', t));
    },

    /** The watched time, key press to the frame that shows the rows, ms; null if it never happened in time. */
    result: () => pending,

    /** Scrolls to the top and waits for the rows there. */
    async toTop(timeoutMs) {
      stale = new WeakSet();
      grid().scrollTop = 0;
      await frame();
      return until(filled, timeoutMs).then((t) => t != null);
    },

    /**
     * Scrolls the grid from top to bottom, one step per animation frame over durationMs, recording the time
     * between consecutive frames and how many frames showed rows still loading; then how long, after the last
     * step, until the rows in view at the bottom are filled.
     */
    async sweep(durationMs, fillTimeoutMs) {
      const g = grid();
      stale = new WeakSet();
      const max = g.scrollHeight - g.clientHeight;
      const frames = [];
      let loadingFrames = 0;
      let start = await frame();
      let last = start;
      for (;;) {
        const now = await frame();
        frames.push(now - last);
        last = now;
        if (g.querySelector('.grid-block > .grid-loading')) loadingFrames++;
        const f = Math.min(1, (now - start) / durationMs);
        g.scrollTop = Math.round(f * max);
        if (f >= 1) break;
      }
      const stepped = performance.now();
      const t = await until(filled, fillTimeoutMs);
      return { frames, loadingFrames, scrollHeight: g.scrollHeight, fillMs: t == null ? null : t - stepped };
    },

    /**
     * Big jumps: for each fraction of the scroll range, waits for the view to fill, jumps there in one frame, then
     * records every frame until the rows in view are filled (and how long that took).
     */
    async jumps(fractions, fillTimeoutMs) {
      const g = grid();
      stale = new WeakSet();
      const frames = [];
      const fillMs = [];
      for (const f of fractions) {
        await until(filled, fillTimeoutMs);
        let last = await frame();
        g.scrollTop = Math.round(f * (g.scrollHeight - g.clientHeight));
        const jumped = performance.now();
        let done = null;
        while (performance.now() - jumped < fillTimeoutMs) {
          const now = await frame();
          frames.push(now - last);
          last = now;
          if (filled()) {
            done = await new Promise(afterFrame);
            break;
          }
        }
        fillMs.push(done == null ? null : done - jumped);
      }
      return { frames, fillMs };
    },
  };
})();
`;
