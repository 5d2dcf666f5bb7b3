// Shared pieces of archive expansion: the per-input context, member path safety, and error items.
import type { ExpansionBudget } from './limits.ts';
import type { InputItem, SkippedInput } from './types.ts';

export type Expanded = InputItem | SkippedInput;

export interface MemberMeta {
  size: number | null;
  mtimeMs: number | null;
}

/** A Node or streamx (tar-stream entry) readable: the little both kinds share. */
export interface StreamLike {
  on(event: string, fn: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** Expands one stream (a member, a decompressed body, stdin) into items; archives recurse through it. */
export type ExpandStream = (
  src: StreamLike,
  uri: string,
  name: string,
  meta: MemberMeta,
  budget: ExpansionBudget,
  depth: number,
  kind: InputItem['kind'],
) => AsyncGenerator<Expanded>;

/** Why a member path is unsafe (absolute, drive letter, or climbing out with `..`), or null when it is fine. */
export function unsafeMemberPath(name: string): string | null {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) return 'absolute path in archive, refused';
  if (n.split('/').includes('..')) return 'path escapes the archive (..), refused';
  if (n.includes('\0')) return 'NUL byte in member name, refused';
  return null;
}

/** Member path as shown in URIs: no leading `./`. */
export function memberName(name: string): string {
  return name.replace(/^(\.\/)+/, '');
}

export function errorItem(uri: string, err: unknown): SkippedInput {
  return { uri, reason: errorText(err), severity: 'error' };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
