// Static files of the built renderer, from out/renderer only: no path outside it is ever opened.
import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * True when the raw request target tries to climb out of the root (`..` segments, also percent-encoded, or
 * backslashes). URL parsing would quietly normalise them away; such a request is refused instead of served.
 */
export function isTraversal(rawTarget: string): boolean {
  const pathPart = rawTarget.split('?')[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return true;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return true;
  return decoded.split('/').some((seg) => seg === '..' || seg === '.');
}

/** Reads `urlPath` (already checked by isTraversal) under `root`; null when it is not a file there. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  const resolved = path.resolve(root, rel);
  // Belt and braces: whatever the checks above missed, nothing outside root is opened.
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  try {
    // realpath: a symlink inside out/renderer must not lead out of it either.
    const real = await fs.realpath(resolved);
    const realRoot = await fs.realpath(root);
    if (!real.startsWith(realRoot + path.sep)) return null;
    const st = await fs.stat(real);
    if (!st.isFile()) return null;
    const body = await fs.readFile(real);
    return {
      body,
      contentType: CONTENT_TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream',
    };
  } catch {
    return null;
  }
}
