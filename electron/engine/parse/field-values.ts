// Turning text values into field values: numbers become numbers only when the round trip is exact.
import type { FieldValue } from '../../../shared/event.ts';

const NUMBER_RE = /^-?(?:0|[1-9]\d{0,15})(?:\.\d{1,15})?(?:[eE][+-]?\d{1,3})?$/;

/** "200" → 200, "0.25" → 0.25; ids with leading zeros, huge integers and everything else stay strings. */
export function toFieldValue(s: string): FieldValue {
  if (s.length === 0 || s.length > 24) return s;
  const c = s.charCodeAt(0);
  if ((c < 48 || c > 57) && c !== 45) return s;
  if (!NUMBER_RE.test(s)) return s;
  const n = Number(s);
  if (!Number.isFinite(n)) return s;
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return s;
  return n;
}

/** Flattens a parsed JSON value into dotted scalar fields; arrays are kept as their JSON text. */
export function flattenInto(
  out: Record<string, FieldValue>,
  prefix: string,
  value: unknown,
  depth = 0,
): void {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    out[prefix] = value;
  } else if (Array.isArray(value)) {
    out[prefix] = JSON.stringify(value);
  } else if (typeof value === 'object') {
    if (depth >= 8) {
      out[prefix] = JSON.stringify(value);
      return;
    }
    for (const k of Object.keys(value as object)) {
      flattenInto(out, prefix ? `${prefix}.${k}` : k, (value as Record<string, unknown>)[k], depth + 1);
    }
  }
}
