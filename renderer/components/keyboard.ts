// The app's keyboard: `/` focuses the query; in the grid j/k move, J/K extend the selection, n/N jump to the
// next/previous row with a match, g/G go to the first/last row, Enter opens the detail, Escape closes it, y or
// Ctrl+C copies the selected rows. Keys typed into a text field are left alone.
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { hasMatch } from '../query/matches.ts';
import { PAGE_ROWS, useResultsStore } from '../stores/results.ts';
import { useQueryStore } from '../stores/query.ts';
import { useTraceStore } from '../stores/trace.ts';

export interface GridHandle {
  reveal(index: number): void;
  focus(): void;
}

const MATCH_SEARCH_PAGES = 25;

export function useKeyboard(grid: () => GridHandle | null, focusQuery: () => void) {
  const results = useResultsStore();
  const trace = useTraceStore();
  const query = useQueryStore();
  const note = ref<string | null>(null);
  let noteTimer = 0;

  function say(text: string): void {
    note.value = text;
    clearTimeout(noteTimer);
    noteTimer = window.setTimeout(() => (note.value = null), 2500);
  }

  function moveTo(index: number, extend = false): void {
    const total = query.count ?? 0;
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, index));
    if (extend) results.anchor ??= results.selected;
    else results.anchor = null;
    results.selected = i;
    grid()?.reveal(i);
    if (results.detail) results.detail = results.rowAt(i) ?? results.detail;
  }

  /** Walks rows from the selection, fetching pages as needed, to the next row whose message has a match. */
  async function findMatch(dir: 1 | -1): Promise<void> {
    const re = query.matcher;
    if (!re) return say('The query has no words to match: n/N step through rows matching its words.');
    const total = query.count ?? 0;
    let i = results.selected + dir;
    const limit = MATCH_SEARCH_PAGES * PAGE_ROWS;
    for (let steps = 0; steps < limit && i >= 0 && i < total; steps++, i += dir) {
      let row = results.rowAt(i);
      if (!row) {
        await results.ensureRows(dir > 0 ? i : i - PAGE_ROWS + 1, dir > 0 ? i + PAGE_ROWS - 1 : i);
        row = results.rowAt(i);
      }
      if (row && hasMatch(row.message, re)) return moveTo(i);
    }
    say(dir > 0 ? 'No further match below.' : 'No earlier match above.');
  }

  async function copySelection(): Promise<void> {
    const rows = results.selectedRows();
    if (rows.length === 0) return;
    const text = rows.map((r) => r.raw).join('\n');
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (no permission, no focus): the older path still works in every browser.
      const ta = document.createElement('textarea');
      ta.value = text;
      document.body.append(ta);
      ta.select();
      document.execCommand('copy');
      ta.remove();
    }
    say(`Copied ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}.`);
  }

  /** Opens the selected row's detail, waiting for its page if it is still on its way. */
  async function openDetail(): Promise<void> {
    const i = results.selected;
    if (!results.rowAt(i)) await results.ensureRows(i, i);
    const row = results.rowAt(i);
    if (!row || i !== results.selected) return;
    results.detail = row;
    // The detail takes part of the grid's height: keep the selected row in view once it has.
    setTimeout(() => grid()?.reveal(results.selected), 50);
  }

  function onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement | null;
    if (
      t &&
      (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
    )
      return;
    if (t && (t.tagName === 'BUTTON' || t.tagName === 'A') && (e.key === 'Enter' || e.key === ' ')) return;
    if (e.altKey || e.metaKey) return;
    if (e.ctrlKey) {
      if (e.key === 'c' && !window.getSelection()?.toString()) {
        e.preventDefault();
        void copySelection();
      }
      return;
    }
    const total = query.count ?? 0;
    const page = Math.max(1, Math.floor((window.innerHeight - 300) / 22));
    const actions: Record<string, () => void> = {
      '/': () => focusQuery(),
      j: () => moveTo(results.selected + 1),
      ArrowDown: () => moveTo(results.selected + 1),
      k: () => moveTo(results.selected - 1),
      ArrowUp: () => moveTo(results.selected - 1),
      J: () => moveTo(results.selected + 1, true),
      K: () => moveTo(results.selected - 1, true),
      PageDown: () => moveTo(results.selected + page),
      PageUp: () => moveTo(results.selected - page),
      g: () => moveTo(0),
      Home: () => moveTo(0),
      G: () => moveTo(total - 1),
      End: () => moveTo(total - 1),
      n: () => void findMatch(1),
      N: () => void findMatch(-1),
      y: () => void copySelection(),
      Enter: () => {
        void openDetail();
      },
      Escape: () => {
        // The trace pane sits over the detail: Escape closes it first, then the detail.
        if (trace.target) return trace.close();
        results.detail = null;
        grid()?.focus();
      },
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
  return { note, copySelection };
}
