// Caps that keep a hostile or broken archive from exhausting memory, disk or time.
import { Transform, type TransformCallback } from 'node:stream';

export interface InputLimits {
  /** Archive and compression layers allowed inside one input (a .gz in a .tar in a .zip is 3). */
  maxDepth: number;
  /** Total bytes all decompressors of one top-level input may produce. */
  maxArchiveBytes: number;
  /** Decompressed/compressed ratio of one top-level input; enforced once ratioGraceBytes were produced. */
  maxRatio: number;
  ratioGraceBytes: number;
  /** Where nested zips (zip members of other archives) are spilled for random access; default os.tmpdir(). */
  tempDir: string | null;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxDepth: 8,
  maxArchiveBytes: 20 * 1024 ** 3,
  maxRatio: 1000,
  ratioGraceBytes: 4 * 1024 * 1024,
  tempDir: null,
};

/** An error raised on purpose by a cap; its message names the cap. */
export class LimitError extends Error {}

/** The expansion budget of one top-level input, shared by every layer inside it. */
export class ExpansionBudget {
  /** Bytes read from the top-level input itself. */
  compressed = 0;
  /** Bytes produced by all decompressors inside it. */
  expanded = 0;

  constructor(readonly limits: InputLimits) {}

  /** Throws a LimitError when the expanded bytes pass a cap. */
  check(): void {
    const { maxArchiveBytes, maxRatio, ratioGraceBytes } = this.limits;
    if (this.expanded > maxArchiveBytes) {
      throw new LimitError(
        `expands beyond the cap of ${maxArchiveBytes} bytes (maxArchiveBytes); possible zip bomb`,
      );
    }
    if (this.expanded > ratioGraceBytes && this.expanded > maxRatio * Math.max(1, this.compressed)) {
      throw new LimitError(
        `expansion ratio above ${maxRatio}:1 (maxRatio; ${this.expanded} bytes from ${this.compressed}); possible zip bomb`,
      );
    }
  }

  /** A pass-through that counts bytes into this budget: 'compressed' for raw input, 'expanded' after a decoder. */
  counter(kind: 'compressed' | 'expanded'): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) => {
        if (kind === 'compressed') {
          this.compressed += chunk.length;
          cb(null, chunk);
          return;
        }
        this.expanded += chunk.length;
        try {
          this.check();
        } catch (err) {
          cb(err as Error);
          return;
        }
        cb(null, chunk);
      },
    });
  }
}
