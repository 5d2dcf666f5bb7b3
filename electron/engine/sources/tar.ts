// Tar archives, read strictly in sequence: each member is handed out and consumed before the next is parsed.
import tarStream from 'tar-stream';
import type { ExpansionBudget } from './limits.ts';
import {
  errorItem,
  errorText,
  memberName,
  unsafeMemberPath,
  type Expanded,
  type ExpandStream,
  type StreamLike,
} from './member.ts';

export async function* expandTar(
  input: NodeJS.ReadableStream,
  uri: string,
  budget: ExpansionBudget,
  depth: number,
  expandStream: ExpandStream,
): AsyncGenerator<Expanded> {
  const extract = tarStream.extract();
  input.on('error', (err: Error) => extract.destroy(err));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      const ended = endOf(entry);
      const h = entry.header;
      const name = memberName(h.name);
      const muri = `${uri}!/${name}`;
      const unsafe = unsafeMemberPath(h.name);
      if (unsafe) yield { uri: muri, reason: unsafe, severity: 'error' };
      else if (h.type === 'file' || h.type === 'contiguous-file') {
        const meta = { size: h.size ?? null, mtimeMs: h.mtime ? h.mtime.getTime() : null };
        // streamx typings differ from Node's; the entry has the on/pause/resume the expander uses.
        yield* expandStream(
          entry as unknown as StreamLike,
          muri,
          name,
          meta,
          budget,
          depth,
          'archive-member',
        );
      } else if (h.type === 'symlink' || h.type === 'link') {
        const what = h.type === 'symlink' ? 'symbolic' : 'hard';
        yield {
          uri: muri,
          reason: `${what} link in archive (to ${h.linkname ?? '?'}), not followed`,
          severity: 'skipped',
        };
      } else if (h.type !== 'directory') {
        yield { uri: muri, reason: `special file in archive (${h.type}), skipped`, severity: 'skipped' };
      }
      entry.resume();
      await ended;
    }
  } catch (err) {
    yield errorItem(uri, `stopped reading the tar archive: ${tarReason(err)}`);
  } finally {
    extract.destroy();
  }
}

/** Settles when an entry was read to its end (tar cannot move on before); its errors were reported by its reader. */
function endOf(entry: { on(ev: string, fn: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    entry.on('end', resolve);
    entry.on('close', resolve);
    entry.on('error', resolve);
  });
}

function tarReason(err: unknown): string {
  const msg = errorText(err);
  if (/Invalid tar header|Unexpected end of data|Invalid header/i.test(msg))
    return `corrupt or truncated tar (${msg})`;
  return msg;
}
