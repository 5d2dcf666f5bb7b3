// The syntax tree of a search query. Every node carries where it came from (0-based `[start, end)` in the text),
// so the search box can underline a term and errors can point at it.

export type CompareOp = '=' | '>' | '>=' | '<' | '<=';

export interface Span {
  start: number;
  end: number;
}

/** Matches every event (the empty query, or `*`). */
export interface AllNode extends Span {
  type: 'all';
}

export interface AndNode extends Span {
  type: 'and';
  children: QueryNode[];
}

export interface OrNode extends Span {
  type: 'or';
  children: QueryNode[];
}

export interface NotNode extends Span {
  type: 'not';
  child: QueryNode;
}

/** A case-insensitive whole word of the raw line (what `rg -w -i` finds); `prefix` for `word*`. */
export interface WordNode extends Span {
  type: 'word';
  word: string;
  prefix: boolean;
}

/** A case-insensitive substring of the raw line. */
export interface PhraseNode extends Span {
  type: 'phrase';
  text: string;
}

/** A JavaScript regular expression over the raw line. */
export interface RegexNode extends Span {
  type: 'regex';
  source: string;
  flags: string;
}

/** How a text-valued field (host, source, extracted field) is matched. */
export type TextMatch =
  | { kind: 'exact'; value: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'regex'; source: string; flags: string };

/** `host:web1`, `host:web*`, `host:/web\d/`: case-insensitive. */
export interface HostNode extends Span {
  type: 'host';
  match: TextMatch;
}

/** `source:auth.log` (substring of the source URI), `source:*.gz` (glob over the whole URI). */
export interface SourceNode extends Span {
  type: 'source';
  match: TextMatch;
}

/** `sev:warn`, `level>=error`: compares ranks on the scale of shared/severity.ts. */
export interface SeverityNode extends Span {
  type: 'severity';
  op: CompareOp;
  rank: number;
}

/** `template:12`. */
export interface TemplateNode extends Span {
  type: 'template';
  op: CompareOp;
  id: number;
}

export type FieldValue =
  | { kind: 'number'; value: number }
  | { kind: 'text'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'glob'; pattern: string }
  | { kind: 'regex'; source: string; flags: string };

/** Any extracted field: `status:500`, `latency_ms>500`, `user:"jane doe"`, `path:/api/*`. */
export interface FieldNode extends Span {
  type: 'field';
  name: string;
  op: CompareOp;
  value: FieldValue;
}

/**
 * `anomaly>=0.5`: the event's anomaly score (0..1), computed at read time from the workspace's model, so it is
 * checked on the rows the rest of the query selects, never looked up in an index.
 */
export interface AnomalyNode extends Span {
  type: 'anomaly';
  op: CompareOp;
  score: number;
}

/** Time bounds in ms since the epoch, UTC: `from` inclusive, `to` exclusive; null means open. */
export interface TimeNode extends Span {
  type: 'time';
  from: number | null;
  to: number | null;
}

export type QueryNode =
  | AllNode
  | AndNode
  | OrNode
  | NotNode
  | WordNode
  | PhraseNode
  | RegexNode
  | HostNode
  | SourceNode
  | SeverityNode
  | TemplateNode
  | FieldNode
  | AnomalyNode
  | TimeNode;

/** A parsed query is its root node. */
export type QueryAst = QueryNode;
