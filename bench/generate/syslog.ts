// RFC 3164 syslog lines, `Mon DD HH:MM:SS host app[pid]: message`, the shape of /var/log/syslog on a server.
// Query words the bench uses occur only in message bodies, always as whole words (never `errors` or `error_x`),
// so `rg -w -i`, a case-insensitive term search and lnav's `log_body LIKE` all count the same lines.
import { Clock, MONTHS } from './clock.ts';
import { Rng, Weighted } from './prng.ts';

const HOSTS = [
  'web-01',
  'web-02',
  'web-03',
  'web-04',
  'app-01',
  'app-02',
  'app-03',
  'db-01',
  'db-02',
  'cache-01',
  'mail-01',
  'lb-01',
];
const USERS = ['root', 'admin', 'ubuntu', 'deploy', 'git', 'postgres', 'jenkins', 'backup', 'alice', 'bob'];
const UNITS = [
  'nginx.service',
  'cron.service',
  'logrotate.service',
  'apt-daily.service',
  'certbot.service',
  'backup.service',
  'docker.service',
  'phpsessionclean.service',
  'fstrim.service',
  'man-db.service',
];
const CRON_CMDS = [
  'cd / && run-parts --report /etc/cron.hourly',
  '/usr/local/bin/backup.sh',
  'debian-sa1 1 1',
  '/usr/lib/php/sessionclean',
];
const PROCS = ['python3', 'node', 'java', 'php-fpm7.4', 'ruby', 'postgres'];
const LIBS = ['libc-2.31.so', 'libpthread-2.31.so', 'libssl.so.1.1', 'libz.so.1.2.11'];
const MAIL_HOSTS = ['unknown', 'mx.example.net', 'mail.partner.org', 'smtp.relay.io', 'edge-7.mailer.com'];
const SUDO_CMDS = [
  'systemctl restart nginx',
  'apt-get update',
  'tail -f /var/log/syslog',
  'docker ps',
  'journalctl -xe',
];
const DBS = ['orders', 'users', 'billing', 'inventory'];

type Template = (r: Rng) => string;

function port(r: Rng): number {
  return r.int(1024, 65535);
}
function uptime(r: Rng): string {
  return `[${r.int(10, 9_999_999)}.${String(r.int(0, 999_999)).padStart(6, '0')}]`;
}
function qid(r: Rng): string {
  return r.hex(10).toUpperCase();
}

