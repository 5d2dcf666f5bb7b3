// The known formats in detection priority order (most specific first), plus the user's formats, which come
// before all built-ins because someone wrote them for exactly their logs.
import type { FormatDef } from './format.ts';
import { accessCombined, accessCommon } from './formats/access.ts';
import { apacheError } from './formats/apache-error.ts';
import { generic } from './formats/generic.ts';
import { glog } from './formats/glog.ts';
import { json } from './formats/json.ts';
import { logfmt } from './formats/logfmt.ts';
import { redis } from './formats/redis.ts';
import { syslogRfc3164 } from './formats/syslog-rfc3164.ts';
import { syslogRfc5424 } from './formats/syslog-rfc5424.ts';
import { text } from './formats/text.ts';
import { userFormatDef, type UserFormat } from './formats/user.ts';
import { foldersStamp, loadUserFormatsFrom } from './user-formats.ts';

export const BUILTIN_FORMATS: readonly FormatDef[] = [
  syslogRfc5424,
  syslogRfc3164,
  accessCombined,
  accessCommon,
  apacheError,
  glog,
  redis,
  json,
  logfmt,
  generic,
  text,
];

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTIN_FORMATS.map((f) => f.name));

interface Loaded {
  stamp: string;
  formats: UserFormat[];
  defs: FormatDef[];
  errors: string[];
}

const cache = new Map<string, Loaded>();

/** User formats of these folders, reloaded only when a format file changed (sources are many, files few). */
export function userFormats(dirs: readonly string[] | undefined): Loaded {
  const list = dirs ?? [];
  const key = list.join('\0');
  const stamp = foldersStamp(list);
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit;
  const { formats, errors } = loadUserFormatsFrom(list, BUILTIN_NAMES);
  const loaded: Loaded = { stamp, formats, defs: formats.map(userFormatDef), errors };
  cache.set(key, loaded);
  return loaded;
}

/** All formats for a source, in detection priority order. */
export function formatsFor(dirs: readonly string[] | undefined): FormatDef[] {
  return [...userFormats(dirs).defs, ...BUILTIN_FORMATS];
}

export function loadedFormatErrors(dirs: readonly string[] | undefined): string[] {
  return userFormats(dirs).errors;
}
