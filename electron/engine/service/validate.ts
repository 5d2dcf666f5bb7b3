// Every request is checked here before it reaches the engine, whichever transport brought it (IPC, WebSocket,
// worker). Schemas are strict (unknown keys are rejected) and bounded by API_LIMITS, so a hostile or buggy
// renderer cannot make the engine allocate without limit.
import { z } from 'zod';
import { API_LIMITS, API_METHODS, TICKET_PATTERN, type ApiMethod } from '../../../shared/api.ts';
import { MAX_CLOCK_OFFSET_MS } from '../../../shared/clock-offset.ts';
import { ANALYSIS_SCHEMAS } from './analysis-api.ts';
import { ApiFailure } from './api-failure.ts';
import { LIVE_SCHEMAS } from './live-api.ts';

/** ±100 million days around the epoch: what a JavaScript Date can hold. */
const MAX_TIME_MS = 8.64e15;
const MAX_PATH_LENGTH = 4096;
const MAX_NAME_LENGTH = 100;
/** Wider than any screen: one bucket per pixel column of a 4K-wide timeline and then some. */
export const MAX_BUCKETS = 10_000;
export const MAX_CONTEXT_LINES = 1_000;
export const MAX_CONTEXT_SECONDS = 86_400;
const MAX_OFFSET = 1e12;

const timeMs = z.int().min(-MAX_TIME_MS).max(MAX_TIME_MS).nullable().default(null);
const queryText = z.string().max(API_LIMITS.maxQueryLength);
const noParams = z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => undefined);

const ingestSchema = z.strictObject({
  paths: z.array(z.string().min(1).max(MAX_PATH_LENGTH)).min(1).max(API_LIMITS.maxPaths),
  format: z.string().min(1).max(MAX_NAME_LENGTH).nullable().optional(),
  timezone: z.string().min(1).max(MAX_NAME_LENGTH).nullable().optional(),
});

const ticket = z.string().regex(TICKET_PATTERN, 'must be 1 to 64 letters, digits, "-" or "_"');

const querySchema = z.strictObject({
  query: queryText,
  offset: z.int().min(0).max(MAX_OFFSET).default(0),
  limit: z.int().min(1).max(API_LIMITS.maxPageRows),
  order: z.enum(['asc', 'desc']).default('asc'),
  from: timeMs,
  to: timeMs,
  ticket: ticket.optional(),
});

const cancelSchema = z.strictObject({
  tickets: z.array(ticket).max(API_LIMITS.maxCancelTickets),
});

const countSchema = z.strictObject({ query: queryText, from: timeMs, to: timeMs });

const bucketsSchema = z.strictObject({
  query: queryText,
  buckets: z.int().min(1).max(MAX_BUCKETS),
  groupBy: z.enum(['severity', 'host', 'source']).default('severity'),
  from: timeMs,
  to: timeMs,
});

const contextSchema = z.strictObject({
  id: z
    .string()
    .max(40)
    .regex(/^\d{1,15}:\d{1,15}$/, 'must be "<segment>:<row>"'),
  lines: z.int().min(0).max(MAX_CONTEXT_LINES),
  seconds: z.number().min(0).max(MAX_CONTEXT_SECONDS),
});

const clockOffsetSchema = z.strictObject({
  sourceId: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  offsetMs: z.int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS),
});

export const REQUEST_SCHEMAS = {
  workspace: noParams,
  sources: noParams,
  setClockOffset: clockOffsetSchema,
  ingest: ingestSchema,
  query: querySchema,
  cancelQueries: cancelSchema,
  queryStats: noParams,
  count: countSchema,
  buckets: bucketsSchema,
  context: contextSchema,
  ...ANALYSIS_SCHEMAS,
  ...LIVE_SCHEMAS,
} as const satisfies Record<ApiMethod, z.ZodType>;

export type ValidRequest<M extends ApiMethod> = z.output<(typeof REQUEST_SCHEMAS)[M]>;

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as readonly string[]).includes(method);
}

/** Checks the method name and its params; throws ApiFailure('invalid-request') naming the first problem. */
export function validateRequest<M extends ApiMethod>(method: M, params: unknown): ValidRequest<M>;
export function validateRequest(method: unknown, params: unknown): unknown;
export function validateRequest(method: unknown, params: unknown): unknown {
  if (!isApiMethod(method)) {
    const shown = typeof method === 'string' ? `"${method.slice(0, 40)}"` : typeof method;
    throw invalid(`unknown method ${shown} (expected one of: ${API_METHODS.join(', ')})`);
  }
  const parsed = REQUEST_SCHEMAS[method].safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw invalid(`${method}: ${where}${issue?.message ?? 'invalid parameters'}`);
}

function invalid(message: string): ApiFailure {
  return new ApiFailure({ code: 'invalid-request', message });
}
