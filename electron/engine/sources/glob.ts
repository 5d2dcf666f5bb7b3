// A small glob matcher (Node 20 has no fs.glob): `*`, `?`, `[abc]`, `[!a-z]` within one path segment, and `**`
// for any number of folders. Like the shells, wildcards do not match a leading dot unless the pattern has one.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';

export function hasGlob(arg: string): boolean {
  return /[*?[]/.test(arg);
}

/** Every path matching the pattern, sorted; folders are included (the caller recurses into them). */
export async function globPaths(pattern: string): Promise<string[]> {
  const segs = pattern.split(/[\\/]+/);
  let root = isAbsolute(pattern) ? sep : '.';
  if (isAbsolute(pattern)) segs.shift();
  // Static leading segments need no listing.
  while (segs.length > 1 && !hasGlob(segs[0])) root = join(root, segs.shift()!);
  const out = new Set<string>();
  await walk(
    root,
    segs.filter((s) => s !== ''),
    out,
    root === '.',
  );
  return [...out].sort();
}

async function walk(dir: string, segs: string[], out: Set<string>, relative: boolean): Promise<void> {
  const [seg, ...rest] = segs;
  const shown = (name: string): string => (relative && dir === '.' ? name : join(dir, name));
  if (seg === undefined) return;
  if (seg === '**') {
    if (rest.length === 0) {
      out.add(dir);
      return;
    }
    await walk(dir, rest, out, relative);
    for (const d of await listDir(dir)) {
      if (d.isDir && !d.name.startsWith('.')) await walk(shown(d.name), segs, out, relative);
    }
    return;
  }
  if (!hasGlob(seg)) {
    const path = shown(seg);
    const st = await stat(path).catch(() => null);
    if (!st) return;
    if (rest.length === 0) out.add(path);
    else if (st.isDirectory()) await walk(path, rest, out, relative);
    return;
  }
  const re = segmentRegExp(seg);
  for (const d of await listDir(dir)) {
    if (!re.test(d.name)) continue;
    if (rest.length === 0) out.add(shown(d.name));
    else if (d.isDir) await walk(shown(d.name), rest, out, relative);
  }
}

async function listDir(dir: string): Promise<Array<{ name: string; isDir: boolean }>> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const res: Array<{ name: string; isDir: boolean }> = [];
  for (const e of entries) {
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) isDir = (await stat(join(dir, e.name)).catch(() => null))?.isDirectory() ?? false;
    res.push({ name: e.name, isDir });
  }
  return res.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function segmentRegExp(seg: string): RegExp {
  let src = seg.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        src += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      src += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}
