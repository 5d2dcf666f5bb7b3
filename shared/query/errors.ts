/** A query that cannot be parsed; `position` is the 0-based index of the character the problem is at. */
export class QuerySyntaxError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}
