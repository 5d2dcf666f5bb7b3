// Identifiers worth following across sources, pulled out of a message as fields: HDFS block ids, UUIDs, W3C trace
// ids, request ids, IPv4/IPv6 addresses and user names. Runs on every stored line, so each regex below runs only on
// lines that a cheap test (native one- or two-character searches, then a few char codes) shows could hold a match,
// and starts where the first match could begin; IPv4 needs no regex at all (ipv4.ts). Each test is a necessary
// condition of its regex, so the results are the regexes' own (tests/unit/analysis/identifiers-fast.test.ts checks
// them against the regex-only extraction). The first value of each family wins. Char-by-char loops cost more here
// than the native searches they would replace, so the tests look at characters only around what a search found.
import type { FieldValue } from '../event.ts';
import { firstIpv4 } from './ipv4.ts';
import { isJsSpace } from '../words.ts';

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
// key=value or "key": "value" forms; the key decides the family. Both run only where keyBefore finds a key.
const KEYED =
  /\b(trace[_-]?id|x-request-id|request[_-]?id|req[_-]?id|user(?:name)?)["']?\s*[=:]\s*["']?([^\s"',;&)\]}]+)/gi;
// Global (g) like BLK: exec starts at userPhraseStart, the first place a match could begin. `for X from Y` names a
// user only when Y looks like a host (a digit, dot or colon, or a following `port`): sshd's `for root from 1.2.3.4
// port 22`, not `waiting for connections from clients`.
const USER_PHRASE =
  /\b(?:[Ii]nvalid|[Ii]llegal) user (?!from\b)([\w.@$-]+)|\bfor (?:invalid user |illegal user |user )?(?!invalid\b|illegal\b|user\b)([\w.@$-]+) from (?=\S*[\d.:]|\S+ port\b)|\bfor user ([\w.@$-]+)/g;
