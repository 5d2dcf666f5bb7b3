// Incident windows drawn over a time axis (the Timeline's bars and its lanes share this): a translucent band per
// incident, at least a few pixels wide so a one-minute incident still shows across a year, labelled by rank.
import type { AnomalyRow } from '../../shared/api.ts';

export interface MarkStyle {
  color: string;
  /** Canvas pixels per CSS pixel. */
  dpr: number;
}

/**
 * Draws the bands of `incidents` between `top` and `top + height` (canvas pixels), mapping times with `xOf`
 * and skipping what falls outside [left, right]. The focused incident is drawn stronger, with an outline.
 */
export function drawIncidentBands(
  ctx: CanvasRenderingContext2D,
  incidents: readonly AnomalyRow[],
  focused: number | null,
  xOf: (t: number) => number,
  box: { left: number; right: number; top: number; height: number },
  style: MarkStyle,
): void {
  const minWidth = 4 * style.dpr;
  ctx.save();
  ctx.font = `${Math.round(10 * style.dpr)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  // Weakest first, so the strongest (rank 1) ends up on top where bands overlap.
  for (const r of [...incidents].reverse()) {
    if (r.start == null || r.end == null) continue;
    let x0 = xOf(r.start);
    let x1 = xOf(r.end);
    if (x1 < box.left || x0 > box.right) continue;
    if (x1 - x0 < minWidth) {
      const mid = (x0 + x1) / 2;
      x0 = mid - minWidth / 2;
      x1 = mid + minWidth / 2;
    }
    x0 = Math.max(box.left, x0);
    x1 = Math.min(box.right, x1);
    const isFocused = r.rank === focused;
    ctx.globalAlpha = isFocused ? 0.3 : 0.14;
    ctx.fillStyle = style.color;
    ctx.fillRect(x0, box.top, x1 - x0, box.height);
    ctx.globalAlpha = 1;
    ctx.fillRect(x0, box.top, x1 - x0, 2 * style.dpr);
    if (isFocused) {
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.dpr;
      ctx.strokeRect(x0 + 0.5, box.top + 0.5, x1 - x0 - 1, box.height - 1);
    }
    ctx.fillText(
      `#${r.rank}`,
      Math.min(x0 + 2 * style.dpr, box.right - 18 * style.dpr),
      box.top + 3 * style.dpr,
    );
  }
  ctx.restore();
}
