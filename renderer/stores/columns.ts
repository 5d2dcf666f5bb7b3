// The grid's columns: fixed ones (time, host, source, severity, message), extracted fields chosen as extra
// columns, and each column's width as resized; remembered across sessions.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';

export interface Column {
  key: string;
  label: string;
  /** Extracted field name for field columns. */
  field?: string;
}

const KEY = 'flumen.columns';
const FIXED: Column[] = [
  { key: 'time', label: 'Time (UTC)' },
  { key: 'host', label: 'Host' },
  { key: 'source', label: 'Source' },
  { key: 'severity', label: 'Severity' },
];
const DEFAULT_WIDTHS: Record<string, number> = { time: 188, host: 110, source: 150, severity: 82 };
export const MIN_WIDTH = 48;

export const useColumnsStore = defineStore('columns', () => {
  const saved = load();
  const fields = ref<string[]>(saved.fields ?? []);
  const widths = ref<Record<string, number>>({ ...DEFAULT_WIDTHS, ...(saved.widths ?? {}) });

  const columns = computed<Column[]>(() => [
    ...FIXED,
    ...fields.value.map((f) => ({ key: `f:${f}`, label: f, field: f })),
    { key: 'message', label: 'Message' },
  ]);
  /** CSS grid-template-columns shared by the header and every row. */
  const template = computed(() =>
    columns.value.map((c) => (c.key === 'message' ? 'minmax(320px, 1fr)' : `${widthOf(c.key)}px`)).join(' '),
  );

  function widthOf(key: string): number {
    return widths.value[key] ?? 120;
  }
  function resize(key: string, px: number): void {
    widths.value = { ...widths.value, [key]: Math.max(MIN_WIDTH, Math.round(px)) };
  }
  function toggleField(name: string): void {
    fields.value = fields.value.includes(name)
      ? fields.value.filter((f) => f !== name)
      : [...fields.value, name];
  }

  watch([fields, widths], () =>
    localStorage.setItem(KEY, JSON.stringify({ fields: fields.value, widths: widths.value })),
  );
  return { fields, widths, columns, template, widthOf, resize, toggleField };
});

function load(): { fields?: string[]; widths?: Record<string, number> } {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}');
  } catch {
    return {};
  }
}
