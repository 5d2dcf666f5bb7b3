// The common ISO 8601 timestamp (`2024-03-01T00:00:00.077Z`, `2015-10-18 18:01:47,978`) read with char arithmetic:
// the iso8601 layout's regex match costs a match array and a string per group on every line of JSON and generic
// logs. The scan follows the regex's own order of preference (fraction and zone taken whenever they can be, the
// longest fraction first) and gives up, leaving the line to the regex, wherever the regex would have to backtrack,
// so whatever it accepts is exactly what the regex would have matched.
import type { SourceClock } from './time-zone.ts';

/** Digit value at i, or -1. */
function dig(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

function two(s: string, i: number): number {
  const a = dig(s, i);
  const b = dig(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Where the last successful read ended (the regex's lastIndex). */
export const isoEnd = { at: 0 };

/** `UTC` or `GMT` at i: the zone words the ISO layout reads after a space. */
function isZoneWord(s: string, i: number): boolean {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  return (a === 85 && b === 84 && c === 67) || (a === 71 && b === 77 && c === 84);
}

/**
 * Epoch ms of `YYYY-MM-DD[T ]hh:mm:ss[.,fraction][Z|±hh[:]mm]` at pos, not followed by a letter or digit, with
 * the end in isoEnd.at; undefined when the text does not plainly read so (or the date is invalid): the regex
 * then decides.
 */
export function readIsoTime(s: string, pos: number, clock: SourceClock): number | undefined {
  if (s.length < pos + 19) return undefined;
  const y1 = two(s, pos);
  const y2 = two(s, pos + 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(pos + 4) !== 45 || s.charCodeAt(pos + 7) !== 45) return undefined;
  const sep = s.charCodeAt(pos + 10);
  if (sep !== 84 && sep !== 32) return undefined;
  if (s.charCodeAt(pos + 13) !== 58 || s.charCodeAt(pos + 16) !== 58) return undefined;
  const mo = two(s, pos + 5);
  const d = two(s, pos + 8);
  const h = two(s, pos + 11);
  const mi = two(s, pos + 14);
  const sec = two(s, pos + 17);
  if (mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  let i = pos + 19;
  // Fraction: `[.,]` and 1..9 digits, as many as there are; its first 3 digits are the ms (fractionMs).
  let ms = 0;
  let c = s.charCodeAt(i);
  if ((c === 46 || c === 44) && dig(s, i + 1) >= 0) {
    let n = 0;
    let j = i + 1;
    while (n < 9 && dig(s, j) >= 0) {
      if (n < 3) ms = ms * 10 + dig(s, j);
      n++;
      j++;
    }
    if (n < 3) ms *= n === 1 ? 100 : 10;
    i = j;
    c = s.charCodeAt(i);
  }
  // Zone: `Z`, or a sign, 2 digits, an optional colon and 2 digits (zoneMinutes' arithmetic, -0 included).
  let offset: number | null = null;
  if (c === 90) {
    offset = 0;
    i++;
  } else if (c === 43 || c === 45) {
    const zh = two(s, i + 1);
    const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
    const zm = two(s, i + 3 + colon);
    // Short of the full zone the regex would retry without the colon or without the zone: leave it to it.
    if (zh < 0 || zm < 0) return undefined;
    offset = (c === 45 ? -1 : 1) * (zh * 60 + zm);
    i += 5 + colon;
  } else if (c === 32 && isZoneWord(s, i + 1) && !isAlnum(s.charCodeAt(i + 4))) {
    offset = 0;
    i += 4;
  }
  if (isAlnum(s.charCodeAt(i))) return undefined;
  const t = clock.toMs(y1 * 100 + y2, mo, d, h, mi, sec, ms, offset);
  if (t == null || Number.isNaN(t)) return undefined;
  isoEnd.at = i;
  return t;
}
