// User-defined formats: a named regex (groups time, level, host, message; any other named group becomes a field)
// with an optional strftime-like time format. Built from the JSON definition after it has been validated.
import { normalizeSeverity } from '../../../../shared/severity.ts';
import type { FieldValue } from '../../../../shared/event.ts';
import type { FormatDef, LineParser } from '../format.ts';
import { toFieldValue } from '../field-values.ts';
import { fractionMs, fullYear, MONTHS, type SourceClock } from '../time-zone.ts';
import { timeValue } from './json.ts';

export interface UserFormat {
  name: string;
  description: string;
  regex: string;
  timeFormat?: string;
  samples: string[];
  /** The file it was loaded from. */
  file: string;
}

const RESERVED = new Set(['time', 'level', 'host', 'message']);

const DIRECTIVES: Record<string, [string, string]> = {
  Y: ['Y', '\\d{4}'],
  y: ['y', '\\d{2}'],
  m: ['m', '\\d{1,2}'],
  d: ['d', '\\d{1,2}'],
  e: ['d', ' ?\\d{1,2}'],
  H: ['H', '\\d{1,2}'],
  M: ['M', '\\d{2}'],
  S: ['S', '\\d{2}'],
  f: ['f', '\\d{1,9}'],
  b: ['b', '[A-Za-z]{3}'],
  z: ['z', 'Z|[+-]\\d{2}:?\\d{2}'],
  s: ['s', '\\d{1,12}'],
};

/** Compiles a strftime-like pattern (%Y %y %m %d %e %H %M %S %f %b %z %s %%) into a time reader. */
export function compileTimeFormat(fmt: string): (s: string, clock: SourceClock) => number | null {
  let src = '^';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '%' && i + 1 < fmt.length) {
      const d = fmt[++i];
      if (d === '%') {
        src += '%';
        continue;
      }
      const spec = DIRECTIVES[d];
      if (!spec) throw new Error(`timeFormat: unsupported directive %${d}`);
      if (src.includes(`(?<${spec[0]}>`)) throw new Error(`timeFormat: %${d} given twice`);
      src += `(?<${spec[0]}>${spec[1]})`;
    } else {
      src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const re = new RegExp(src + '$');
  return (s, clock) => {
    const g = re.exec(s.trim())?.groups;
    if (!g) return null;
    if (g.s) return Number(g.s) * 1000;
    const month = g.b ? MONTHS[g.b[0].toUpperCase() + g.b.slice(1).toLowerCase()] : Number(g.m ?? 1);
    if (!month) return null;
    const year = g.Y ? Number(g.Y) : g.y ? fullYear(Number(g.y)) : null;
    let off: number | null = null;
    if (g.z) {
      const z = g.z.replace(':', '');
      off = z === 'Z' ? 0 : (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    }
    return clock.toMs(
      year,
      month,
      Number(g.d ?? 1),
      Number(g.H ?? 0),
      Number(g.M ?? 0),
      Number(g.S ?? 0),
      fractionMs(g.f),
      off,
    );
  };
}

export function userFormatDef(u: UserFormat): FormatDef {
  const re = new RegExp(u.regex);
  const readTime = u.timeFormat ? compileTimeFormat(u.timeFormat) : null;
  const create =
    (_sample: string[], clock: SourceClock): LineParser =>
    (line) => {
      const m = re.exec(line);
      if (!m) return null;
      const g = m.groups ?? {};
      const fields: Record<string, FieldValue> = {};
      for (const k in g) if (!RESERVED.has(k) && g[k] !== undefined) fields[k] = toFieldValue(g[k]);
      const t = g.time;
      return {
        ts: t === undefined ? null : readTime ? readTime(t, clock) : timeValue(t, clock),
        host: g.host || null,
        severity: normalizeSeverity(g.level),
        message: g.message ?? line,
        fields,
      };
    };
  return {
    name: u.name,
    description: u.description,
    multiline: true,
    test: (line) => re.test(line.length > 4096 ? line.slice(0, 4096) : line),
    create,
  };
}
