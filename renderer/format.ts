// How times, sizes and sources read in the UI. Times are shown in UTC, like `flumen query`, so what the screen
// says and what the command line prints can be compared at a glance.
import { formatBytes, formatCount } from '../shared/quantities.ts';

export { formatBytes, formatCount };

export function formatTime(ms: number | null): string {
  if (ms == null) return '—';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

export function formatShortTime(ms: number | null): string {
  if (ms == null) return '—';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function formatSpan(from: number | null, to: number | null): string {
  if (from == null || to == null) return 'no timestamps';
  return `${formatShortTime(from)} → ${formatShortTime(to)}`;
}

/** The last path segment, for narrow columns; the full URI goes in the tooltip. */
export function baseName(uri: string): string {
  const bang = uri.lastIndexOf('!/');
  const tail = bang >= 0 ? uri.slice(bang + 2) : uri;
  const slash = Math.max(tail.lastIndexOf('/'), tail.lastIndexOf('\\'));
  return slash >= 0 ? tail.slice(slash + 1) : tail;
}

/** A duration as a person reads it: 850 ms, 42 s, 3 min 5 s, 2 h 10 min, 4 d 3 h. */
export function formatDuration(ms: number | null): string {
  if (ms == null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${+s.toFixed(s < 10 ? 1 : 0)} s`;
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [Math.floor(s % 60), 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}
