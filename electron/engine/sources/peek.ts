// Reads the first bytes of a stream for sniffing, then hands the whole stream on, head included.
//
// The source may be a Node stream or a streamx stream (tar-stream's entries). Destroying a tar entry would
// destroy its whole archive, so the bridge never destroys its source: when the reader walks away early, the
// rest of the source is drained instead, so the archive can move on to its next member.
import { PassThrough } from 'node:stream';

export interface Peeked {
  head: Buffer;
  /** The whole stream (head first); errors of the source are forwarded to it. */
  out: PassThrough;
  /** Settles when the source has been read to its end, failed, or closed. */
  done: Promise<void>;
}

interface AnyReadable {
  on(event: string, fn: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

const OUT_HIGH_WATER = 256 * 1024;

export function peek(src: AnyReadable, n: number): Promise<Peeked> {
  return new Promise<Peeked>((resolve, reject) => {
    const out = new PassThrough({ highWaterMark: OUT_HIGH_WATER });
    // Errors reach the reader through `out`; nobody may be listening yet, so keep them from crashing the process.
    out.on('error', () => {});
    const chunks: Buffer[] = [];
    let len = 0;
    let peeked = false;
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));

    const finishPeek = (): void => {
      if (peeked) return;
      peeked = true;
      const head = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      if (head.length > 0) out.write(head);
      resolve({ head: head.subarray(0, n), out, done });
    };
    const onDrain = (): void => {
      src.resume();
    };

    src.on('data', (c: Buffer) => {
      if (!peeked) {
        chunks.push(c);
        len += c.length;
        if (len >= n) finishPeek();
        return;
      }
      if (out.destroyed || out.writableEnded) return; // the reader left: drain
      if (!out.write(c)) {
        src.pause();
        out.once('drain', onDrain);
      }
    });
    src.on('end', () => {
      finishPeek();
      if (!out.destroyed) out.end();
      settle();
    });
    src.on('error', (err: Error) => {
      if (!peeked) {
        peeked = true;
        reject(err);
      } else if (!out.destroyed) out.destroy(err);
      settle();
    });
    src.on('close', () => {
      // Closed without 'end' or 'error' (destroyed): the reader must not wait for data that never comes.
      finishPeek();
      if (!out.writableEnded && !out.destroyed) out.destroy(new Error('input closed before its end'));
      settle();
    });
    out.on('close', () => src.resume());
  });
}
