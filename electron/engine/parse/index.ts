// The parse stage's public API: format detection, per-source parsers, the format list and user formats.
import type { FormatDef } from './format.ts';
import { detectFrom, stripCr } from './detect.ts';
import { formatsFor, loadedFormatErrors, BUILTIN_NAMES } from './registry.ts';
import { LineSourceParser } from './source-parser.ts';
import { SourceClock } from './time-zone.ts';
import type { ParseContext, SourceParser } from './types.ts';
import { loadUserFormatsFrom, type UserFormat } from './user-formats.ts';

export type { ParsedEvent, ParseContext, SourceParser } from './types.ts';
export type { UserFormat } from './user-formats.ts';

function choose(sample: string[], ctx: ParseContext): { def: FormatDef; reason: string } {
  const formats = formatsFor(ctx.formatDirs);
  if (ctx.format) {
    const def = formats.find((f) => f.name === ctx.format);
    if (!def) {
      throw new Error(
        `unknown format "${ctx.format}"; known formats: ${formats.map((f) => f.name).join(', ')}`,
      );
    }
    return { def, reason: `forced: format set to ${def.name}` };
  }
  return detectFrom(sample, formats);
}

/** Detects the format of a source from its first lines (or takes ctx.format) and says why. */
export function detectFormat(sample: string[], ctx: ParseContext): { format: string; reason: string } {
  const { def, reason } = choose(sample, ctx);
  return { format: def.name, reason };
}

/** A stateful parser for one source; throws on an unknown forced format or an unknown time zone. */
export function createSourceParser(sample: string[], ctx: ParseContext): SourceParser {
  const { def, reason } = choose(sample, ctx);
  const clock = new SourceClock(ctx.timezone, ctx.mtimeMs);
  const lines = sample.map(stripCr);
  const parse = def.create(lines, clock);
  const detail = (parse as { detail?: string }).detail;
  return new LineSourceParser(def.name, detail ? `${reason} (${detail})` : reason, def, parse);
}

/** Built-in formats plus the user formats found in ctx.formatDirs, in detection priority order. */
export function listFormats(ctx?: Pick<ParseContext, 'formatDirs'>): { name: string; description: string }[] {
  return formatsFor(ctx?.formatDirs).map((f) => ({ name: f.name, description: f.description }));
}

/** Loads user formats (*.json) from folders; a bad file gives one error naming the file and the reason. */
export function loadUserFormats(dirs: string[]): { formats: UserFormat[]; errors: string[] } {
  return loadUserFormatsFrom(dirs, BUILTIN_NAMES);
}

/** Errors of the user format files in these folders (for `flumen formats`), without reloading them. */
export function userFormatErrors(dirs: string[]): string[] {
  return loadedFormatErrors(dirs);
}
