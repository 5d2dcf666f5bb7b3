// Identifiers worth following across sources, pulled out of a message as fields: HDFS block ids, UUIDs, W3C trace
// ids, request ids, IPv4/IPv6 addresses and user names. Runs on every stored line, so most regexes below run only on
// lines that a cheap test (one-character substring searches, a few char codes) shows could hold a match, and start
// where the first match could begin; IPv4 needs no regex at all (ipv4.ts). Each test is a necessary condition of its
// regex, so the results are the regexes' own (tests/unit/analysis/identifiers-fast.test.ts checks them against the
// regex-only extraction). The first value of each family wins.
import type { FieldValue } from '../event.ts';
import { firstIpv4 } from './ipv4.ts';

export type IdentifierKind = 'blk' | 'uuid' | 'trace' | 'request' | 'ip' | 'user';

/** The field name each identifier is stored under. */
export const ID_FIELDS: Record<IdentifierKind, string> = {
  blk: 'ids.blk',
  uuid: 'ids.uuid',
  trace: 'ids.trace',
  request: 'ids.request',
  ip: 'ids.ip',
  user: 'ids.user',
};

// Global (g) so that exec can start at lastIndex: where the cheap test saw the first possible match.
const BLK = /\bblk_-?\d+\b/g;
const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
const TRACEPARENT = /traceparent["']?\s*[=:]\s*"?[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}\b/i;
// key=value or "key": "value" forms; the key decides the family.
const KEYED =
  /\b(trace[_-]?id|x-request-id|request[_-]?id|req[_-]?id|user(?:name)?)["']?\s*[=:]\s*["']?([^\s"',;&)\]}]+)/gi;
