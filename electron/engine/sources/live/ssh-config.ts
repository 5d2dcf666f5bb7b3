// The parts of OpenSSH's client configuration (`~/.ssh/config`) that a collector needs: for a host alias, the
// HostName, User, Port, IdentityFile(s), UserKnownHostsFile(s) and ProxyJump. Evaluated as ssh(1) does, line by
// line: the first value obtained for a keyword wins (IdentityFile accumulates); `Host` patterns take `*`, `?` and
// `!negation` and match the alias as typed; `Match host|originalhost|user|all` (with `!` and comma lists) is
// evaluated against what is known at that line (`host` sees a HostName set earlier); `Include` reads files in
// place (relative to ~/.ssh, globs expanded in sorted order), and an Include inside a block that does not apply
// contributes nothing. Match criteria Flumen cannot evaluate (exec, canonical, final, localuser, localnetwork,
// tagged) are refused with the file and line when their outcome would decide whether a block applies, never
// silently skipped: guessing could send a login to the wrong host.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasGlob, segmentRegExp } from '../glob.ts';

export interface SshHostConfig {
  hostName: string;
  user: string | null;
  port: number | null;
  identityFiles: string[];
  knownHostsFiles: string[];
  /** `[user@]host[:port]` hops, first hop first; empty for a direct connection. */
  proxyJump: string[];
}

export interface SshConfigQuery {
  /** The user asked for explicitly (`user@host`): wins over the config's User and is what `Match user` sees. */
  user?: string | null;
  /** Folder that relative Include paths start from; default `<home>/.ssh`. */
  includeBase?: string;
}

/** OpenSSH's limit on nested Include. */
const MAX_INCLUDE_DEPTH = 16;
const UNSUPPORTED_MATCH = new Set(['exec', 'canonical', 'final', 'localuser', 'localnetwork', 'tagged']);

interface State {
  alias: string;
  home: string;
  includeBase: string;
  askedUser: string | null;
  got: Map<string, string>;
  identityFiles: string[];
  knownHostsFiles: string[];
}

export function readSshConfig(
  file: string | null,
  alias: string,
  home = os.homedir(),
  query: SshConfigQuery = {},
): SshHostConfig {
  const st = newState(alias, home, query);
  if (file) {
    const text = readConfigFile(file, true);
    if (text !== null) evaluate(st, text, file, 0);
  }
  return finish(st);
}

/** Resolves `alias` against config text; `name` is what errors call the text. */
export function resolveSshConfig(
  text: string,
  alias: string,
  home = os.homedir(),
  query: SshConfigQuery & { name?: string } = {},
): SshHostConfig {
  const st = newState(alias, home, query);
  evaluate(st, text, query.name ?? 'ssh config', 0);
  return finish(st);
}

function newState(alias: string, home: string, query: SshConfigQuery): State {
  return {
    alias,
    home,
    includeBase: query.includeBase ?? path.join(home, '.ssh'),
    askedUser: query.user ?? null,
    got: new Map(),
    identityFiles: [],
    knownHostsFiles: [],
  };
}

function readConfigFile(file: string, missingOk: boolean): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (missingOk && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ssh config ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Applies one file's lines; `active` starts as the including line's state, as in OpenSSH's readconf.c. */
function evaluate(st: State, text: string, file: string, depth: number, active = true): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([^\s=]+)(?:\s*=\s*|\s+|$)(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const args = words(m[2], where);
    if (key === 'host') active = hostMatches(args, st.alias);
    else if (key === 'match') active = matchLine(st, args, where);
    else if (key === 'include') {
      if (!active) continue; // OpenSSH reads it with "never match": nothing in it can apply
      if (depth + 1 > MAX_INCLUDE_DEPTH) throw new Error(`${where}: Include nested too deeply`);
      for (const arg of args) {
        for (const inc of expandInclude(st, arg)) {
          const body = readConfigFile(inc, false);
          if (body !== null) evaluate(st, body, inc, depth + 1, active);
        }
      }
    } else if (active) apply(st, key, args);
  }
}

function apply(st: State, key: string, args: string[]): void {
  if (args.length === 0) return;
  if (key === 'identityfile') st.identityFiles.push(args[0]);
  else if (key === 'userknownhostsfile') {
    if (st.knownHostsFiles.length === 0) st.knownHostsFiles.push(...args);
  } else if (!st.got.has(key)) st.got.set(key, args.join(' '));
}

