// The query stage: the query language compiled to SQL per segment, results merged across segments,
// histogram buckets, and read-only SQL over the `events` view.
export { countEvents, queryEvents, type QueryOptions } from './execute.ts';
export { bucketCounts, UNKNOWN_GROUP, type BucketCounts, type BucketOptions } from './buckets.ts';
export { runSql, checkReadOnly, SqlQueryError, DEFAULT_SQL_ROW_CAP, type SqlResult } from './sql.ts';
export { compileQuery, type CompiledQuery } from './compile.ts';
export {
  planQuery,
  expandTemplates,
  segmentFilterFor,
  mayMatch,
  type QueryPlan,
  type TemplateMembers,
} from './plan.ts';
