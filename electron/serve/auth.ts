// The access token of `flumen serve`: random per run, shown once in the printed URL, then carried by an
// HttpOnly cookie (pages, assets) or the `?token=` parameter (the WebSocket URL).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'flumen_token';

export type AuthResult = 'ok' | 'missing' | 'wrong';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The token a request carries: the `?token=` parameter first (it may be replacing a stale cookie), then the cookie. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery != null) return fromQuery;
  return cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

export function checkToken(presented: string | null, expected: string): AuthResult {
  if (presented == null || presented === '') return 'missing';
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  // Constant time, so the token cannot be guessed byte by byte from response times.
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'wrong';
}

export function sessionCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
