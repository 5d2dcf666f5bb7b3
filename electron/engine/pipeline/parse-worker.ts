// The parse stage of a one-shot ingest, in its own thread: parses each source's lines, mines templates, extracts
// identifiers and packs the events into columns for the segment builders. The main thread only reads and cuts
// lines, so reading, parsing and building segments run side by side on separate cores.
import { createSourceParser } from '../parse/index.ts';
import { analysisFor, loadMiner, saveMiner } from '../analysis/template-store.ts';
import { serveRequests } from '../runtime/request-worker.ts';
import { tsWorkerData } from '../store/spawn-ts-worker.ts';
import { packEvents } from '../store/event-columns.ts';
import { BatchParser } from './batch-parser.ts';
import type { ParseRequest, ParseResult, ParseWorkerInit } from './parse-protocol.ts';

const { workspaceDir } = tsWorkerData<ParseWorkerInit>();
const miner = loadMiner(workspaceDir);
const batches = new BatchParser(miner, analysisFor(miner));

function handle(req: ParseRequest): ParseResult | undefined {
  switch (req.type) {
    case 'open':
      batches.openSource(req.sourceId, req.uri, createSourceParser(req.sample, req.ctx));
      return undefined;
    case 'lines': {
      const events = batches.parsePacked(req.sourceId, req.lines, { end: req.end });
      return { kind: 'events', cols: events.length ? packEvents(events, 0, events.length).cols : null };
    }
    case 'summary':
      return { kind: 'summary', sources: batches.finishedSources(), errors: batches.errors() };
    case 'save':
      saveMiner(workspaceDir, miner);
      return undefined;
  }
}

serveRequests(handle, (r) =>
  r?.kind === 'events' && r.cols
    ? [r.cols.nums.buffer as ArrayBuffer, r.cols.ints.buffer as ArrayBuffer]
    : [],
);
