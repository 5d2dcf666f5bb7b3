// `flumen sources`: the workspace's sources (id, clock offset, events, time span as corrected, URI), and setting a
// source's clock offset: `--clock-offset auth.log=+2.5s` says auth.log's clock ran 2.5 s fast, so every time
// Flumen shows, bounds, orders or buckets for it is 2.5 s earlier than logged; `=0` undoes it. The stored times
// are never changed.
import {
  ClockOffsetError,
  correctedTime,
  formatClockOffset,
  parseClockOffset,
} from '../../../shared/clock-offset.ts';
import type { SourceInfo } from '../../../shared/event.ts';
import { UsageError } from '../errors.ts';
import { openWorkspace, parse, WORKSPACE_OPTION } from '../options.ts';

export async function sourcesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...WORKSPACE_OPTION,
    json: { type: 'boolean' },
    'clock-offset': { type: 'string', multiple: true },
  });
  if (positionals.length > 0) {
    throw new UsageError(`sources takes no arguments (to set a clock offset: --clock-offset SOURCE=+2.5s)`);
  }
  const settings = (values['clock-offset'] ?? []).map(parseSetting);
  const ws = await openWorkspace(values.workspace);
  try {
    for (const { which, offsetMs } of settings) {
      const source = pickSource(ws.manifest().sources, which);
      await ws.setClockOffset(source.id, offsetMs);
    }
    for (const s of ws.manifest().sources) {
      process.stdout.write((values.json ? JSON.stringify(sourceRecord(s)) : textLine(s)) + '\n');
    }
    return 0;
  } finally {
    await ws.close();
  }
}

/** `SOURCE=OFFSET`, split at the last `=` (an offset holds none; a path might). */
function parseSetting(text: string): { which: string; offsetMs: number } {
  const at = text.lastIndexOf('=');
  if (at <= 0) {
    throw new UsageError(`--clock-offset takes SOURCE=OFFSET (like auth.log=+2.5s), not "${text}"`);
  }
  try {
    return { which: text.slice(0, at), offsetMs: parseClockOffset(text.slice(at + 1)) };
  } catch (err) {
    if (err instanceof ClockOffsetError) throw new UsageError(`--clock-offset ${text}: ${err.message}`);
    throw err;
  }
}

/** The source a person named: its whole URI, its id, its file name, or a part of its URI only it has. */
export function pickSource(sources: readonly SourceInfo[], which: string): SourceInfo {
  const byUri = sources.find((s) => s.uri === which);
  if (byUri) return byUri;
  if (/^\d+$/.test(which)) {
    const byId = sources.find((s) => s.id === Number(which));
    if (byId) return byId;
  }
  const byName = sources.filter((s) => fileName(s.uri) === which);
  if (byName.length === 1) return byName[0];
  const found = byName.length > 1 ? byName : sources.filter((s) => s.uri.includes(which));
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    throw new UsageError(`no source matches "${which}" (flumen sources lists them with their ids)`);
  }
  const ids = found.map((s) => `${s.id} ${s.uri}`).join(', ');
  throw new UsageError(`"${which}" matches ${found.length} sources (${ids}): name one by its id`);
}

function fileName(uri: string): string {
  const tail = uri.slice(uri.lastIndexOf('!/') + 1);
  return tail.slice(Math.max(tail.lastIndexOf('/'), tail.lastIndexOf('\\')) + 1);
}

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());

function sourceRecord(s: SourceInfo) {
  return {
    id: s.id,
    source: s.uri,
    format: s.format,
    events: s.events,
    clockOffsetMs: s.clockOffsetMs ?? 0,
    // As every query shows them: corrected by the clock offset.
    tsMin: iso(correctedTime(s.tsMin, s)),
    tsMax: iso(correctedTime(s.tsMax, s)),
  };
}

function textLine(s: SourceInfo): string {
  const r = sourceRecord(s);
  const span = r.tsMin == null ? 'no timestamps' : `${r.tsMin} → ${r.tsMax}`;
  const clock = `clock ${formatClockOffset(r.clockOffsetMs)}`;
  return `${String(s.id).padStart(3)}  ${clock.padEnd(14)} ${String(s.events).padStart(9)} events  ${span}  ${s.uri}`;
}
