// The internal shape every format implements: a cheap detection test and a per-source line parser.
import type { FieldValue } from '../../../shared/event.ts';
import type { Severity } from '../../../shared/severity.ts';
import type { SourceClock } from './time-zone.ts';

/** What a format reads from one line. */
export interface LineResult {
  ts: number | null;
  host: string | null;
  severity: Severity | null;
  message: string;
  fields: Record<string, FieldValue>;
}

/** Parses one line; null when the line does not fit the format (it then becomes a plain event). */
export type LineParser = (line: string) => LineResult | null;

export interface FormatDef {
  readonly name: string;
  readonly description: string;
  /** Whether lines without their own header (stack traces, indented continuations) are joined to the previous. */
  readonly multiline: boolean;
  /** Detection: does this line look like the format? Must be cheap and safe on hostile input. */
  test(line: string): boolean;
  /** Builds the parser for one source; the sample lets a format learn its layout (columns, time layout). */
  create(sample: string[], clock: SourceClock): LineParser & { detail?: string };
}

/** Lines longer than this are only looked at up to here by detection tests (bounded work per line). */
export const DETECT_PREFIX = 4096;
