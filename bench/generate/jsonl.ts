// JSON lines as services log them: {"ts","level","msg","service","host","latency_ms","status","trace_id"}.
// Query words (`timeout`, rare `deadlock`) occur only in `msg`; messages need no JSON escaping.
import { Clock, pad2, pad3 } from './clock.ts';
import { Rng, Weighted } from './prng.ts';

const SERVICES = ['orders', 'payments', 'users', 'search', 'gateway', 'inventory'];
const HOSTS = ['app-01', 'app-02', 'app-03', 'app-04', 'app-05', 'app-06', 'worker-01', 'worker-02'];
const ROUTES = ['/api/v1/orders', '/api/v1/users', '/api/v1/search', '/api/v1/payments', '/api/v1/cart'];

type Message = (r: Rng) => [level: string, msg: string, status: number];

const MESSAGES = new Weighted<Message>([
  [40, (r) => ['info', `handled request ${r.pick(['GET', 'GET', 'POST', 'PUT'])} ${r.pick(ROUTES)}`, 200]],
  [8, (r) => ['info', `cache hit for key user:${r.int(1, 99_999)}`, 200]],
  [6, (r) => ['info', `cache miss for key product:${r.int(1, 99_999)}`, 200]],
  [10, (r) => ['debug', `db query took ${r.int(1, 300)} ms rows=${r.int(0, 500)}`, 200]],
  [4, (r) => ['info', `published event order.created id=${r.int(1, 9_999_999)}`, 201]],
  [3, (r) => ['warn', `slow request ${r.pick(ROUTES)} exceeded budget`, 200]],
  [1.5, (r) => ['warn', `upstream timeout calling ${r.pick(SERVICES)}, retrying`, 504]],
  [0.8, (r) => ['error', `request failed: upstream timeout after ${r.int(1, 30)} s`, 504]],
  [
    1,
    (r) => [
      'error',
      `payment declined code=${r.pick(['insufficient_funds', 'card_expired', 'do_not_honor'])}`,
      402,
    ],
  ],
  [0.5, () => ['error', 'validation failed: missing field email', 400]],
  [0.03, () => ['error', 'transaction aborted: deadlock detected, rolling back', 500]],
  [2, (r) => ['info', `user ${r.int(1, 99_999)} logged in`, 200]],
  [1, (r) => ['info', `scheduled job ${r.pick(['reindex', 'cleanup', 'report'])} finished`, 200]],
]);

/** Returns a function producing the next JSON line (without newline) each call, deterministic in `seed`. */
export function jsonLines(seed: number): () => string {
  const r = new Rng(seed);
  const clock = new Clock(r, 90);
  let dayPrefix = '';
  let dayOf = -1;
  return () => {
    clock.tick();
    if (clock.date !== dayOf) {
      dayOf = clock.date;
      dayPrefix = `${clock.year}-${pad2(clock.month + 1)}-${pad2(clock.date)}T`;
    }
    const [level, msg, status] = MESSAGES.pick(r)(r);
    return (
      `{"ts":"${dayPrefix}${clock.hms()}.${pad3(clock.ms % 1000)}Z","level":"${level}","msg":"${msg}",` +
      `"service":"${r.pick(SERVICES)}","host":"${r.pick(HOSTS)}","latency_ms":${r.int(1, status >= 500 ? 30_000 : 900)},` +
      `"status":${status},"trace_id":"${r.hex(16)}"}`
    );
  };
}
