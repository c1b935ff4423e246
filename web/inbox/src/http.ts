// fetch with the session cookie and the CSRF header; every failure becomes an ApiError.
import { apiError, ApiError, type Requester } from './api.ts';

export interface HttpHooks {
  csrf(): string;
  /** The session is gone (401 on anything but sign-in / me). */
  onSignedOut(): void;
  /** 403 ERR_PASSWORD_CHANGE_REQUIRED: the server wants a new password first. */
  onPasswordRequired(): void;
}

const QUIET_401 = new Set(['/api/auth/sign-in', '/api/auth/me', '/api/auth/password']);

export function createRequester(hooks: HttpHooks): Requester {
  return async (method, path, body) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    // No content-type without a body: an empty JSON body is a 400 on Fastify.
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = hooks.csrf();
    let res: Response;
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'ERR_NETWORK', '');
    }
    const text = res.status === 204 ? '' : await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json;
    const err = apiError(res.status, json, res.headers.get('retry-after'));
    if (err.status === 401 && !QUIET_401.has(path)) hooks.onSignedOut();
    if (err.code === 'ERR_PASSWORD_CHANGE_REQUIRED') hooks.onPasswordRequired();
    throw err;
  };
}
