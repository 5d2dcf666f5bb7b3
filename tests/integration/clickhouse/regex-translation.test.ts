// The query language's text matches, run by ClickHouse 18.16's match() (RE2) on patterns from re2.ts, find
// exactly the strings JavaScript finds locally: words (rg -w -i), phrases, globs and translated /regexes/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globToRegex, phraseRegex, wordRegex } from '../../../electron/engine/query/match.ts';
import {
  globPattern,
  phrasePattern,
  regexPattern,
  UnsupportedRegex,
  wordPattern,
} from '../../../electron/engine/query/clickhouse/re2.ts';
import { quoteString } from '../../../electron/engine/store/clickhouse/sql-text.ts';
import { requireProgram } from '../../helpers/require-program.ts';
import { CLICKHOUSE_PROGRAM, ClickHouseServer } from '../../../bench/sections/clickhouse/server.ts';

const TEXTS = [
  'error: disk full',
  'ERROR',
  'errors everywhere',
  'an_error here',
  'error_x',
  'xerror',
  'Error.',
  '(error)',
  'the ſshd daemon',
  'SSHD restarted',
  'sshd[123]: Accepted',
  'KELVIN 300K',
  'Kelvin',
  'naïve café',
  'NAÏVE CAFÉ',
  'cafe',
  'Straße STRASSE straße',
  'ÄRGER ärger',
  '日本語テスト',
  '日本語 テスト',
  'emoji 😀 here',
  '10.251.73.220:50010',
  '110.251.73.2201',
  'foo-bar baz',
  'foo-barbaz',
  '[pid] x',
  'a[pid]b',
  'tab\there',
  'line one\nline two',
  'carriage\rreturn',
  'sep\u2028line',
  'e\u0301 combining',
  'x_y user=root',
  'user  admin',
  '',
  'ℌello',
  'Ⓐbc',
  'a²b',
  'k',
  'K',
  's',
  'ſ',
];

const WORDS = [
  'error',
  'ERROR',
  'sshd',
  'ssh',
  'kelvin',
  'café',
  'naïve',
  'straße',
  'ärger',
  '日本語',
  '10.251.73.220',
  'foo-bar',
  '[pid]',
  'x_y',
  'root',
  'k',
  's',
  'e',
  'abc',
  '😀',
];
const PHRASES = ['disk full', 'NAÏVE', 'ärger', 'ſsh', 'line one\nline', 'ssh', 'é'];
const GLOBS = ['err*', '*ſ*', 'k*', '*😀*', 's?d', 'caf?', '*'];
const REGEXES: [string, string][] = [
  ['error', ''],
  ['error', 'i'],
  ['^ERROR$', ''],
  ['\\berror\\b', 'i'],
  ['user\\s+\\w+', ''],
  ['\\d+\\.\\d+\\.\\d+\\.\\d+', ''],
  ['[a-z]+_[a-z]+', ''],
  ['[^\\x00-\\x7f]', ''],
  ['caf.', 'u'],
  ['caf.', ''],
  ['\\w+é', 'u'],
  ['^line', 'm'],
  ['one$', 'm'],
  ['^return', 'm'],
  ['carriage$', 'm'],
  ['sep$', 'm'],
  ['^two$', 'm'],
  ['one.line', 's'],
  ['one.line', ''],
  ['k', 'iu'],
  ['k', 'i'],
  ['s', 'iu'],
  ['ſ', 'i'],
  ['straße', 'iu'],
  ['\\p{L}+\\d', 'u'],
  ['\\p{Script=Han}{2}', 'u'],
  ['[\\p{Lu}]{3,}', 'u'],
  ['\\S+@\\S+', ''],
  ['(?:foo|bar)-?baz', ''],
  ['(?<word>err)or', ''],
  ['a{2,3}', ''],
  ['x{', ''],
  ['\\u00e9', ''],
  ['\\u{1F600}', 'u'],
  ['[😀]', 'u'],
  ['\\x41', 'i'],
  ['\\cI', ''],
  ['\\tthere', ''],
  ['.+?:', ''],
  ['[\\s\\S]', ''],
  ['[^]', ''],
  ['[]', ''],
  ['\\.', ''],
  ['\\/', ''],
  ['e\\u0301', ''],
];

describe.runIf(requireProgram(CLICKHOUSE_PROGRAM))('text matches on ClickHouse 18.16', () => {
  let server: ClickHouseServer;
  beforeAll(async () => {
    server = await ClickHouseServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const array = `[${TEXTS.map(quoteString).join(', ')}]`;

  /** ClickHouse's answer for every text, as 0/1. */
  async function onServer(pattern: string): Promise<boolean[]> {
    const reply = await server.query(
      `SELECT arrayMap(x -> match(x, ${quoteString(pattern)}), ${array}) FORMAT JSONEachRow`,
    );
    const row = JSON.parse(reply) as Record<string, number[]>;
    return Object.values(row)[0].map((v) => v === 1);
  }

  async function expectSame(pattern: string, js: RegExp): Promise<void> {
    const got = await onServer(pattern);
    const want = TEXTS.map((t) => js.test(t));
    const diff = TEXTS.filter((_, i) => got[i] !== want[i]);
    expect(diff, `${js} as ${pattern.slice(0, 200)}`).toEqual([]);
  }

  it.each(WORDS)('word %s (and %s*) as rg -w -i finds it', async (w) => {
    await expectSame(wordPattern(w, false), wordRegex(w, false));
    await expectSame(wordPattern(w, true), wordRegex(w, true));
  });

  it.each(PHRASES)('phrase %j, case-insensitive', async (p) => {
    await expectSame(phrasePattern(p), phraseRegex(p));
  });

  it.each(GLOBS)('glob %s over the whole value', async (g) => {
    await expectSame(globPattern(g), globToRegex(g));
  });

  it.each(REGEXES)('/%s/%s', async (source, flags) => {
    await expectSame(regexPattern(source, flags), new RegExp(source, flags));
  });

  it.each([
    ['(?=a)b', 'lookahead'],
    ['(?<!a)b', 'lookbehind'],
    ['(a)\\1', 'backreference'],
    ['(?<n>a)\\k<n>', 'named backreference'],
    ['a{1001}', 'repeat count over 1000'],
  ])('refuses /%s/: %s', (source, what) => {
    expect(() => regexPattern(source, '')).toThrow(UnsupportedRegex);
    expect(() => regexPattern(source, '')).toThrow(what);
  });
});
