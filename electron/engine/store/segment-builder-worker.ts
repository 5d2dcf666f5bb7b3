// A segment-builder worker thread: builds one segment at a time (segment-file-builder.ts) from the batches the
// writer sends, and seals it: the terms sidecar is written first, so a segment file on disk always has its word
// index, then the segment file, each atomically.
import { serveRequests } from '../runtime/request-worker.ts';
import { writeFileAtomicSync } from './atomic-write.ts';
import type { BuilderRequest, SealedSegment } from './segment-builder-protocol.ts';
import { SegmentFileBuilder } from './segment-file-builder.ts';
import { termsFileFor } from './term-index.ts';

/** Off only to measure what the word index costs (FLUMEN_NO_TERM_INDEX=1; such segments are queried by scanning). */
const indexTerms = process.env.FLUMEN_NO_TERM_INDEX !== '1';
let open: SegmentFileBuilder | null = null;

function handle(req: BuilderRequest): SealedSegment | undefined {
  if (req.type === 'batch') {
    if (open && open.segId !== req.segId) throw new Error(`segment ${open.segId} is still open`);
    open ??= new SegmentFileBuilder(req.segId, { indexTerms });
    open.addBatch(req.cols);
    return undefined;
  }
  if (!open || open.segId !== req.segId) throw new Error(`segment ${req.segId} is not open`);
  const seg = open;
  open = null;
  const files = seg.seal(req.sources);
  if (files.terms) writeFileAtomicSync(termsFileFor(req.path), files.terms);
  writeFileAtomicSync(req.path, files.segment);
  return files.sealed;
}

serveRequests(handle);
