import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/event.ts';
import { severityRank } from '../../../shared/severity.ts';
import { countEvents, queryEvents } from '../../../electron/engine/query/index.ts';
import { BASE, corpusEvents, corpusReader, SOURCES } from './corpus.ts';
import { buildSegment, makeEvent, MemoryReader, refWordMatch, sourceInfo } from './segment-fixture.ts';

let events: LogEvent[];
let reader: MemoryReader;
const NOW = BASE + 3 * 3_600_000;

beforeAll(async () => {
  events = corpusEvents();
  reader = await corpusReader(events);
});
afterAll(() => reader.close());

const count = (q: string) => countEvents(reader, SOURCES, q, { now: NOW });
const ref = (pred: (e: LogEvent) => boolean) => events.filter(pred).length;
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);

describe('countEvents over many segments', () => {
  it('uses more than one segment per source and a segment mixing sources', () => {
    expect(reader.segments().length).toBeGreaterThan(8);
    expect(reader.segments().some((m) => m.sources.length > 1)).toBe(true);
  });

  it('counts every event for the empty query and for *', async () => {
    expect(await count('')).toBe(events.length);
    expect(await count('*')).toBe(events.length);
  });

  it.each([
    'error',
    'ERROR',
    'failed',
    'root',
    'block',
    'info',
    'sshd',
    'blk_38865049064139660',
    'combo',
    'the',
  ])('counts the word %s as rg -w -i would', async (w) => {
    expect(await count(w)).toBe(ref((e) => refWordMatch(e.raw, w)));
    expect(await count(w)).toBeGreaterThan(0);
  });

  it.each([
    '173.234.31.186',
    'dfs.DataNode$PacketResponder',
    'mod_jk',
    '[173.234.31.186]',
    'blk_-6952295868487656571',
  ])('counts the bare word %s (with non-word characters) exactly', async (w) => {
    expect(await count(w)).toBe(ref((e) => refWordMatch(e.raw, w)));
    expect(await count(w)).toBeGreaterThan(0);
  });

  it.each(['sshd(pam_unix)', 'workerEnv.init()', 'uid=0', 'RROR] mod_jk'])(
    'counts the phrase "%s" as a substring',
    async (p) => {
      expect(await count(JSON.stringify(p))).toBe(ref((e) => e.raw.toLowerCase().includes(p.toLowerCase())));
      expect(await count(JSON.stringify(p))).toBeGreaterThan(0);
    },
  );

  it('matches non-ASCII words case-insensitively as whole words', async () => {
    const lines = [
      'Café crème',
      'CAFÉ ouvert',
      'cafés fermés',
      'naïve-user login',
      'ошибка сети',
      'Ошибка диска',
      'x_ошибка',
    ];
    const srcs = [sourceInfo(1, 'u.log')];
    const r = new MemoryReader([
      await buildSegment(
        1,
        lines.map((raw) => makeEvent({ raw, sourceId: 1, ts: 1 })),
        srcs,
      ),
    ]);
    for (const w of ['café', 'CAFÉ', 'ошибка', 'naïve-user', 'naïve']) {
      expect(await countEvents(r, srcs, w)).toBe(lines.filter((l) => refWordMatch(l, w)).length);
    }
    expect(await countEvents(r, srcs, 'ошибка')).toBe(2);
    r.close();
  });

  it('matches a word prefix with word*', async () => {
    expect(await count('authentic*')).toBe(ref((e) => /(?<![\p{L}\p{N}_])authentic/iu.test(e.raw)));
  });

  it('does not count a word inside a longer word (fail vs failed, failure)', async () => {
    expect(await count('fail')).toBeLessThan(ref((e) => e.raw.toLowerCase().includes('fail')));
    expect(await count('fail')).toBe(ref((e) => refWordMatch(e.raw, 'fail')));
  });

  it('matches phrases case-insensitively as substrings, across word boundaries', async () => {
    for (const p of ['authentication failure', 'RROR] mod_jk', 'check pass; user unknown', 'Invalid user']) {
      expect(await count(JSON.stringify(p))).toBe(ref((e) => e.raw.toLowerCase().includes(p.toLowerCase())));
    }
  });

  it('matches /regex/ and /regex/i on the raw line', async () => {
    expect(await count('/user [a-z]+ from/')).toBe(ref((e) => /user [a-z]+ from/.test(e.raw)));
    expect(await count('/PACKETRESPONDER \\d/i')).toBe(ref((e) => /PACKETRESPONDER \d/i.test(e.raw)));
  });

  it('combines terms with implicit AND, OR, NOT and -, NOT binding tighter than AND tighter than OR', async () => {
    const w = (x: string) => (e: LogEvent) => refWordMatch(e.raw, x);
    expect(await count('failure root')).toBe(ref((e) => w('failure')(e) && w('root')(e)));
    expect(await count('failure OR block')).toBe(ref((e) => w('failure')(e) || w('block')(e)));
    expect(await count('failure -root')).toBe(ref((e) => w('failure')(e) && !w('root')(e)));
    expect(await count('NOT block')).toBe(ref((e) => !w('block')(e)));
    expect(await count('block OR failure root')).toBe(
      ref((e) => w('block')(e) || (w('failure')(e) && w('root')(e))),
    );
    expect(await count('(block OR failure) root')).toBe(
      ref((e) => (w('block')(e) || w('failure')(e)) && w('root')(e)),
    );
    expect(await count('-(block OR sshd) /\\d+\\.\\d+/')).toBe(
      ref((e) => !w('block')(e) && !w('sshd')(e) && /\d+\.\d+/.test(e.raw)),
    );
  });

  it('filters by host (exact, case-insensitive, glob) and source (substring, glob)', async () => {
    expect(await count('host:WEB1.example')).toBe(ref((e) => e.host === 'web1.example'));
    expect(await count('host:web*')).toBe(ref((e) => e.host != null));
    expect(await count('-host:web1*')).toBe(ref((e) => e.host !== 'web1.example'));
    expect(await count('source:auth.log')).toBe(ref((e) => e.sourceId === 3));
    expect(await count('source:*.log')).toBe(ref((e) => e.sourceId === 1 || e.sourceId === 3));
    expect(await count('source:linux OR source:apache')).toBe(
      ref((e) => e.sourceId === 2 || e.sourceId === 4),
    );
    expect(await count('source:nothing-like-this')).toBe(0);
  });

  it('compares severities by rank, with level: and aliases', async () => {
    const rank = (e: LogEvent) => (e.severity == null ? null : severityRank(e.severity));
    expect(await count('sev:warn')).toBe(ref((e) => e.severity === 'warn'));
    expect(await count('level:warning')).toBe(ref((e) => e.severity === 'warn'));
    expect(await count('sev>=warn')).toBe(ref((e) => rank(e) != null && rank(e)! >= 4));
    expect(await count('sev<info')).toBe(ref((e) => rank(e) != null && rank(e)! < 2));
    expect(await count('-sev>=error')).toBe(ref((e) => !(rank(e) != null && rank(e)! >= 5)));
  });

  it('compares extracted fields numerically (numbers stored as numbers or text) and text case-insensitively', async () => {
    expect(await count('status:500')).toBe(ref((e) => num(e.fields.status) === 500));
    expect(await count('status>=404')).toBe(ref((e) => num(e.fields.status) >= 404));
    expect(await count('latency_ms>500')).toBe(ref((e) => num(e.fields.latency_ms) > 500));
    expect(await count('latency_ms<=10')).toBe(ref((e) => num(e.fields.latency_ms) <= 10));
    expect(await count('user:"jane doe"')).toBe(ref((e) => e.fields.user === 'Jane Doe'));
    expect(await count('user:ja*')).toBe(ref((e) => e.fields.user === 'Jane Doe'));
    expect(await count('ok:true')).toBe(ref((e) => e.fields.ok === true));
    expect(await count('-status:200')).toBe(ref((e) => num(e.fields.status) !== 200));
    expect(await count('template:3')).toBe(ref((e) => e.template === 3));
    expect(await count('template>=5 status:404')).toBe(
      ref((e) => e.template! >= 5 && e.fields.status === 404),
    );
  });

  it('applies since:, from: and to: relative to the given now; untimed events match no time bound', async () => {
    const inRange = (a: number, b: number) => (e: LogEvent) => e.ts != null && e.ts >= a && e.ts < b;
    expect(await count('since:30m')).toBe(ref(inRange(NOW - 1_800_000, Infinity)));
    expect(await count('from:2024-05-01T00:10:00Z to:2024-05-01T00:20:00Z')).toBe(
      ref(inRange(BASE + 600_000, BASE + 1_200_000 + 1000)),
    );
    expect(await count('from:00:10 to:00:19')).toBe(ref(inRange(BASE + 600_000, BASE + 1_200_000)));
    expect(await count('to:2024-04-30')).toBe(0);
    expect(await count('-since:30m')).toBe(ref((e) => !inRange(NOW - 1_800_000, Infinity)(e)));
  });

  it('loads only the segments a time bound or source can match', async () => {
    reader.loads = [];
    await count('from:00:00 to:00:05 block');
    const loaded = new Set(reader.loads);
    expect(loaded.size).toBeGreaterThan(0);
    expect(loaded.size).toBeLessThan(reader.segments().length / 2);
    reader.loads = [];
    await count('source:hdfs error');
    const metas = reader.segments().filter((m) => reader.loads.includes(m.id));
    expect(metas.every((m) => m.sources.includes(1))).toBe(true);
  });
});

