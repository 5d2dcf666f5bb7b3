// The query language shared by the search box and `flumen query` (see README.md in this folder).
export type * from './ast.ts';
export { QuerySyntaxError } from './errors.ts';
export { parseQuery, type ParseOptions } from './parser.ts';
export { describeQuery } from './describe.ts';
export { parseDuration, parseTimeValue } from './time.ts';