// [weight, app, message]: weights are relative; about 4% of lines say `error`, 5% `failed`, 0.03% `segfault`.
const TEMPLATES: [number, string, Template][] = [
  [4, 'sshd', (r) => `Accepted publickey for ${r.pick(USERS)} from ${r.ipv4()} port ${port(r)} ssh2`],
  [3, 'sshd', (r) => `Failed password for ${r.pick(USERS)} from ${r.ipv4()} port ${port(r)} ssh2`],
  [
    1.5,
    'sshd',
    (r) =>
      `Failed password for invalid user ${r.pick(USERS)}${r.int(1, 99)} from ${r.ipv4()} port ${port(r)} ssh2`,
  ],
  [3, 'sshd', (r) => `pam_unix(sshd:session): session opened for user ${r.pick(USERS)} by (uid=0)`],
  [3, 'sshd', (r) => `pam_unix(sshd:session): session closed for user ${r.pick(USERS)}`],
  [3, 'sshd', (r) => `Received disconnect from ${r.ipv4()} port ${port(r)}:11: bye`],
  [
    1,
    'sshd',
    (r) => `Connection closed by authenticating user ${r.pick(USERS)} ${r.ipv4()} port ${port(r)} [preauth]`,
  ],
  [0.5, 'sshd', () => `error: kex_exchange_identification: Connection closed by remote host`],
  [1, 'sshd', (r) => `Invalid user ${r.pick(USERS)}${r.int(1, 99)} from ${r.ipv4()} port ${port(r)}`],
  [6, 'CRON', (r) => `(${r.pick(USERS)}) CMD (${r.pick(CRON_CMDS)})`],
  [3, 'CRON', () => `pam_unix(cron:session): session opened for user root by (uid=0)`],
  [3, 'CRON', () => `pam_unix(cron:session): session closed for user root`],
  [
    4,
    'kernel',
    (r) =>
      `${uptime(r)} [UFW BLOCK] IN=eth0 SRC=${r.ipv4()} PROTO=TCP DPT=${r.pick([22, 23, 445, 3389, 8080])}`,
  ],
  [
    0.3,
    'kernel',
    (r) =>
      `${uptime(r)} EXT4-fs error (device sda${r.int(1, 4)}): ext4_find_entry: inode #${r.int(2, 9_999_999)}: reading directory lblock 0`,
  ],
  [
    0.02,
    'kernel',
    (r) =>
      `${uptime(r)} ${r.pick(PROCS)}[${r.int(300, 65000)}]: segfault at ${r.hex(12)} ip ${r.hex(12)} error 4 in ${r.pick(LIBS)}`,
  ],
  [
    0.05,
    'kernel',
    (r) =>
      `${uptime(r)} Out of memory: Killed process ${r.int(300, 65000)} (${r.pick(PROCS)}) total-vm:${r.int(100_000, 9_000_000)}kB`,
  ],
  [
    0.5,
    'kernel',
    (r) => `${uptime(r)} e1000e: eth${r.int(0, 1)} NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None`,
  ],
  [
    0.3,
    'kernel',
    (r) =>
      `${uptime(r)} TCP: request_sock_TCP: Possible SYN flooding on port ${r.pick([80, 443])}. Sending cookies.`,
  ],
  [
    1.2,
    'nginx',
    (r) =>
      `[error] *${r.int(1, 9_999_999)} connect() failed (111: Connection refused) while connecting to upstream`,
  ],
  [1, 'nginx', (r) => `[warn] *${r.int(1, 9_999_999)} upstream response buffered to a temporary file`],
  [0.1, 'nginx', () => `[notice] signal process started`],
  [5, 'systemd', (r) => `Started ${r.pick(UNITS)}.`],
  [3, 'systemd', (r) => `Starting ${r.pick(UNITS)}...`],
  [4, 'systemd', (r) => `${r.pick(UNITS)}: Succeeded.`],
  [0.6, 'systemd', (r) => `${r.pick(UNITS)}: Main process exited, code=exited, status=1/FAILURE`],
  [0.6, 'systemd', (r) => `${r.pick(UNITS)}: Failed with result 'exit-code'.`],
  [0.4, 'systemd', (r) => `Failed to start ${r.pick(UNITS)}.`],
  [2, 'postfix/smtpd', (r) => `connect from ${r.pick(MAIL_HOSTS)}[${r.ipv4()}]`],
  [2, 'postfix/smtpd', (r) => `disconnect from ${r.pick(MAIL_HOSTS)}[${r.ipv4()}] commands=5`],
  [1.5, 'postfix/smtpd', (r) => `${qid(r)}: client=${r.pick(MAIL_HOSTS)}[${r.ipv4()}]`],
  [
    0.8,
    'postfix/smtpd',
    (r) =>
      `warning: hostname ${r.pick(MAIL_HOSTS)} does not resolve to address ${r.ipv4()}: Name or service not known`,
  ],
  [
    0.3,
    'postfix/smtpd',
    (r) =>
      `NOQUEUE: reject: RCPT from unknown[${r.ipv4()}]: 554 5.7.1 Service unavailable; Client host blocked`,
  ],
  [
    1,
    'sudo',
    (r) => `${r.pick(USERS)} : TTY=pts/${r.int(0, 9)} ; USER=root ; COMMAND=/usr/bin/${r.pick(SUDO_CMDS)}`,
  ],
  [0.6, 'api', (r) => `ERROR database connection lost: ${r.pick(DBS)} (retry ${r.int(1, 5)}/5)`],
  [0.4, 'api', (r) => `Error: request ${r.hex(8)} timed out after ${r.int(1000, 30000)} ms`],
  [
    8,
    'api',
    (r) =>
      `request ${r.hex(8)} completed in ${r.int(1, 900)} ms status=${r.pick([200, 200, 200, 201, 204, 304])}`,
  ],
  [0.8, 'dhclient', (r) => `DHCPREQUEST for ${r.ipv4()} on eth0 to ${r.ipv4()} port 67`],
  [0.8, 'dhclient', (r) => `DHCPACK of ${r.ipv4()} from ${r.ipv4()}`],
];

const CHOICES = new Weighted(TEMPLATES.map(([w, app, t]) => [w, [app, t] as const] as const));

/** Returns a function producing the next syslog line (without newline) each call, deterministic in `seed`. */
export function syslogLines(seed: number): () => string {
  const r = new Rng(seed);
  const clock = new Clock(r, 90);
  let dayPrefix = '';
  let dayOf = -1;
  return () => {
    clock.tick();
    if (clock.date !== dayOf) {
      dayOf = clock.date;
      dayPrefix = `${MONTHS[clock.month]} ${clock.date < 10 ? ' ' + clock.date : String(clock.date)} `;
    }
    const [app, template] = CHOICES.pick(r);
    const tag = app === 'kernel' ? 'kernel' : `${app}[${r.int(300, 65000)}]`;
    return `${dayPrefix}${clock.hms()} ${r.pick(HOSTS)} ${tag}: ${template(r)}`;
  };
}

/** Matches a line this generator writes (and RFC 3164 lines like it). */
export const SYSLOG_LINE = /^[A-Z][a-z]{2} [ 1-3]\d \d{2}:\d{2}:\d{2} [\w.-]+ [\w/.-]+(?:\[\d+\])?: .+$/;
