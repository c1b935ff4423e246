// fetch with the session cookie and the CSRF header (XMLHttpRequest for uploads, for their progress); every failure
// becomes an ApiError.
import { apiError, ApiError, type RawUploader, type Requester, type Uploader } from './api.ts';

export interface HttpHooks {
  csrf(): string;
  /** The session is gone (401 on anything but sign-in / me). */
  onSignedOut(): void;
  /** 403 ERR_PASSWORD_CHANGE_REQUIRED: the server wants a new password first. */
  onPasswordRequired(): void;
  /** 403 ERR_TOTP_SETUP_REQUIRED: the server wants the authenticator app set up first. */
  onTotpSetupRequired(): void;
}

// A 401 there is an answer to the form (a wrong password, a missing code), not a lost session.
const QUIET_401 = new Set(['/api/auth/sign-in', '/api/auth/me']);

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The body of a 2xx answer, or the ApiError to throw (after telling the shell about a lost session). */
function settle(hooks: HttpHooks, path: string, status: number, text: string, retryAfter: string | null): { ok: true; json: unknown } | { ok: false; err: ApiError } {
  const json = parseJson(text);
  if (status >= 200 && status < 300) return { ok: true, json };
  const err = apiError(status, json, retryAfter);
  if (err.status === 401 && !QUIET_401.has(path)) hooks.onSignedOut();
  if (err.code === 'ERR_PASSWORD_CHANGE_REQUIRED') hooks.onPasswordRequired();
  if (err.code === 'ERR_TOTP_SETUP_REQUIRED') hooks.onTotpSetupRequired();
  return { ok: false, err };
}

export function createRequester(hooks: HttpHooks): Requester {
  return async (method, path, body) => {
    // The server words refusals (the checklist's missing items) in the inbox's language.
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': globalThis.document?.documentElement.lang || 'ar' };
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
    const out = settle(hooks, path, res.status, text, res.headers.get('retry-after'));
    if (out.ok) return out.json;
    throw out.err;
  };
}

/** A multipart POST that reports how much of the body went up (0…1); the browser sets the multipart boundary. */
export function createUploader(hooks: HttpHooks): Uploader {
  return (path, form, onProgress) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', hooks.csrf());
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = () => reject(new ApiError(0, 'ERR_NETWORK', ''));
      xhr.onload = () => {
        const out = settle(hooks, path, xhr.status, xhr.responseText, xhr.getResponseHeader('retry-after'));
        if (out.ok) resolve(out.json);
        else reject(out.err);
      };
      xhr.send(form);
    });
}

/** One file as the request body (a declaration scan): its type and name in headers, the server reads the bytes. */
export function createRawUploader(hooks: HttpHooks): RawUploader {
  return async (path, file) => {
    let res: Response;
    try {
      res = await fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': file.type || 'application/octet-stream', 'x-filename': encodeURIComponent(file.name), 'x-csrf-token': hooks.csrf() },
        body: file,
      });
    } catch {
      throw new ApiError(0, 'ERR_NETWORK', '');
    }
    const out = settle(hooks, path, res.status, await res.text().catch(() => ''), res.headers.get('retry-after'));
    if (out.ok) return out.json;
    throw out.err;
  };
}
