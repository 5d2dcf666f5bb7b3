// How counts and byte sizes read, on the command line and in the app alike: the same figure looks the same in both.
// Pure: no Node, no DOM.

/** A count with thousands separators (rates are rounded to whole events). */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A size in binary units: one decimal below 10 (`9.5 MiB`), none above (`90 MiB`). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
