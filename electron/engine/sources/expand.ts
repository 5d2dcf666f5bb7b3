// Expands the command line's paths into inputs: files, folder contents, glob matches, stdin, and archive
// members (recursively), all streamed. One bad input becomes an error item; expansion goes on with the next.
import { createReadStream, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import unbzip2 from 'unbzip2-stream';
import { chain } from './chain.ts';
import { DEFAULT_LIMITS, ExpansionBudget, LimitError, type InputLimits } from './limits.ts';
import { errorItem, type Expanded, type ExpandStream, type MemberMeta } from './member.ts';
import { peek } from './peek.ts';
import { SNIFF_BYTES, sniff, type Container } from './sniff.ts';
import { expandTar } from './tar.ts';
import type { InputItem } from './types.ts';
import { errnoText, resolvePath } from './walk.ts';
import { expandSpilledZip, expandZipFile } from './zip.ts';

export interface ExpandOptions extends Partial<InputLimits> {
  /** The stream `-` reads; process.stdin by default (tests pass their own). */
  stdin?: NodeJS.ReadableStream;
}

const FILE_CHUNK = 256 * 1024;

export async function* expandInputs(args: string[], opts: ExpandOptions = {}): AsyncGenerator<Expanded> {
  const limits: InputLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof InputLimits>) {
    if (opts[key] !== undefined) (limits as unknown as Record<string, unknown>)[key] = opts[key];
  }
  let stdinUsed = false;
  for (const arg of args) {
    if (arg === '-') {
      if (stdinUsed) {
        yield { uri: 'stdin:', reason: 'standard input given more than once', severity: 'error' };
        continue;
      }
      stdinUsed = true;
      const stdin = opts.stdin ?? process.stdin;
      const budget = new ExpansionBudget(limits);
      const counted = chain(stdin as Readable, [budget.counter('compressed')], { destroySource: false });
      yield* guarded(
        'stdin:',
        expandStream(counted, 'stdin:', '', { size: null, mtimeMs: null }, budget, 0, 'stdin'),
      );
      continue;
    }
    for await (const found of resolvePath(arg)) {
      if ('reason' in found) yield found;
      else yield* guarded(found.path, expandFile(found.path, found.stat, limits));
    }
  }
}

/** Turns anything thrown inside one input's expansion into an error item for that input. */
async function* guarded(uri: string, gen: AsyncGenerator<Expanded>): AsyncGenerator<Expanded> {
  try {
    yield* gen;
  } catch (err) {
    yield errorItem(uri, err);
  }
}

async function* expandFile(path: string, st: Stats, limits: InputLimits): AsyncGenerator<Expanded> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(SNIFF_BYTES, st.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    yield { uri: path, reason: errnoText(err as NodeJS.ErrnoException), severity: 'error' };
    return;
  }
  const kind = sniff(head, path, st.size);
  const meta = { size: st.size, mtimeMs: st.mtimeMs };
  const budget = new ExpansionBudget(limits);
  switch (kind.kind) {
    case 'text':
      yield {
        uri: path,
        kind: 'file',
        ...meta,
        open: () => createReadStream(path, { highWaterMark: FILE_CHUNK }),
      };
      return;
    case 'binary':
      yield { uri: path, reason: `binary (${kind.what})`, severity: 'skipped' };
      return;
    case 'bad':
      yield { uri: path, reason: kind.reason, severity: 'error' };
      return;
    case 'zip':
      yield* expandZipFile(path, path, budget, 1, true, expandStream);
      return;
    default: {
      const raw = createReadStream(path, { highWaterMark: FILE_CHUNK });
      const counted = chain(raw, [budget.counter('compressed')], { destroySource: true });
      try {
        yield* expandStream(counted, path, basename(path), meta, budget, 0, 'file');
      } finally {
        raw.destroy();
      }
    }
  }
}

/** Sniffs a stream and yields it as one text item, or expands the archive or compressed body it holds. */
const expandStream: ExpandStream = async function* (src, uri, name, meta, budget, depth, kind) {
  let p;
  try {
    p = await peek(src, SNIFF_BYTES);
  } catch (err) {
    yield errorItem(uri, err);
    return;
  }
  const { head, out, done } = p;
  const what = sniff(head, name, meta.size);
  try {
    if (what.kind === 'text') {
      yield textItem(uri, kind, meta, out);
    } else if (what.kind === 'binary') {
      yield { uri, reason: `binary (${what.what})`, severity: 'skipped' };
    } else if (what.kind === 'bad') {
      yield { uri, reason: what.reason, severity: 'error' };
    } else if (depth + 1 > budget.limits.maxDepth) {
      yield {
        uri,
        reason: `archives nested deeper than ${budget.limits.maxDepth} levels (maxDepth)`,
        severity: 'error',
      };
    } else {
      yield* expandContainer(what.kind, out, uri, name, meta, budget, depth + 1, kind);
    }
  } finally {
    // Whatever the reader left unread is drained, so an enclosing tar can move on to its next member.
    out.unpipe();
    out.resume();
    await done;
  }
};

function textItem(
  uri: string,
  kind: InputItem['kind'],
  meta: MemberMeta,
  out: NodeJS.ReadableStream,
): InputItem {
  let opened = false;
  return {
    uri,
    kind,
    size: kind === 'archive-member' ? meta.size : null,
    mtimeMs: meta.mtimeMs,
    open() {
      if (opened) throw new Error(`${uri} was already opened`);
      opened = true;
      return out;
    },
  };
}

async function* expandContainer(
  container: Container,
  body: NodeJS.ReadableStream,
  uri: string,
  name: string,
  meta: MemberMeta,
  budget: ExpansionBudget,
  depth: number,
  kind: InputItem['kind'],
): AsyncGenerator<Expanded> {
  if (container === 'tar') {
    yield* expandTar(body, uri, budget, depth, expandStream);
    return;
  }
  if (container === 'zip') {
    yield* expandSpilledZip(body, uri, budget, depth, expandStream);
    return;
  }
  // A compressed file is the file it holds: `syslog.2.gz` keeps its URI; its body is sniffed again (tar.gz).
  const decoder =
    container === 'gzip' ? createGunzip() : (unbzip2() as unknown as import('node:stream').Duplex);
  const inner = chain(body as Readable, [decoder, budget.counter('expanded')], {
    destroySource: false,
    mapError: (err) =>
      err instanceof LimitError ? err : new Error(`corrupt or truncated ${container} data (${err.message})`),
  });
  const innerName = name.replace(/\.(tgz|tbz2)$/i, '.tar').replace(/\.(gz|bz2)$/i, '');
  yield* expandStream(inner, uri, innerName, { size: null, mtimeMs: meta.mtimeMs }, budget, depth, kind);
}
