// Instant syntax checking while typing, with the same parser the engine uses, so an error shows at its
// character before the query is even run.
import type { ApiError } from '../../shared/api.ts';
import { parseQuery, QuerySyntaxError } from '../../shared/query/index.ts';

export function checkSyntax(text: string): ApiError | null {
  try {
    parseQuery(text);
    return null;
  } catch (err) {
    if (err instanceof QuerySyntaxError)
      return { code: 'bad-query', message: err.message, position: err.position };
    return null;
  }
}
