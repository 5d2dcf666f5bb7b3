// nginx "combined" access log lines:
// `IP - USER [DD/Mon/YYYY:HH:MM:SS +0000] "METHOD PATH HTTP/1.1" STATUS BYTES "REFERER" "USER-AGENT"`.
// Query words (`checkout`, rare `phpmyadmin`) occur only in the request path.
import { Clock, MONTHS, pad2 } from './clock.ts';
import { Rng, Weighted } from './prng.ts';

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'curl/7.88.1',
  'Go-http-client/1.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'python-requests/2.31.0',
];
const REFERERS = [
  '-',
  '-',
  '-',
  'https://shop.example.com/',
  'https://www.google.com/',
  'https://shop.example.com/cart',
];
const USERS = ['-', '-', '-', '-', '-', '-', 'alice', 'bob'];

type Request = (r: Rng) => [method: string, path: string, status: number];

const REQUESTS = new Weighted<Request>([
  [10, () => ['GET', '/', 200]],
  [12, (r) => ['GET', `/static/js/app.${r.hex(8)}.js`, r.chance(0.7) ? 200 : 304]],
  [8, (r) => ['GET', `/static/css/app.${r.hex(8)}.css`, r.chance(0.7) ? 200 : 304]],
  [14, (r) => ['GET', `/api/v1/orders/${r.int(1, 999_999)}`, r.chance(0.97) ? 200 : 404]],
  [8, (r) => ['GET', `/api/v1/users/${r.int(1, 99_999)}`, r.chance(0.98) ? 200 : 403]],
  [
    6,
    (r) => [
      'GET',
      `/api/v1/search?q=${r.pick(['shoes', 'lamp', 'desk', 'cable', 'mug'])}&page=${r.int(1, 9)}`,
      200,
    ],
  ],
  [4, (r) => ['POST', '/api/v1/orders', r.chance(0.95) ? 201 : r.pick([400, 422, 500, 502])]],
  [2, (r) => ['GET', '/checkout', r.chance(0.99) ? 200 : 502]],
  [1, (r) => ['POST', '/checkout/confirm', r.chance(0.96) ? 303 : r.pick([500, 502, 504])]],
  [3, (r) => ['POST', '/login', r.chance(0.85) ? 302 : 401]],
  [3, () => ['GET', '/favicon.ico', 404]],
  [8, () => ['GET', '/health', 200]],
  [0.05, () => ['GET', '/phpmyadmin/index.php', 404]],
  [0.1, () => ['GET', '/wp-login.php', 404]],
  [0.1, () => ['GET', '/.env', 404]],
]);

/** Returns a function producing the next access log line (without newline) each call, deterministic in `seed`. */
export function nginxLines(seed: number): () => string {
  const r = new Rng(seed);
  const clock = new Clock(r, 90);
  let dayPrefix = '';
  let dayOf = -1;
  return () => {
    clock.tick();
    if (clock.date !== dayOf) {
      dayOf = clock.date;
      dayPrefix = `${pad2(clock.date)}/${MONTHS[clock.month]}/${clock.year}:`;
    }
    const [method, path, status] = REQUESTS.pick(r)(r);
    const bytes = status === 304 || status === 302 || status === 303 ? 0 : r.int(120, 48_000);
    return (
      `${r.ipv4()} - ${r.pick(USERS)} [${dayPrefix}${clock.hms()} +0000] "${method} ${path} HTTP/1.1" ` +
      `${status} ${bytes} "${r.pick(REFERERS)}" "${r.pick(UAS)}"`
    );
  };
}

/** Matches one nginx combined log line. */
export const NGINX_COMBINED_LINE =
  /^\d{1,3}(?:\.\d{1,3}){3} - \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "[A-Z]+ \S+ HTTP\/1\.[01]" \d{3} \d+ "[^"]*" "[^"]*"$/;
