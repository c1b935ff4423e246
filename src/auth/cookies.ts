// The session cookie: reading it from the Cookie header and writing Set-Cookie (no cookie package needed).
import { SESSION_ABSOLUTE_MS } from './sessions.ts';

export const SESSION_COOKIE = 'tawasul_session';

/** Every value of cookie `name` in a Cookie header, in the order the browser sent them. */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value !== '') values.push(value);
  }
  return values;
}

function attributes(secure: boolean, maxAgeSeconds: number): string {
  // Lax: sent on top-level navigation to the inbox, never on cross-site POSTs, images or fetches.
  return `; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** Lives as long as the session can (7 days); the server ends it sooner when idle. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}${attributes(secure, Math.floor(SESSION_ABSOLUTE_MS / 1000))}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=${attributes(secure, 0)}`;
}
