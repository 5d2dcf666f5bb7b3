// ClickHouse's HTTP interface over Node's http/https (no driver package): one statement per request, SQL in the
// body, or in the URL when the body carries rows (INSERT … FORMAT JSONEachRow). Failures are told apart, because
// the writer treats them differently: the server refused the statement (ClickHouseError, with its code), or the
// server could not be reached or stopped answering (ClickHouseUnavailable: whatever was sent may or may not have
// landed).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { CA_ENV, describeTarget, PASSWORD_ENV, type ClickHouseTarget } from './url.ts';

export class ClickHouseError extends Error {
  constructor(
    message: string,
    /** ClickHouse's error code (`Code: 60` …), 0 when the reply did not carry one. */
    readonly code: number,
  ) {
    super(message);
    this.name = 'ClickHouseError';
  }
}

export class ClickHouseUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClickHouseUnavailable';
  }
}

/** Server errors worth retrying: the server is overloaded, restarting or timed out, not refusing the statement. */
const TRANSIENT_CODES = new Set([
  159, // TIMEOUT_EXCEEDED
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  216, // QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING: an earlier attempt of this insert is still running
  241, // MEMORY_LIMIT_EXCEEDED
  252, // TOO_MANY_PARTS
  425, // SYSTEM_ERROR
  999, // KEEPER_EXCEPTION
]);

/** UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTHENTICATION_FAILED. */
const AUTH_CODES = new Set([192, 193, 194, 516]);

/** True when trying again later may succeed (the server is down, slow or busy). */
export function isTransient(err: unknown): boolean {
  if (err instanceof ClickHouseUnavailable) return true;
  return err instanceof ClickHouseError && TRANSIENT_CODES.has(err.code);
}

