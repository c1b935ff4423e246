// The session cookie: reading it from the Cookie header and writing Set-Cookie (no cookie package needed).
import { SESSION_ABSOLUTE_MS } from './sessions.ts';

export const SESSION_COOKIE = 'tawasul_session';
/**
 * The name behind an https PUBLIC_URL. Browsers keep a `__Host-` cookie only when it is Secure, has Path=/ and no
 * Domain, so a sibling subdomain or a plain-http page cannot plant or overwrite it (session fixation).
 */
export const HOST_SESSION_COOKIE = '__Host-tawasul_session';

/** The cookie name reads and writes use: `__Host-tawasul_session` when PUBLIC_URL is https. */
export function sessionCookieName(https: boolean): string {
  return https ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}

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

const mustBeSecure = (name: string, secure: boolean) => secure || name.startsWith('__Host-');

/** Lives as long as the session can (7 days); the server ends it sooner when idle. */
export function sessionCookie(name: string, token: string, secure: boolean): string {
  return `${name}=${token}${attributes(mustBeSecure(name, secure), Math.floor(SESSION_ABSOLUTE_MS / 1000))}`;
}

export function clearedSessionCookie(name: string, secure: boolean): string {
  return `${name}=${attributes(mustBeSecure(name, secure), 0)}`;
}
