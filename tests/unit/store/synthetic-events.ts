// Deterministic synthetic events for the store's tests.
import { newSource, type LogEvent, type SourceInfo } from '../../../shared/event.ts';
import { SEVERITIES } from '../../../shared/severity.ts';
import type { Workspace } from '../../../electron/engine/store/index.ts';

export const T0 = Date.UTC(2024, 0, 15, 8, 0, 0);

export function addTestSource(ws: Workspace, uri: string, fingerprint: string | null = null): SourceInfo {
  return ws.addSource(newSource({ uri, kind: 'file', format: 'syslog', formatReason: 'test', fingerprint }));
}

/** Event k of a source: one per second from T0, hosts h0..h2, every 10th untimed, every 3rd with fields. */
export function syntheticEvent(sourceId: number, k: number): LogEvent {
  const message = `request ${k} served by worker_${k % 7} status ${k % 5 === 0 ? 500 : 200}`;
  const prefix = `2024-01-15 host${k % 3} app[${k}]: `;
  return {
    ts: k % 10 === 9 ? null : T0 + k * 1000,
    host: `host${k % 3}`,
    sourceId,
    line: k + 1,
    offset: k * 80,
    severity: SEVERITIES[k % SEVERITIES.length],
    message,
    raw: prefix + message,
    fields: k % 3 === 0 ? { status: k % 5 === 0 ? 500 : 200, worker: `worker_${k % 7}` } : {},
    template: null,
    anomaly: 0,
  };
}

export function syntheticBatch(sourceId: number, start: number, n: number): LogEvent[] {
  const out: LogEvent[] = [];
  for (let k = start; k < start + n; k++) out.push(syntheticEvent(sourceId, k));
  return out;
}
