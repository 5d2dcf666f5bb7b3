// The stateful per-source parser: parses each line with the source's format and joins continuation lines (stack
// traces) to the event they belong to. An event completes when the next one starts, or at flush().
import type { RawRecord } from '../sources/types.ts';
import type { FormatDef, LineParser, LineResult } from './format.ts';
import { isContinuation } from './multiline.ts';
import type { ParsedEvent, SourceParser } from './types.ts';

/**
 * Lines joined to one event at most: a deep stack trace fits, and a file of indented or timeless lines after one
 * timestamped line becomes events of this many lines instead of one event holding the whole file.
 */
export const MAX_JOINED_LINES = 2000;
/** Characters joined to one event at most, whatever the line count (lines may be up to the 1 MiB line cap each). */
export const MAX_JOINED_CHARS = 4 * 1024 * 1024;

export class LineSourceParser implements SourceParser {
  private pending: ParsedEvent | null = null;
  private extra: string[] | null = null;
  private extraChars = 0;
  private readonly multiline: boolean;

  constructor(
    readonly format: string,
    readonly reason: string,
    def: FormatDef,
    private readonly parse: LineParser,
  ) {
    this.multiline = def.multiline;
  }

  push(record: RawRecord): ParsedEvent[] {
    const out: ParsedEvent[] = [];
    this.pushLine(record.text, record.offset, record.line, !!record.truncated, out);
    return out;
  }

  pushLine(text: string, offset: number, line: number, truncated: boolean, out: ParsedEvent[]): void {
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.length === 0) return;
    const room =
      this.extra === null ||
      (this.extra.length < MAX_JOINED_LINES && this.extraChars + text.length <= MAX_JOINED_CHARS);
    if (this.multiline && this.pending && room && isContinuation(text) && !this.indentedWithTime(text)) {
      this.join(text);
      return;
    }
    const ev = this.toEvent(text, offset, line, truncated);
    if (!this.multiline) {
      out.push(ev);
      return;
    }
    // Inside a stack trace, a line without a time still belongs to it: Python's closing `ValueError: bad`, a Go
    // frame `main.main()`. Only there: elsewhere a timeless line is its own event, as the Loghub datasets want.
    if (this.extra && room && ev.ts == null) {
      this.join(text);
      return;
    }
    const done = this.pending;
    this.pending = ev;
    if (done) out.push(this.finish(done));
  }

  flush(): ParsedEvent[] {
    const done = this.pending;
    this.pending = null;
    return done ? [this.finish(done)] : [];
  }

  /** An indented line that still reads as a timestamped line of the format starts a new event. */
  private indentedWithTime(text: string): boolean {
    const c = text.charCodeAt(0);
    if (c !== 32 && c !== 9) return false;
    const t = text.trimStart();
    const d = t.charCodeAt(0);
    if (!((d >= 48 && d <= 57) || d === 60 || d === 91)) return false;
    return this.safeParse(t)?.ts != null;
  }

  private safeParse(text: string): LineResult | null {
    try {
      return this.parse(text);
    } catch {
      // A format bug must not lose the line: it is kept as a plain event.
      return null;
    }
  }

  private toEvent(text: string, offset: number, line: number, truncated: boolean): ParsedEvent {
    const r = this.safeParse(text);
    const ev: ParsedEvent = r
      ? {
          ts: r.ts,
          host: r.host,
          sourceId: 0,
          line,
          offset,
          severity: r.severity,
          message: r.message,
          raw: text,
          fields: r.fields,
          template: null,
          anomaly: 0,
        }
      : {
          ts: null,
          host: null,
          sourceId: 0,
          line,
          offset,
          severity: null,
          message: text,
          raw: text,
          fields: {},
          template: null,
          anomaly: 0,
        };
    if (truncated) ev.fields.truncated = true;
    return ev;
  }

  private join(text: string): void {
    (this.extra ??= []).push(text);
    this.extraChars += text.length;
  }

  private finish(ev: ParsedEvent): ParsedEvent {
    const extra = this.extra;
    if (extra) {
      this.extra = null;
      this.extraChars = 0;
      const tail = extra.join('\n');
      ev.raw = `${ev.raw}\n${tail}`;
      ev.message = `${ev.message}\n${tail}`;
    }
    return ev;
  }
}