// IPv4 addresses are matched by ipv4.ts: four dotted numbers not glued to letters, more dots or digits.
// Compressed (with ::) or full eight-group IPv6; times (10:23:45) and MACs (six groups, no ::) never match.
const IPV6 =
  /(?<![\w:.])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])|(?<![\w:.])(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?(?![\w:])/g;

/** Values that user-ish keys carry when there is no user: not worth a field. */
const NOT_USERS = new Set(['unknown', 'root=', '', '-', 'null', 'none', 'n/a']);

// Kinds as bits of `found`: a kind is taken once.
const BLK_BIT = 1;
const UUID_BIT = 2;
const TRACE_BIT = 4;
const REQUEST_BIT = 8;
const IP_BIT = 16;
const USER_BIT = 32;

/** The identifiers in `message`, by kind (first occurrence of each). */
export function extractIdentifiers(message: string): Partial<Record<IdentifierKind, string>> {
  const fields: Record<string, FieldValue> = {};
  addIdentifierFields(message, fields);
  const out: Partial<Record<IdentifierKind, string>> = {};
  for (const name in fields) out[name.slice(4) as IdentifierKind] = fields[name] as string; // without `ids.`
  return out;
}

const NOWHERE: Record<string, FieldValue> = {};
/** The fields being added to, and the kinds found in the message so far. */
let target = NOWHERE;
let found = 0;

/** Adds the identifiers of `message` to `fields` as ids.* fields, never replacing a field the parser set. */
export function addIdentifierFields(message: string, fields: Record<string, FieldValue>): void {
  target = fields;
  found = 0;
  collect(message);
  target = NOWHERE; // holds no event once done
}

// One writer per field, its name spelled out: no name or bit is looked up per call (extractIdentifiers reads the
// same fields back without their `ids.`).
function putBlk(value: string): void {
  found |= BLK_BIT;
  if (!('ids.blk' in target)) target['ids.blk'] = value;
}

function putUuid(value: string): void {
  found |= UUID_BIT;
  if (!('ids.uuid' in target)) target['ids.uuid'] = value;
}

function putTrace(value: string): void {
  found |= TRACE_BIT;
  if (!('ids.trace' in target)) target['ids.trace'] = value;
}

function putRequest(value: string): void {
  found |= REQUEST_BIT;
  if (!('ids.request' in target)) target['ids.request'] = value;
}

function putIp(value: string): void {
  found |= IP_BIT;
  if (!('ids.ip' in target)) target['ids.ip'] = value;
}

function putUser(value: string): void {
  found |= USER_BIT;
  if (!('ids.user' in target)) target['ids.user'] = value;
}

function collect(message: string): void {
  const blk = blkStart(message);
  if (blk >= 0) {
    BLK.lastIndex = blk;
    const m = BLK.exec(message);
    if (m) putBlk(m[0]);
  }
  if (message.length >= 36) {
    const at = uuidStart(message);
    if (at >= 0) {
      UUID.lastIndex = at;
      const m = UUID.exec(message);
      if (m) putUuid(m[0].toLowerCase());
    }
  }
  // One walk over the colons serves the key test and the IPv6 test.
  let keyed = false;
  let colons = 0;
  let doubleColon = false;
  for (let at = message.indexOf(':'); at >= 0; at = message.indexOf(':', at + 1)) {
    colons++;
    if (message.charCodeAt(at + 1) === 58) doubleColon = true;
    if (!keyed) keyed = keyBefore(message, at);
  }
  for (let at = keyed ? -1 : message.indexOf('='); at >= 0; at = message.indexOf('=', at + 1)) {
    if (keyBefore(message, at)) {
      keyed = true;
      break;
    }
  }
  if (keyed) {
    const m = TRACEPARENT.exec(message);
    if (m) putTrace(m[1].toLowerCase());
    keyedIds(message);
  }
  if ((found & USER_BIT) === 0) {
    const at = userPhraseStart(message);
    if (at >= 0) {
      USER_PHRASE.lastIndex = at;
      const m = USER_PHRASE.exec(message);
      const user = m && (m[1] ?? m[2] ?? m[3]);
      if (user && !isNotUserWord(user)) putUser(user);
    }
  }
  const ip = firstIpv4(message);
  if (ip !== null) putIp(ip);
  // The IPv6 regex is the costly one: only lines with `::` or at least seven colons can hold an address.
  if ((found & IP_BIT) === 0 && (doubleColon || colons >= 7)) {
    IPV6.lastIndex = 0;
    for (let m = IPV6.exec(message); m; m = IPV6.exec(message)) {
      // A bare `::` (C++ scopes, `listening on ::`) is not worth following.
      if (m[0].length >= 3) {
        putIp(m[0].toLowerCase());
        break;
      }
      if (m[0].length === 0) IPV6.lastIndex++;
    }
  }
}

function keyedIds(message: string): void {
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(message); m; m = KEYED.exec(message)) {
    const key = m[1].toLowerCase();
    const value = m[2];
    if (key.startsWith('trace')) {
      if ((found & TRACE_BIT) === 0 && /^[0-9a-fA-F]{16,32}$/.test(value)) putTrace(value.toLowerCase());
    } else if (key.startsWith('user')) {
      if ((found & USER_BIT) === 0 && !NOT_USERS.has(value.toLowerCase())) putUser(value);
    } else if ((found & REQUEST_BIT) === 0 && value.length >= 4) putRequest(value);
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

/**
 * Where the first user phrase could start: the first `for ` or `[Ii]nvalid user ` / `[Ii]llegal user `, found by
 * the `r ` all of them hold (one native search), or -1. The first to end is the first to start: `for ` is no part
 * of the longer phrases, so one that ends later starts later.
 */
function userPhraseStart(s: string): number {
  for (let p = s.indexOf('r ', 2); p >= 0; p = s.indexOf('r ', p + 2)) {
    if (s.charCodeAt(p - 1) === 111 && s.charCodeAt(p - 2) === 102) return p - 2; // for
    if (p >= 11 && s.charCodeAt(p - 1) === 101 && s.startsWith(' us', p - 4)) {
      const c = s.charCodeAt(p - 11); // I or i
      if ((c === 73 || c === 105) && (s.startsWith('nvalid', p - 10) || s.startsWith('llegal', p - 10)))
        return p - 11;
    }
  }
  return -1;
}

/**
 * `NOT_USERS.has(user.toLowerCase())` for a phrase's user, without a lower-cased copy: the phrase's user is of
 * `[\w.@$-]`, so of NOT_USERS only `-`, `null`, `none` and `unknown` can be it.
 */
function isNotUserWord(u: string): boolean {
  switch (u.length) {
    case 1:
      return u === '-';
    case 4: {
      if ((u.charCodeAt(0) | 32) !== 110) return false; // n
      const b = u.charCodeAt(1) | 32;
      const c = u.charCodeAt(2) | 32;
      const d = u.charCodeAt(3) | 32;
      return (b === 117 && c === 108 && d === 108) || (b === 111 && c === 110 && d === 101); // ull, one
    }
    case 7:
      return u.toLowerCase() === 'unknown';
    default:
      return false;
  }
}

/**
 * Whether the `=` or `:` at q ends a key that KEYED or TRACEPARENT reads: `key["']?\s*` before it, key one of
 * trace[_-]?id, x-request-id, request[_-]?id, req[_-]?id, user, username, traceparent (any case). Walking back is
 * unambiguous: the spaces, then a quote if there is one (a key ends in a letter), then the key's last letters.
 */
function keyBefore(s: string, q: number): boolean {
  let end = q;
  while (end > 0 && isJsSpace(s.charCodeAt(end - 1))) end--;
  const quote = s.charCodeAt(end - 1);
  if (quote === 34 || quote === 39) end--; // " or '
  // `| 32` lower-cases an ASCII letter and turns no other character into a lower-case letter.
  switch (s.charCodeAt(end - 1) | 32) {
    case 100: {
      // d: trace, req or request, then [_-]?id
      if ((s.charCodeAt(end - 2) | 32) !== 105) return false; // i
      let k = end - 2;
      const sep = s.charCodeAt(k - 1);
      if (sep === 95 || sep === 45) k--; // _ or -
      return endsWith(s, k, 'trace') || endsWith(s, k, 'req') || endsWith(s, k, 'request');
    }
    case 114: // r
      return endsWith(s, end, 'user');
    case 101: // e
      return endsWith(s, end, 'username');
    case 116: // t
      return endsWith(s, end, 'traceparent');
    default:
      return false;
  }
}

/** Whether s[..end) ends with `word` (lower-case letters) in any case. */
function endsWith(s: string, end: number, word: string): boolean {
  const from = end - word.length;
  if (from < 0) return false;
  for (let i = 0; i < word.length; i++)
    if ((s.charCodeAt(from + i) | 32) !== word.charCodeAt(i)) return false;
  return true;
}
