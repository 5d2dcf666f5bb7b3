import { describe, expect, it } from 'vitest';
import { describeQuery, parseQuery, QuerySyntaxError } from '../../../shared/query/index.ts';

const NOW = Date.UTC(2024, 4, 1, 12, 30, 0);
const d = (q: string) => describeQuery(parseQuery(q, { now: NOW }));

function syntaxError(q: string): QuerySyntaxError {
  try {
    parseQuery(q, { now: NOW });
  } catch (err) {
    if (err instanceof QuerySyntaxError) return err;
    throw err;
  }
  throw new Error(`"${q}" parsed without error`);
}

describe('parseQuery', () => {
  it('parses the empty query (and *) as match-all', () => {
    expect(parseQuery('')).toMatchObject({ type: 'all' });
    expect(parseQuery('   ')).toMatchObject({ type: 'all' });
    expect(d('*')).toBe('*');
  });

  it('parses words, prefixes, phrases and regexes with their positions', () => {
    expect(parseQuery('error')).toEqual({ type: 'word', word: 'error', prefix: false, start: 0, end: 5 });
    expect(parseQuery(' fail*')).toEqual({ type: 'word', word: 'fail', prefix: true, start: 1, end: 6 });
    expect(parseQuery('"a \\"b\\" c"')).toMatchObject({ type: 'phrase', text: 'a "b" c', start: 0, end: 11 });
    expect(parseQuery('/err(or)?\\//i')).toMatchObject({ type: 'regex', source: 'err(or)?\\/', flags: 'i' });
    expect(parseQuery('/a[/]b/')).toMatchObject({ type: 'regex', source: 'a[/]b', flags: '' });
    expect(d('10.0.0.1 foo-bar')).toBe('(10.0.0.1 AND foo-bar)');
  });

  it('gives NOT precedence over AND, and AND over OR', () => {
    expect(d('a OR b c')).toBe('(a OR (b AND c))');
    expect(d('a b OR c')).toBe('((a AND b) OR c)');
    expect(d('NOT a b')).toBe('(NOT a AND b)');
    expect(d('-a OR b')).toBe('(NOT a OR b)');
    expect(d('a AND b OR c AND d')).toBe('((a AND b) OR (c AND d))');
    expect(d('(a OR b) c')).toBe('((a OR b) AND c)');
    expect(d('-(a OR b) NOT -c')).toBe('(NOT (a OR b) AND NOT NOT c)');
    expect(d('a or b')).toBe('(a AND or AND b)');
  });

  it('parses built-in fields and extracted fields with comparisons', () => {
    expect(d('host:web1 host:web* source:auth.log source:/\\.gz$/')).toBe(
      '(host:"web1" AND host:web* AND source:"auth.log" AND source:/\\.gz$/)',
    );
    expect(d('sev:warning level>=ERR severity<info')).toBe('(sev:warn AND sev>=error AND sev<info)');
    expect(d('template:12 template>=3')).toBe('(template:12 AND template>=3)');
    expect(d('status:500 latency_ms>500 latency_ms<=1.5e3 code=-1')).toBe(
      '(status:500 AND latency_ms>500 AND latency_ms<=1500 AND code:-1)',
    );
    expect(d('status:>=500 user:"jane doe" path:/api/* ok:true name:bob')).toBe(
      '(status>=500 AND user:"jane doe" AND path:/api/* AND ok:true AND name:"bob")',
    );
    expect(d('user:"500"')).toBe('user:"500"');
  });

  it('parses since:, from: and to: relative to now, in UTC', () => {
    expect(parseQuery('since:15m', { now: NOW })).toMatchObject({
      type: 'time',
      from: NOW - 900_000,
      to: null,
    });
    expect(parseQuery('since:2h', { now: NOW })).toMatchObject({ from: NOW - 7_200_000 });
    expect(parseQuery('since:1w', { now: NOW })).toMatchObject({ from: NOW - 7 * 86_400_000 });
    // `to:` includes the whole period written: a day, a minute, a second.
    expect(parseQuery('from:2024-04-30', { now: NOW })).toMatchObject({
      from: Date.UTC(2024, 3, 30),
      to: null,
    });
    expect(parseQuery('to:2024-04-30', { now: NOW })).toMatchObject({ from: null, to: Date.UTC(2024, 4, 1) });
    expect(parseQuery('to:10:15', { now: NOW })).toMatchObject({ to: Date.UTC(2024, 4, 1, 10, 16) });
    expect(parseQuery('from:10:15:30.250', { now: NOW })).toMatchObject({
      from: Date.UTC(2024, 4, 1, 10, 15, 30, 250),
    });
    expect(parseQuery('from:2024-04-30T10:00:00+02:00', { now: NOW })).toMatchObject({
      from: Date.UTC(2024, 3, 30, 8),
    });
    expect(parseQuery('from:"2024-04-30 10:00"', { now: NOW })).toMatchObject({
      from: Date.UTC(2024, 3, 30, 10),
    });
    expect(parseQuery('from:3h to:1h', { now: NOW })).toMatchObject({
      type: 'and',
      children: [{ from: NOW - 3 * 3_600_000 }, { to: NOW - 3_600_000 }],
    });
  });

  it.each([
    ['a OR', 4, /expected a term after OR/],
    ['OR a', 0, /expected a term before OR/],
    ['a AND OR b', 6, /expected a term after AND, not OR/],
    ['NOT', 3, /expected a term after NOT/],
    ['(a b', 4, /expected \) to close the \( at character 1/],
    ['a )', 2, /unexpected \) without a matching \(/],
    ['()', 1, /expected a term inside the parentheses/],
    ['"open phrase', 0, /expected a closing "/],
    ['x /abc', 2, /expected \/pattern\//],
    ['/abc/gx', 5, /flags among i, m, s, u/],
    ['/a(b/', 0, /expected a valid regular expression/],
    ['status:', 7, /expected a value after "status:"/],
    ['sev:loud', 4, /expected a severity: trace, debug/],
    ['since:yesterday', 6, /expected a duration like 30s, 15m/],
    ['from:2024-13-01', 5, /expected a date or time/],
    ['template:abc', 9, /expected a template id/],
    ['host>web', 0, /expected host:/],
    ['path>/x*/', 5, /expected a number or text/],
  ])('rejects %j at character %i naming what was expected', (q, position, message) => {
    const err = syntaxError(q);
    expect(err.position).toBe(position);
    expect(err.message).toMatch(message);
  });
});
