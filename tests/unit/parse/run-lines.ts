// Test helper: feeds lines through the real parse stage the way the pipeline does (records in order, then flush).
import { createSourceParser } from '../../../electron/engine/parse/index.ts';
import type { ParseContext, ParsedEvent, SourceParser } from '../../../electron/engine/parse/types.ts';

export function parseLines(
  lines: string[],
  ctx: Partial<ParseContext> = {},
): { parser: SourceParser; events: ParsedEvent[] } {
  const full: ParseContext = { uri: 'test.log', mtimeMs: Date.UTC(2024, 5, 30), timezone: 'UTC', ...ctx };
  const parser = createSourceParser(lines.slice(0, 50), full);
  const events: ParsedEvent[] = [];
  let offset = 0;
  lines.forEach((text, i) => {
    for (const e of parser.push({ text, offset, line: i + 1 })) events.push(e);
    offset += Buffer.byteLength(text) + 1;
  });
  for (const e of parser.flush()) events.push(e);
  return { parser, events };
}

export function iso(ms: number | null): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
