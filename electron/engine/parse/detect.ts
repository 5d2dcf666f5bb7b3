// Format detection from a source's first lines: every format is tried on the sample, and the most specific
// format matching (nearly) as many lines as the best one wins. The reason names the evidence.
import type { FormatDef } from './format.ts';
import { isContinuation } from './multiline.ts';
import { text } from './formats/text.ts';

/** A format must match at least this share of the sample's event lines. */
const MIN_SHARE = 0.5;
/** A more specific format wins over a more general one that matches only slightly more lines. */
const NEAR_BEST = 0.9;

export function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

function safeTest(def: FormatDef, line: string): boolean {
  try {
    return def.test(line);
  } catch {
    return false;
  }
}

export function detectFrom(
  sample: readonly string[],
  formats: readonly FormatDef[],
): { def: FormatDef; reason: string } {
  // Continuation lines (stack frames) say nothing about the format; blank lines neither.
  const lines = sample.map(stripCr).filter((l) => l.trim().length > 0 && !isContinuation(l));
  if (lines.length === 0)
    return { def: text, reason: 'detected: no sample lines to detect from, using text' };
  const counts = formats.map((def) =>
    def === text ? 0 : lines.reduce((n, l) => n + (safeTest(def, l) ? 1 : 0), 0),
  );
  const best = Math.max(...counts);
  const need = Math.max(1, Math.ceil(lines.length * MIN_SHARE));
  for (let i = 0; i < formats.length; i++) {
    if (counts[i] >= need && counts[i] >= best * NEAR_BEST) {
      return {
        def: formats[i],
        reason: `detected: ${counts[i]}/${lines.length} sample lines match ${formats[i].name}`,
      };
    }
  }
  const top = formats[counts.indexOf(best)];
  const why = best > 0 ? `best was ${top.name} with ${best}/${lines.length}` : 'no format matched any line';
  return { def: text, reason: `detected: no timestamps or known format in the sample (${why}), using text` };
}