// What every KEYED match and every traceparent holds: a key word, more of the key, `=` or `:`.
const KEY_GATE = /(?:trace|req|user)[\w-]*["']?\s*[=:]/i;
// Run on every line: it turns a line down faster than searching it for `for ` and ` user ` would.
const USER_PHRASE =
  /\b(?:[Ii]nvalid|[Ii]llegal) user (?!from\b)([\w.@$-]+)|\bfor (?:invalid user |illegal user |user )?(?!invalid\b|illegal\b|user\b)([\w.@$-]+) from\b|\bfor user ([\w.@$-]+)/;
// IPv4 addresses are matched by ipv4.ts: four dotted numbers not glued to letters, more dots or digits.
// Compressed (with ::) or full eight-group IPv6; times (10:23:45) and MACs (six groups, no ::) never match.
const IPV6 =
  /(?<![\w:.])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])|(?<![\w:.])(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?(?![\w:])/g;

/** Values that user-ish keys carry when there is no user: not worth a field. */
const NOT_USERS = new Set(['unknown', 'root=', '', '-', 'null', 'none', 'n/a']);

/** Where found identifiers go: `names` maps each kind to the key written in `target`. */
interface Sink {
  target: Record<string, FieldValue>;
  names: Record<IdentifierKind, string>;
  /** Kinds found so far, as bits (KIND_BIT); a kind is taken once. */
  found: number;
}

const KIND_BIT: Record<IdentifierKind, number> = { blk: 1, uuid: 2, trace: 4, request: 8, ip: 16, user: 32 };
const SELF_NAMES: Record<IdentifierKind, string> = {
  blk: 'blk',
  uuid: 'uuid',
  trace: 'trace',
  request: 'request',
  ip: 'ip',
  user: 'user',
};

/** The identifiers in `message`, by kind (first occurrence of each). */
export function extractIdentifiers(message: string): Partial<Record<IdentifierKind, string>> {
  const out: Record<string, FieldValue> = {};
  collect(message, { target: out, names: SELF_NAMES, found: 0 });
  return out as Partial<Record<IdentifierKind, string>>;
}

const NOWHERE: Record<string, FieldValue> = {};
const sink: Sink = { target: NOWHERE, names: ID_FIELDS, found: 0 };

/** Adds the identifiers of `message` to `fields` as ids.* fields, never replacing a field the parser set. */
export function addIdentifierFields(message: string, fields: Record<string, FieldValue>): void {
  sink.target = fields;
  sink.found = 0;
  collect(message, sink);
  sink.target = NOWHERE; // holds no event once done
}

function put(sink: Sink, kind: IdentifierKind, value: string): void {
  sink.found |= KIND_BIT[kind];
  const name = sink.names[kind];
  if (!(name in sink.target)) sink.target[name] = value;
}

function has(sink: Sink, kind: IdentifierKind): boolean {
  return (sink.found & KIND_BIT[kind]) !== 0;
}

function collect(message: string, sink: Sink): void {
  const blk = blkStart(message);
  if (blk >= 0) {
    BLK.lastIndex = blk;
    const m = BLK.exec(message);
    if (m) put(sink, 'blk', m[0]);
  }
  if (message.length >= 36) {
    const at = uuidStart(message);
    if (at >= 0) {
      UUID.lastIndex = at;
      const m = UUID.exec(message);
      if (m) put(sink, 'uuid', m[0].toLowerCase());
    }
  }
  const colon = message.indexOf(':');
  if ((colon >= 0 || message.includes('=')) && KEY_GATE.test(message)) {
    const m = TRACEPARENT.exec(message);
    if (m) put(sink, 'trace', m[1].toLowerCase());
    keyed(message, sink);
  }
  if (!has(sink, 'user')) {
    const m = USER_PHRASE.exec(message);
    const user = m && (m[1] ?? m[2] ?? m[3]);
    if (user && !NOT_USERS.has(user.toLowerCase())) put(sink, 'user', user);
  }
  const ip = firstIpv4(message);
  if (ip !== null) put(sink, 'ip', ip);
  // The IPv6 regex is the costly one: only lines with `::` or at least seven colons can hold an address.
  if (!has(sink, 'ip') && colon >= 0 && (message.includes('::') || colons(message, colon) >= 7)) {
    IPV6.lastIndex = 0;
    for (let m = IPV6.exec(message); m; m = IPV6.exec(message)) {
      // A bare `::` (C++ scopes, `listening on ::`) is not worth following.
      if (m[0].length >= 3) {
        put(sink, 'ip', m[0].toLowerCase());
        break;
      }
      if (m[0].length === 0) IPV6.lastIndex++;
    }
  }
}

function keyed(message: string, sink: Sink): void {
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(message); m; m = KEYED.exec(message)) {
    const key = m[1].toLowerCase();
    const value = m[2];
    if (key.startsWith('trace')) {
      if (!has(sink, 'trace') && /^[0-9a-fA-F]{16,32}$/.test(value)) put(sink, 'trace', value.toLowerCase());
    } else if (key.startsWith('user')) {
      if (!has(sink, 'user') && !NOT_USERS.has(value.toLowerCase())) put(sink, 'user', value);
    } else if (!has(sink, 'request') && value.length >= 4) put(sink, 'request', value);
  }
}

/** The index of the first `blk_`, or -1 (by its `_`: one-character searches are the cheap ones). */
function blkStart(message: string): number {
  for (let p = message.indexOf('_', 3); p >= 0; p = message.indexOf('_', p + 1)) {
    if (
      message.charCodeAt(p - 1) === 107 && // k
      message.charCodeAt(p - 2) === 108 && // l
      message.charCodeAt(p - 3) === 98 // b
    ) {
      return p - 3;
    }
  }
  return -1;
}

/**
 * Where the first UUID could start: eight characters before the first `-` that has `-` again 5, 10 and 15
 * characters on (the dashes of 8-4-4-4-12), or -1 when there is none.
 */
function uuidStart(message: string): number {
  const last = message.length - 28; // the first dash is followed by 27 more characters
  for (let p = message.indexOf('-', 8); p >= 0 && p <= last; p = message.indexOf('-', p + 1)) {
    if (
      message.charCodeAt(p + 5) === 45 &&
      message.charCodeAt(p + 10) === 45 &&
      message.charCodeAt(p + 15) === 45
    ) {
      return p - 8;
    }
  }
  return -1;
}

/** Colons in `message` from the first one, at `first`; counting stops at seven. */
function colons(message: string, first: number): number {
  let n = 0;
  for (let at = first; at >= 0 && n < 7; at = message.indexOf(':', at + 1)) n++;
  return n;
}