export interface RequestOptions {
  /** Rows sent after the statement (the statement then goes in the URL). */
  body?: string | Buffer;
  /** Server settings for this statement only (`readonly`, `max_result_rows`, …). */
  settings?: Record<string, string | number>;
  /** ClickHouse's query_id: a second statement with the same id is refused while the first runs. */
  queryId?: string;
  /** No reply within this long: the request is abandoned as ClickHouseUnavailable. */
  timeoutMs?: number;
  /** A reply longer than this many bytes fails (bounded memory for --sql); default 256 MiB. */
  maxReplyBytes?: number;
  /** Run outside the target database (before it exists); statements name their tables in full anyway. */
  noDatabase?: boolean;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_REPLY = 256 * 1024 * 1024;

/** The system's certificate authorities, plus FLUMEN_CLICKHOUSE_CA's when set. */
function trustedCas(target: ClickHouseTarget): string[] | undefined {
  if (!target.caFile) return undefined;
  let pem: string;
  try {
    pem = readFileSync(target.caFile, 'utf8');
  } catch (err) {
    throw new Error(`${CA_ENV} ${target.caFile}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
      cause: err,
    });
  }
  return [...tls.rootCertificates, pem];
}

export class ClickHouseClient {
  private readonly agent: http.Agent;
  readonly label: string;

  constructor(readonly target: ClickHouseTarget) {
    // Keep-alive, but idle connections are dropped after 2 s: ClickHouse closes them after 3 s by default, and a
    // request written into a connection the server just closed fails for nothing. (A request sets its own
    // timeout while it runs.)
    const opts = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 8, timeout: 2000 };
    this.agent = target.tls ? new https.Agent({ ...opts, ca: trustedCas(target) }) : new http.Agent(opts);
    this.label = describeTarget(target);
  }

  /** Runs one statement and returns the reply's text. */
  async request(sql: string, opts: RequestOptions = {}): Promise<string> {
    try {
      return await this.once(sql, opts);
    } catch (err) {
      // A kept-alive connection the server had closed: a statement without rows is sent again at once. Rows are
      // not: the server may have taken them before the connection broke, which only the writer can check.
      if (
        opts.body == null &&
        err instanceof ClickHouseUnavailable &&
        (err.cause as { reused?: boolean })?.reused
      )
        return this.once(sql, opts);
      throw err;
    }
  }

  /** A SELECT's rows as objects (FORMAT JSONEachRow added here); 64-bit integers come back as numbers. */
  async rows<T = Record<string, unknown>>(sql: string, opts: RequestOptions = {}): Promise<T[]> {
    const text = await this.request(`${sql}\nFORMAT JSONEachRow`, {
      ...opts,
      settings: { output_format_json_quote_64bit_integers: 0, ...opts.settings },
    });
    const out: T[] = [];
    for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as T);
    return out;
  }

  /** Runs a statement that returns nothing (DDL, INSERT … VALUES). */
  async exec(sql: string, opts: RequestOptions = {}): Promise<void> {
    await this.request(sql, opts);
  }

  close(): void {
    this.agent.destroy();
  }

  private once(sql: string, opts: RequestOptions): Promise<string> {
    const t = this.target;
    const params = new URLSearchParams(opts.noDatabase ? {} : { database: t.database });
    for (const [k, v] of Object.entries(opts.settings ?? {})) params.set(k, String(v));
    if (opts.queryId) params.set('query_id', opts.queryId);
    let body: string | Buffer = sql;
    if (opts.body != null) {
      params.set('query', sql);
      body = opts.body;
    }
    const mod = t.tls ? https : http;
    const maxReply = opts.maxReplyBytes ?? DEFAULT_MAX_REPLY;
    return new Promise<string>((resolve, reject) => {
      const req = mod.request(
        {
          host: t.host,
          port: t.port,
          method: 'POST',
          path: `/?${params}`,
          agent: this.agent,
          headers: {
            Authorization: 'Basic ' + Buffer.from(`${t.user}:${t.password}`).toString('base64'),
            'Content-Type': 'text/plain; charset=utf-8',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxReply) {
              req.destroy(
                new ClickHouseError(`${this.label}: the reply is larger than ${maxReply} bytes`, 0),
              );
              return;
            }
            chunks.push(c);
          });
          res.on('error', (err) => reject(this.unavailable(err, false)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) {
              // A failure after the first bytes of a reply arrives as an exception at its end (status already 200).
              const late = /(?:^|\n)Code: (\d+)[.,] (?:e\.displayText\(\) = )?([^\n]*)\s*$/.exec(text);
              if (late) reject(new ClickHouseError(this.message(late[2]), Number(late[1])));
              else resolve(text);
              return;
            }
            const m = /Code: (\d+)[.,]\s*(?:e\.displayText\(\) = )?([\s\S]*)/.exec(text);
            if (m) {
              const code = Number(m[1]);
              const hint = AUTH_CODES.has(code) ? ` (the password: in the URL or ${PASSWORD_ENV})` : '';
              reject(new ClickHouseError(this.message(m[2]) + hint, code));
            } else if ((res.statusCode ?? 0) >= 500)
              reject(
                new ClickHouseUnavailable(`${this.label}: HTTP ${res.statusCode} ${text.slice(0, 200)}`),
              );
            else
              reject(new ClickHouseError(`${this.label}: HTTP ${res.statusCode} ${text.slice(0, 200)}`, 0));
          });
        },
      );
      let reused = false;
      req.on('socket', (s) => {
        reused = (s as unknown as { _flumenUsed?: boolean })._flumenUsed === true;
        (s as unknown as { _flumenUsed?: boolean })._flumenUsed = true;
      });
      req.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => {
        req.destroy(
          new ClickHouseUnavailable(
            `${this.label}: no reply within ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
          ),
        );
      });
      req.on('error', (err) => {
        if (err instanceof ClickHouseError || err instanceof ClickHouseUnavailable) reject(err);
        else reject(this.unavailable(err, reused));
      });
      req.end(body);
    });
  }

  private unavailable(err: Error, reused: boolean): ClickHouseUnavailable | ClickHouseError {
    const code = (err as NodeJS.ErrnoException).code;
    // A certificate the client does not trust is no outage: waiting would not fix it.
    if (code && /CERT|SSL|TLS/.test(code)) {
      return new ClickHouseError(
        `cannot trust ClickHouse at ${this.label}: ${code} (${CA_ENV} adds a CA)`,
        0,
      );
    }
    const cause = Object.assign(err, { reused: reused && (code === 'ECONNRESET' || code === 'EPIPE') });
    return new ClickHouseUnavailable(`cannot reach ClickHouse at ${this.label}: ${code ?? err.message}`, {
      cause,
    });
  }

  private message(text: string): string {
    // The server's text ends with ", e.what() = DB::Exception" and a stack in some versions: keep the first line.
    const first = text
      .split('\n')[0]
      .replace(/, e\.what\(\) = .*$/, '')
      .trim();
    return `ClickHouse at ${this.label}: ${first}`;
  }
}
