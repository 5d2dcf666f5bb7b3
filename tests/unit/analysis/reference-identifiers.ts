// The regex-only identifier extraction used before the cheap pre-checks (identifiers.ts, ipv4.ts), kept verbatim as
// the oracle its faster replacement is checked against: the same identifiers, in the same field order.
import type { FieldValue } from '../../../shared/event.ts';

type IdentifierKind = 'blk' | 'uuid' | 'trace' | 'request' | 'ip' | 'user';

/** The field name each identifier is stored under. */
const ID_FIELDS: Record<IdentifierKind, string> = {
  blk: 'ids.blk',
  uuid: 'ids.uuid',
  trace: 'ids.trace',
  request: 'ids.request',
  ip: 'ids.ip',
  user: 'ids.user',
};

const BLK = /\bblk_-?\d+\b/;
const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/;
const TRACEPARENT = /traceparent["']?\s*[=:]\s*"?[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}\b/i;
// key=value or "key": "value" forms; the key decides the family.
const KEYED =
  /\b(trace[_-]?id|x-request-id|request[_-]?id|req[_-]?id|user(?:name)?)["']?\s*[=:]\s*["']?([^\s"',;&)\]}]+)/gi;
const USER_PHRASE =
  /\b(?:[Ii]nvalid|[Ii]llegal) user (?!from\b)([\w.@$-]+)|\bfor (?:invalid user |illegal user |user )?(?!invalid\b|illegal\b|user\b)([\w.@$-]+) from (?=\S*[\d.:]|\S+ port\b)|\bfor user ([\w.@$-]+)/;
// Four dotted numbers not glued to letters, more dots or digits: 1.2.3.4 but not v1.2.3.4, 1.2.3.4.5 or 1.2.3.
const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g;
// Compressed (with ::) or full eight-group IPv6; times (10:23:45) and MACs (six groups, no ::) never match.
const IPV6 =
  /(?<![\w:.])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])|(?<![\w:.])(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?(?![\w:])/g;

/** Values that user-ish keys carry when there is no user: not worth a field. */
const NOT_USERS = new Set(['unknown', 'root=', '', '-', 'null', 'none', 'n/a']);

/** The identifiers in `message`, by kind (first occurrence of each). */
export function referenceExtractIdentifiers(message: string): Partial<Record<IdentifierKind, string>> {
  const out: Partial<Record<IdentifierKind, string>> = {};
  if (message.includes('blk_')) {
    const m = BLK.exec(message);
    if (m) out.blk = m[0];
  }
  if (message.length >= 36 && message.includes('-')) {
    const m = UUID.exec(message);
    if (m) out.uuid = m[0].toLowerCase();
  }
  const lower = hasAny(message);
  if (lower & HINT_TRACE) {
    const m = TRACEPARENT.exec(message);
    if (m) out.trace = m[1].toLowerCase();
  }
  if (lower & (HINT_TRACE | HINT_REQ | HINT_USER)) keyed(message, out);
  if (out.user === undefined && lower & (HINT_USER | HINT_FOR)) {
    const m = USER_PHRASE.exec(message);
    const user = m && (m[1] ?? m[2] ?? m[3]);
    if (user && !NOT_USERS.has(user.toLowerCase())) out.user = user;
  }
  if (message.includes('.')) {
    IPV4.lastIndex = 0;
    for (let m = IPV4.exec(message); m; m = IPV4.exec(message)) {
      if (+m[1] <= 255 && +m[2] <= 255 && +m[3] <= 255 && +m[4] <= 255) {
        out.ip = m[0];
        break;
      }
    }
  }
  // The IPv6 regex is the costly one: only lines with `::` or at least seven colons can hold an address.
  if (out.ip === undefined && (message.includes('::') || colons(message) >= 7)) {
    IPV6.lastIndex = 0;
    for (let m = IPV6.exec(message); m; m = IPV6.exec(message)) {
      // A bare `::` (C++ scopes, `listening on ::`) is not worth following.
      if (m[0].length >= 3) {
        out.ip = m[0].toLowerCase();
        break;
      }
      if (m[0].length === 0) IPV6.lastIndex++;
    }
  }
  return out;
}

/** Adds the identifiers of `message` to `fields` as ids.* fields, never replacing a field the parser set. */
export function referenceAddIdentifierFields(message: string, fields: Record<string, FieldValue>): void {
  const ids = referenceExtractIdentifiers(message);
  for (const kind in ids) {
    const name = ID_FIELDS[kind as IdentifierKind];
    if (!(name in fields)) fields[name] = ids[kind as IdentifierKind] as string;
  }
}

function keyed(message: string, out: Partial<Record<IdentifierKind, string>>): void {
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(message); m; m = KEYED.exec(message)) {
    const key = m[1].toLowerCase();
    const value = m[2];
    if (key.startsWith('trace')) {
      if (out.trace === undefined && /^[0-9a-fA-F]{16,32}$/.test(value)) out.trace = value.toLowerCase();
    } else if (key.startsWith('user')) {
      if (out.user === undefined && !NOT_USERS.has(value.toLowerCase())) out.user = value;
    } else if (out.request === undefined && value.length >= 4) out.request = value;
  }
}

const HINT_TRACE = 1;
const HINT_REQ = 2;
const HINT_USER = 4;
const HINT_FOR = 8;

const ANY_KEYWORD = /trace|req|user/i;

function colons(message: string): number {
  let n = 0;
  for (let at = message.indexOf(':'); at >= 0 && n < 7; at = message.indexOf(':', at + 1)) n++;
  return n;
}

/** Which keyword families might be present, from case-insensitive substring tests (no lower-cased copy). */
function hasAny(message: string): number {
  let hints = message.includes('for ') ? HINT_FOR : 0;
  // One scan rules out most lines; the three families are told apart only on lines that pass it.
  if (!ANY_KEYWORD.test(message)) return hints;
  if (/trace/i.test(message)) hints |= HINT_TRACE;
  if (/req/i.test(message)) hints |= HINT_REQ;
  if (/user/i.test(message)) hints |= HINT_USER;
  return hints;
}
