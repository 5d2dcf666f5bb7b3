// The Templates and Anomalies views' data: mined templates (with sparklines) and ranked incidents at a chosen
// threshold. Both are re-read when the stored data changes; the incidents also mark the Timeline and its lanes.
// Clicking a template or an incident narrows the grid through the same query and time range as typing would.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AnomalyRow, TemplateRow } from '../../shared/api.ts';
import { toApiError } from '../api/errors.ts';
import { useApi } from '../api/instance.ts';
import { useQueryStore } from './query.ts';
import { useTimeRangeStore } from './time-range.ts';

/** Incidents shown (and marked on the timeline) at most. */
const MAX_INCIDENTS = 200;
export const THRESHOLDS = [0.5, 0.3, 0.2, 0.1, 0];

export const useAnalysisStore = defineStore('analysis', () => {
  const templates = shallowRef<TemplateRow[]>([]);
  const templatesError = ref<string | null>(null);
  const templatesLoaded = ref(false);
  const incidents = shallowRef<AnomalyRow[]>([]);
  const incidentsError = ref<string | null>(null);
  const incidentsLoaded = ref(false);
  /** Incidents scoring below this are not asked for; 0.5 is the command line's default. */
  const minScore = ref(0.5);
  /** The incident last clicked (its rank), highlighted in the list and on the timeline. */
  const focused = ref<number | null>(null);
  let tGen = 0;
  let aGen = 0;

  async function loadTemplates(): Promise<void> {
    const gen = ++tGen;
    try {
      const rows = await useApi().templates();
      if (gen !== tGen) return;
      templates.value = rows;
      templatesError.value = null;
    } catch (err) {
      if (gen === tGen) templatesError.value = toApiError(err).message;
    } finally {
      if (gen === tGen) templatesLoaded.value = true;
    }
  }

  async function loadIncidents(): Promise<void> {
    const gen = ++aGen;
    try {
      const rows = await useApi().anomalies({ minScore: minScore.value, limit: MAX_INCIDENTS });
      if (gen !== aGen) return;
      incidents.value = rows;
      incidentsError.value = null;
      if (focused.value != null && !rows.some((r) => r.rank === focused.value)) focused.value = null;
    } catch (err) {
      if (gen === aGen) incidentsError.value = toApiError(err).message;
    } finally {
      if (gen === aGen) incidentsLoaded.value = true;
    }
  }

  function refresh(): void {
    void loadTemplates();
    void loadIncidents();
  }

  function setMinScore(score: number): void {
    minScore.value = score;
    focused.value = null;
    void loadIncidents();
  }

  /** Shows the template's events in the grid. */
  function filterTemplate(id: number): void {
    runQuery(`template:${id}`);
  }

  /** Zooms the Timeline to the incident's window (with context) and filters the grid to what it is about. */
  function openIncident(row: AnomalyRow): void {
    focused.value = row.rank;
    if (row.start != null && row.end != null && row.end > row.start) {
      // Half a window of context on each side: a spike or a drop reads against what came before and after.
      const pad = Math.max(60_000, (row.end - row.start) / 2);
      useTimeRangeStore().zoomTo(row.start - pad, row.end + pad);
    }
    runQuery(incidentQuery(row));
  }

  return {
    templates,
    templatesError,
    templatesLoaded,
    incidents,
    incidentsError,
    incidentsLoaded,
    minScore,
    focused,
    refresh,
    setMinScore,
    filterTemplate,
    openIncident,
  };
});

/** What the grid should show for an incident: its template, else its host, else its errors, else everything. */
export function incidentQuery(row: AnomalyRow): string {
  if (row.template != null) return `template:${row.template}`;
  if (row.host != null) return `host:${quoteValue(row.host)}`;
  if (row.kind === 'error-burst') return 'sev>=error';
  return '';
}

/** A field value as the query language reads it: bare when it is one plain token, else a quoted phrase. */
export function quoteValue(v: string): string {
  return /^[\w.@:/-]+$/.test(v) && !v.startsWith('-') ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
}

function runQuery(text: string): void {
  const query = useQueryStore();
  query.text = text;
  query.run();
}