/** A `Match` line: every criterion must hold. Throws for a criterion Flumen cannot evaluate when it decides. */
function matchLine(st: State, args: string[], where: string): boolean {
  if (args.length === 0) throw new Error(`${where}: Match needs criteria`);
  let result = true;
  for (let i = 0; i < args.length; i++) {
    const raw = args[i];
    const negate = raw.startsWith('!');
    const crit = (negate ? raw.slice(1) : raw).toLowerCase();
    if (crit === 'all') {
      if (args.length !== 1) throw new Error(`${where}: Match all must appear alone`);
      return !negate;
    }
    if (UNSUPPORTED_MATCH.has(crit)) {
      // Skipped by OpenSSH too when an earlier criterion already failed; otherwise its outcome decides.
      if (!result) {
        if (crit !== 'canonical' && crit !== 'final') i++;
        continue;
      }
      throw new Error(`${where}: Match ${crit} is not supported by Flumen (use Host or Match host/user)`);
    }
    if (crit !== 'host' && crit !== 'originalhost' && crit !== 'user')
      throw new Error(`${where}: unknown Match criterion "${raw}"`);
    const list = args[++i];
    if (list === undefined) throw new Error(`${where}: Match ${crit} needs a pattern list`);
    let ok: boolean;
    if (crit === 'user') ok = patternListMatches(list, currentUser(st), false);
    else if (crit === 'originalhost') ok = patternListMatches(list, st.alias, true);
    else ok = patternListMatches(list, currentHost(st), true);
    if (ok === negate) result = false;
  }
  return result;
}

function currentHost(st: State): string {
  const h = st.got.get('hostname');
  return h ? h.replace(/%h/g, st.alias) : st.alias;
}

function currentUser(st: State): string {
  return st.askedUser ?? st.got.get('user') ?? os.userInfo().username;
}

/** `Host` patterns (space-separated): any negated match vetoes, otherwise one positive match is needed. */
function hostMatches(patterns: string[], host: string): boolean {
  return patternsMatch(patterns, host, true);
}

/** A comma-separated pattern list, as OpenSSH's match_pattern_list. */
function patternListMatches(list: string, value: string, ignoreCase: boolean): boolean {
  return patternsMatch(
    list.split(',').filter((p) => p.length > 0),
    value,
    ignoreCase,
  );
}

function patternsMatch(patterns: string[], value: string, ignoreCase: boolean): boolean {
  let matched = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (globToRegExp(negated ? p.slice(1) : p, ignoreCase).test(value)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globToRegExp(glob: string, ignoreCase: boolean): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
}

/** The files an Include argument names: `~` expanded, relative to ~/.ssh, globs in sorted order. */
function expandInclude(st: State, arg: string): string[] {
  let p = arg === '~' || arg.startsWith('~/') ? path.join(st.home, arg.slice(1)) : arg;
  if (!path.isAbsolute(p)) p = path.join(st.includeBase, p);
  if (!hasGlob(p)) return isFile(p) ? [p] : [];
  let found = ['/'];
  for (const seg of p.split('/').filter((s) => s.length > 0)) {
    if (!hasGlob(seg)) {
      found = found.map((d) => path.join(d, seg));
      continue;
    }
    const re = segmentRegExp(seg);
    const next: string[] = [];
    for (const d of found) {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (re.test(n)) next.push(path.join(d, n));
    }
    found = next;
  }
  return found.filter(isFile);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Splits arguments on blanks, keeping double-quoted words whole. */
function words(s: string, where: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[2]?.includes('"')) throw new Error(`${where}: unbalanced quotes`);
    out.push(m[1] ?? m[2]);
  }
  return out;
}

function finish(st: State): SshHostConfig {
  const { got, alias } = st;
  const hostName = (got.get('hostname') ?? alias).replace(/%h/g, alias);
  const user = got.get('user') ?? null;
  const port = got.has('port') ? Number(got.get('port')) : null;
  if (port != null && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new Error(`ssh config: bad Port for ${alias}: ${got.get('port')}`);
  const local = os.userInfo().username;
  const expand = (p: string) =>
    expandPath(p, { h: hostName, r: st.askedUser ?? user ?? local, u: local, d: st.home });
  const jump = got.get('proxyjump');
  return {
    hostName,
    user,
    port,
    identityFiles: st.identityFiles.map(expand),
    knownHostsFiles: st.knownHostsFiles.filter((f) => f.toLowerCase() !== 'none').map(expand),
    proxyJump: !jump || jump.toLowerCase() === 'none' ? [] : jump.split(',').map((s) => s.trim()),
  };
}

function expandPath(p: string, tokens: Record<string, string>): string {
  let out = p.replace(/%(.)/g, (all, t: string) => (t === '%' ? '%' : (tokens[t] ?? all)));
  if (out === '~' || out.startsWith('~/')) out = path.join(tokens.d, out.slice(1));
  return out;
}