describe('queryEvents merges segments in time order', () => {
  const key = (e: LogEvent) =>
    [e.ts == null ? 1 : 0, e.ts ?? 0, e.sourceId, e.line == null ? -1 : e.line] as const;
  const cmpKey = (a: LogEvent, b: LogEvent) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  };
  const expected = () => [...events].sort(cmpKey);
  const brief = (e: LogEvent) => `${e.ts}|${e.sourceId}|${e.line}|${e.raw}`;

  it('returns every event ordered by time, then source, then line, untimed last', async () => {
    const all = await queryEvents(reader, SOURCES, '', { limit: 100_000 });
    expect(all.length).toBe(events.length);
    expect(all.map(brief)).toEqual(expected().map(brief));
  });

  it('returns the same order when read in small chunks, and pages with offset', async () => {
    const all = await queryEvents(reader, SOURCES, '', { limit: 100_000, chunk: 7 });
    expect(all.map(brief)).toEqual(expected().map(brief));
    const page = await queryEvents(reader, SOURCES, '', { limit: 50, offset: 3990, chunk: 13 });
    expect(page.map(brief)).toEqual(expected().slice(3990, 4040).map(brief));
  });

  it('returns newest first with order desc, untimed still last', async () => {
    const desc = await queryEvents(reader, SOURCES, '', { limit: 100_000, order: 'desc', chunk: 11 });
    const timed = expected()
      .filter((e) => e.ts != null)
      .reverse();
    expect(desc.slice(0, timed.length).map(brief)).toEqual(timed.map(brief));
    expect(desc.slice(timed.length).every((e) => e.ts == null)).toBe(true);
    expect(desc.length).toBe(events.length);
  });

  it('returns matching events with their fields, severity and message', async () => {
    const got = await queryEvents(reader, SOURCES, 'status:404 sev>=warn source:auth', { limit: 1000 });
    const want = expected().filter(
      (e) =>
        e.fields.status === 404 && e.severity != null && severityRank(e.severity) >= 4 && e.sourceId === 3,
    );
    expect(got).toEqual(want);
  });

  it('orders ties of time, source and line deterministically across chunk sizes', async () => {
    const tied = Array.from({ length: 60 }, (_, i) =>
      makeEvent({
        raw: `tie ${i}`,
        sourceId: 1 + (i % 2),
        ts: i < 50 ? 5000 : null,
        line: i % 3 === 0 ? null : 7,
      }),
    );
    const srcs = [sourceInfo(1, 'a.log'), sourceInfo(2, 'b.log')];
    const r = new MemoryReader([
      await buildSegment(1, tied.slice(0, 30), srcs),
      await buildSegment(2, tied.slice(30), srcs),
    ]);
    const full = (await queryEvents(r, srcs, '', { limit: 1000 })).map((e) => e.raw);
    expect(new Set(full).size).toBe(60);
    for (const chunk of [1, 2, 5]) {
      expect((await queryEvents(r, srcs, '', { limit: 1000, chunk })).map((e) => e.raw)).toEqual(full);
      const desc = (await queryEvents(r, srcs, '', { limit: 1000, chunk, order: 'desc' })).map((e) => e.raw);
      expect(new Set(desc).size).toBe(60);
    }
    const evs = await queryEvents(r, srcs, '', { limit: 1000 });
    for (let i = 1; i < evs.length; i++) expect(cmpKey(evs[i - 1], evs[i])).toBeLessThanOrEqual(0);
    r.close();
  });
});
