// Connects a source through decoders into one output stream, with failure handling that never hangs a reader:
// any stage's error destroys the output with a clear message; an output abandoned early frees the decoders.
import { PassThrough, type Duplex } from 'node:stream';

interface Source {
  on(event: string, fn: (...args: never[]) => void): unknown;
  pipe<T extends NodeJS.WritableStream>(dest: T): T;
  unpipe?(dest?: NodeJS.WritableStream): unknown;
  resume(): unknown;
  destroy?(err?: Error): unknown;
}

export interface ChainOptions {
  /** Rewrites a stage's error into the message the user sees. */
  mapError?: (err: Error) => Error;
  /**
   * Tar entries must not be destroyed (that kills their archive): they are drained instead. Sources we own
   * (file streams) are destroyed.
   */
  destroySource: boolean;
}

export function chain(source: Source, stages: Duplex[], opts: ChainOptions): PassThrough {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  out.on('error', () => {}); // delivered to whoever reads `out`; never an uncaught exception
  let stopped = false;
  let ended = false;
  const stop = (err: Error | null): void => {
    if (stopped) return;
    stopped = true;
    for (const s of stages) s.destroy();
    if (opts.destroySource && source.destroy) source.destroy();
    else {
      source.unpipe?.();
      source.on('error', () => {});
      source.resume();
    }
    if (err && !out.destroyed) out.destroy(opts.mapError ? opts.mapError(err) : err);
  };
  source.on('error', (err: Error) => stop(err));
  let prev: Source = source;
  for (const s of stages) {
    s.on('error', (err: Error) => stop(err));
    prev.pipe(s);
    prev = s;
  }
  prev.pipe(out);
  source.on('close', () => {
    // A source destroyed without an error (streamx entries do this when their archive fails) must still end the reader.
    if (!stopped && !ended) stop(new Error('input closed before its end'));
  });
  source.on('end', () => (ended = true));
  out.on('close', () => {
    if (!out.writableFinished) stop(null);
  });
  return out;
}
