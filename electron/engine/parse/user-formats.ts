// Loading user-defined formats (*.json) from the workspace and the user's config folder. A bad file yields one
// clear error (file + reason) and never stops the others from loading.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileTimeFormat, type UserFormat } from './formats/user.ts';
import { SourceClock } from './time-zone.ts';
import { timeValue } from './formats/json.ts';

export type { UserFormat };

const NAME_RE = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** Validates one parsed definition; returns the reason it is unusable, or null. */
function validate(def: Record<string, unknown>, reserved: ReadonlySet<string>): string | null {
  if (typeof def.name !== 'string' || !NAME_RE.test(def.name))
    return '"name" must be a word of letters, digits, . _ -';
  if (reserved.has(def.name)) return `name "${def.name}" is taken by a built-in format`;
  if (typeof def.regex !== 'string' || def.regex.length === 0) return '"regex" must be a non-empty string';
  let re: RegExp;
  try {
    re = new RegExp(def.regex);
  } catch (e) {
    return `"regex" does not compile: ${(e as Error).message}`;
  }
  if (!/\(\?<(?:time|message)>/.test(def.regex)) return '"regex" needs a named group "time" or "message"';
  if (def.timeFormat !== undefined && typeof def.timeFormat !== 'string')
    return '"timeFormat" must be a string';
  let readTime: ReturnType<typeof compileTimeFormat> | null = null;
  if (typeof def.timeFormat === 'string') {
    try {
      readTime = compileTimeFormat(def.timeFormat);
    } catch (e) {
      return (e as Error).message;
    }
  }
  const samples = def.samples;
  if (!Array.isArray(samples) || samples.length === 0 || !samples.every((s) => typeof s === 'string')) {
    return '"samples" must be a non-empty array of example lines';
  }
  const clock = new SourceClock('UTC', Date.UTC(2030, 0, 1));
  for (let i = 0; i < samples.length; i++) {
    const m = re.exec(samples[i] as string);
    if (!m) return `sample ${i + 1} does not match the regex: ${JSON.stringify(samples[i]).slice(0, 120)}`;
    const t = m.groups?.time;
    if (t !== undefined && (readTime ? readTime(t, clock) : timeValue(t, clock)) == null) {
      return `sample ${i + 1}: time "${t}" cannot be read${readTime ? ` with timeFormat "${def.timeFormat}"` : ''}`;
    }
  }
  if (def.description !== undefined && typeof def.description !== 'string')
    return '"description" must be a string';
  return null;
}

export function loadUserFormatsFrom(
  dirs: readonly string[],
  reserved: ReadonlySet<string>,
): { formats: UserFormat[]; errors: string[] } {
  const formats: UserFormat[] = [];
  const errors: string[] = [];
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => n.toLowerCase().endsWith('.json'))
        .sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        errors.push(`${dir}: cannot read folder: ${(e as Error).message}`);
      continue;
    }
    for (const n of names) {
      const file = join(dir, n);
      let def: unknown;
      try {
        def = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        errors.push(`${file}: not valid JSON: ${(e as Error).message}`);
        continue;
      }
      if (def === null || typeof def !== 'object' || Array.isArray(def)) {
        errors.push(`${file}: a format file must hold one JSON object`);
        continue;
      }
      const d = def as Record<string, unknown>;
      const problem = validate(d, reserved);
      if (problem) {
        errors.push(`${file}: ${problem}`);
        continue;
      }
      const name = d.name as string;
      if (byName.has(name)) {
        errors.push(`${file}: format "${name}" is already defined in ${byName.get(name)}`);
        continue;
      }
      byName.set(name, file);
      formats.push({
        name,
        description: (d.description as string | undefined) ?? `user format from ${file}`,
        regex: d.regex as string,
        timeFormat: d.timeFormat as string | undefined,
        samples: d.samples as string[],
        file,
      });
    }
  }
  return { formats, errors };
}

/** Names and modification times of the format files: a cheap key telling whether a cached load is current. */
export function foldersStamp(dirs: readonly string[]): string {
  const parts: string[] = [];
  for (const d of dirs) {
    try {
      for (const n of readdirSync(d).sort()) {
        if (n.toLowerCase().endsWith('.json')) parts.push(`${d}/${n}@${statSync(join(d, n)).mtimeMs}`);
      }
    } catch {
      parts.push(`${d}@-`);
    }
  }
  return parts.join('|');
}
