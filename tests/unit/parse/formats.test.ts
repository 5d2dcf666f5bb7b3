// Choosing formats: the forced override, the format list, and user-defined formats from JSON files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSourceParser,
  detectFormat,
  listFormats,
  loadUserFormats,
} from '../../../electron/engine/parse/index.ts';
import { iso, parseLines } from './run-lines.ts';

const BUILTIN = [
  'syslog-rfc5424',
  'syslog-rfc3164',
  'access-combined',
  'access-common',
  'apache-error',
  'glog',
  'redis',
  'json',
  'logfmt',
  'generic',
  'text',
];

function formatDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flumen-formats-'));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
}

const GAME = {
  name: 'gameserver',
  description: 'Our game server',
  regex:
    '^(?<time>\\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2}:\\d{2}) <(?<level>\\w+)> @(?<host>[\\w-]+) player=(?<player>\\w+) (?<message>.*)$',
  timeFormat: '%d.%m.%Y %H:%M:%S',
  samples: ['24.12.2023 18:30:00 <WARN> @eu-1 player=bob lag spike 300ms'],
};

describe('format choice', () => {
  it('lists the built-in formats by machine name', () => {
    expect(listFormats().map((f) => f.name)).toEqual(BUILTIN);
    expect(listFormats().every((f) => f.description.length > 0)).toBe(true);
  });

  it('uses a forced format instead of detecting, and says so', () => {
    const { parser, events } = parseLines(['Jun 14 15:16:01 combo app: x'], { format: 'text' });
    expect(parser.format).toBe('text');
    expect(parser.reason).toMatch(/^forced/);
    expect(events[0]).toMatchObject({ ts: null, message: 'Jun 14 15:16:01 combo app: x' });
  });

  it('rejects an unknown forced format, listing the known ones', () => {
    expect(() => detectFormat(['x'], { uri: 'a', mtimeMs: null, format: 'nope' })).toThrow(
      /unknown format "nope"; known formats: syslog-rfc5424, syslog-rfc3164, .*generic, text/,
    );
  });

  it('falls back to text when no line has a timestamp or a known shape', () => {
    const d = detectFormat(['hello world', 'just words here'], { uri: 'a', mtimeMs: null });
    expect(d.format).toBe('text');
    expect(d.reason).toMatch(/^detected: no timestamps/);
  });

  it('says how many sample lines matched the detected format', () => {
    const sample = ['Jun 14 15:16:01 h a: x', 'Jun 14 15:16:02 h a: y', 'garbage line'];
    expect(detectFormat(sample, { uri: 'a', mtimeMs: null })).toEqual({
      format: 'syslog-rfc3164',
      reason: 'detected: 2/3 sample lines match syslog-rfc3164',
    });
  });
});

describe('user formats', () => {
  it('loads a good format file, detects it first and parses with its regex and time format', () => {
    const dir = formatDir({ 'game.json': GAME });
    const loaded = loadUserFormats([dir]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.formats.map((f) => f.name)).toEqual(['gameserver']);
    expect(listFormats({ formatDirs: [dir] })[0]).toEqual({
      name: 'gameserver',
      description: 'Our game server',
    });

    const { parser, events } = parseLines(['25.12.2023 07:00:01 <ERROR> @us-2 player=amy 42 disconnected'], {
      formatDirs: [dir],
      timezone: 'Europe/Berlin',
    });
    expect(parser.format).toBe('gameserver');
    expect(iso(events[0].ts)).toBe('2023-12-25T06:00:01.000Z');
    expect(events[0]).toMatchObject({
      severity: 'error',
      host: 'us-2',
      message: '42 disconnected',
      fields: { player: 'amy' },
    });
  });

  it('reports each bad file with its reason and still loads the good ones', () => {
    const dir = formatDir({
      'a-good.json': GAME,
      'b-broken.json': '{ "name": ',
      'c-badregex.json': { ...GAME, name: 'c', regex: '(?<time>[' },
      'd-nomatch.json': { ...GAME, name: 'd', samples: ['does not match'] },
      'e-builtin.json': { ...GAME, name: 'json' },
      'f-badtime.json': { ...GAME, name: 'f', timeFormat: '%Y-%m-%d' },
    });
    const { formats, errors } = loadUserFormats([dir, join(dir, 'missing-folder')]);
    expect(formats.map((f) => f.name)).toEqual(['gameserver']);
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/b-broken\.json: not valid JSON/);
    expect(errors[1]).toMatch(/c-badregex\.json: "regex" does not compile/);
    expect(errors[2]).toMatch(/d-nomatch\.json: sample 1 does not match the regex/);
    expect(errors[3]).toMatch(/e-builtin\.json: name "json" is taken by a built-in format/);
    expect(errors[4]).toMatch(/f-badtime\.json: sample 1: time "24\.12\.2023 18:30:00" cannot be read/);
  });

  it('can be forced by name on a source', () => {
    const dir = formatDir({ 'game.json': GAME });
    const p = createSourceParser([], {
      uri: 'x',
      mtimeMs: null,
      format: 'gameserver',
      formatDirs: [dir],
      timezone: 'UTC',
    });
    expect(p.format).toBe('gameserver');
  });
});
