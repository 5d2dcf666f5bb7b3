// The time range every view shares: a preset (last 15 min, 1 h, 24 h, all) or absolute bounds, narrowed further by
// brushing the timeline. `range` is what queries use; relative presets are resolved against now when applied.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { TimeRange } from '../../shared/api.ts';

export type Preset = '15m' | '1h' | '24h' | 'all' | 'absolute';

export const PRESETS: { id: Preset; label: string; ms: number | null }[] = [
  { id: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { id: '1h', label: 'Last 1 h', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 h', ms: 86_400_000 },
  { id: 'all', label: 'All time', ms: null },
];

export const useTimeRangeStore = defineStore('timeRange', () => {
  const preset = ref<Preset>('all');
  /** The range the preset or absolute bounds resolve to. */
  const base = ref<TimeRange>({ from: null, to: null });
  /** The brushed zoom inside base, if any. */
  const zoom = ref<TimeRange | null>(null);
  const range = computed<TimeRange>(() => zoom.value ?? base.value);

  function choosePreset(id: Exclude<Preset, 'absolute'>, now = Date.now()): void {
    const ms = PRESETS.find((p) => p.id === id)?.ms ?? null;
    preset.value = id;
    base.value = ms == null ? { from: null, to: null } : { from: now - ms, to: null };
    zoom.value = null;
  }

  function setAbsolute(from: number | null, to: number | null): void {
    preset.value = 'absolute';
    base.value = { from, to };
    zoom.value = null;
  }

  function zoomTo(from: number, to: number): void {
    zoom.value = { from: Math.floor(from), to: Math.ceil(to) };
  }

  function resetZoom(): void {
    zoom.value = null;
  }

  return { preset, base, zoom, range, choosePreset, setAbsolute, zoomTo, resetZoom };
});
