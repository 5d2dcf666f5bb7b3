// A multi-source corpus from Loghub lines, cut into segments whose time ranges overlap across sources.
import type { FieldValue, LogEvent, SourceInfo } from '../../../shared/event.ts';
import { SEVERITIES } from '../../../shared/severity.ts';
import { buildSegment, loghubLines, makeEvent, MemoryReader, sourceInfo } from './segment-fixture.ts';

export const BASE = Date.UTC(2024, 4, 1, 0, 0, 0);

export const SOURCES: SourceInfo[] = [
  sourceInfo(1, '/var/log/hdfs.log'),
  sourceInfo(2, '/var/log/linux/messages'),
  sourceInfo(3, 'bundle.tar.gz!/var/log/auth.log'),
  sourceInfo(4, '/srv/apache/error_log'),
];
const DATASETS = ['HDFS', 'Linux', 'OpenSSH', 'Apache'];

export function corpusEvents(): LogEvent[] {
  const out: LogEvent[] = [];
  DATASETS.forEach((d, s) => {
    const sourceId = s + 1;
    loghubLines(d).forEach((raw, i) => {
      // Every source spans the same hours (so segments overlap); pairs of events share a time (ties).
      let ts: number | null = BASE + Math.floor(i / 2) * 2000 + s * 1000;
      if (sourceId === 3 && i >= 1950) ts = null;
      const fields: Record<string, FieldValue> = {};
      if (i % 4 !== 3) {
        fields.status = i % 3 === 0 ? 200 : i % 3 === 1 ? 404 : '500';
        fields.latency_ms = (i * 37) % 1000;
        fields.user = i % 5 === 0 ? 'Jane Doe' : 'root';
        fields.ok = i % 2 === 0;
      }
      out.push(
        makeEvent({
          raw,
          sourceId,
          ts,
          host: sourceId === 4 ? null : `web${i % 3}.example`,
          line: sourceId === 4 && i % 10 === 0 ? null : i + 1,
          offset: i * 100,
          severity: i % 11 === 0 ? null : SEVERITIES[i % 9],
          fields,
          template: i % 7,
          message: raw.slice(Math.min(16, raw.length)),
        }),
      );
    });
  });
  return out;
}

/** Segments of at most `size` events per source, plus one segment mixing the tails of two sources. */
export async function corpusReader(events: LogEvent[], size = 600): Promise<MemoryReader> {
  const segs = [];
  let id = 1;
  const mixed: LogEvent[] = [];
  for (const src of SOURCES) {
    const mine = events.filter((e) => e.sourceId === src.id);
    const tailFrom = src.id <= 2 ? mine.length - 150 : mine.length;
    for (let i = 0; i < tailFrom; i += size)
      segs.push(await buildSegment(id++, mine.slice(i, Math.min(i + size, tailFrom)), SOURCES));
    mixed.push(...mine.slice(tailFrom));
  }
  segs.push(await buildSegment(id, mixed, SOURCES));
  return new MemoryReader(segs);
}
