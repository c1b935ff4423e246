// Generated requests for the fuzz suite: random shapes, wrong types, huge and empty strings, every Unicode plane,
// broken multipart, bad and missing signatures — and, mixed in, well-formed and correctly signed ones, so the
// generator also reaches past the signature checks into the normalizers and the flows.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { sign as twilioSign } from '../fakes/twilio-api.ts';

export interface FuzzRequest {
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface Secrets {
  tokens: string[];
  telegramSecret: string;
  whatsappAppSecret: string;
  whatsappVerifyToken: string;
  twilioAuthToken: string;
  publicUrl: string;
}

// Strings from every plane (lone surrogates included), plus the kinds of text people and attackers send.
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', 'السلام عليكم', 'ابي اقدم طلب', '١٠٥٨٥٢٩٩٤٠', '0551234567', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '\u0000', '\uFEFF', '\u202E', '💚', 'null', 'true', '[]', '{}', '%00', '%', '1e309', '-0', '9'.repeat(400)) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), fc.integer({ min: 1_000, max: 200_000 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)) },
);

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(anyText, fc.constantFrom('text', 'message', 'update_id', 'entry', 'Body', 'From', 'email', 'password', 'token', 'locale', '__proto__', 'constructor')), tie('value'), { maxKeys: 6 }),
  ),
})).value;

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
  jsonish.map((v) => Buffer.from(safeJson(v))),
  anyText.map((s) => Buffer.from(s)),
  fc.constant(Buffer.alloc(0)),
);

// Lone surrogates cannot be percent-encoded; they travel as U+FFFD like a browser would send them.
const enc = (s: string) => encodeURIComponent(s.toWellFormed());

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return 'null';
  }
}

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xYz',
  'multipart/form-data',
  'text/plain',
  'image/jpeg',
  'application/octet-stream',
  '',
  'application/json; charset=latin1',
  '*/*',
  '😀/😀',
);

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** A multipart body with something wrong in it: no closing boundary, a missing part header, two files, junk. */
const brokenMultipart = fc
  .record({
    boundary: fc.constantFrom('xYz', 'b', '-'.repeat(70), '\u00e9'),
    field: fc.constantFrom('file', 'files', '', 'file"; filename="../../x.jpg'),
    data: fc.oneof(fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)), fc.constant(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))),
    end: fc.constantFrom('', '--\r\n', '\r\n', '--xYz--\r\n'),
    twice: fc.boolean(),
  })
  .map(({ boundary, field, data, end, twice }) => {
    const part = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), data, Buffer.from('\r\n')]);
    const body = Buffer.concat([part, ...(twice ? [part] : []), Buffer.from(end ? `--${boundary}${end}` : '')]);
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  });

const noise = fc.dictionary(fc.constantFrom('x-forwarded-for', 'origin', 'x-filename', 'accept-language', 'x-csrf-token', 'cookie', 'range', 'if-none-match'), fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), { maxKeys: 3 });

function webchat(s: Secrets): fc.Arbitrary<FuzzRequest> {
  const auth = fc.oneof(fc.constant(undefined), pick(s.tokens).map((t) => `Bearer ${t}`), fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), fc.constant('Bearer '), pick(s.tokens).map((t) => `Bearer ${t.slice(0, -1)}x`));
  const withAuth = (headers: Record<string, string>, a: string | undefined) => (a === undefined ? headers : { ...headers, authorization: a });
  return fc.oneof(
    fc.record({ type: contentType, body: bytes, extra: noise }).map(({ type, body, extra }) => ({ route: 'webchat sessions', method: 'POST' as const, path: '/api/webchat/sessions', headers: { ...extra, ...(type ? { 'content-type': type } : {}) }, body })),
    fc.record({ a: auth, type: contentType, text: fc.oneof(anyText, jsonish), raw: fc.option(bytes), extra: noise }).map(({ a, type, text, raw, extra }) => ({
      route: 'webchat messages',
      method: 'POST' as const,
      path: '/api/webchat/messages',
      headers: withAuth({ ...extra, ...(type ? { 'content-type': type } : {}) }, a),
      body: raw ?? Buffer.from(safeJson({ text })),
    })),
    // Well-formed messages too, with hostile words: otherwise the checks behind the token and type are rarely reached.
    fc.record({ t: pick(s.tokens), text: fc.oneof(anyText, fc.constantFrom('السلام عليكم', '١', 'menu', 'ابغى اكلم موظف', '٣٬٥٠٠ ريال')), extra: noise }).map(({ t, text, extra }) => ({
      route: 'webchat messages',
      method: 'POST' as const,
      path: '/api/webchat/messages',
      headers: { ...extra, 'content-type': 'application/json', authorization: `Bearer ${t}` },
      body: Buffer.from(safeJson({ text })),
    })),
    fc.record({ a: auth, q: fc.oneof(fc.constant(''), fc.integer().map((n) => `?after=${n}`), anyText.map((t) => `?after=${enc(t)}`)) }).map(({ a, q }) => ({ route: 'webchat history', method: 'GET' as const, path: `/api/webchat/messages${q}`, headers: withAuth({}, a) })),
    fc.record({ a: auth, upload: fc.oneof(brokenMultipart, fc.record({ body: bytes, type: contentType })), name: fc.option(anyText) }).map(({ a, upload, name }) => ({
      route: 'webchat uploads',
      method: 'POST' as const,
      path: '/api/webchat/uploads',
      headers: withAuth({ ...(upload.type ? { 'content-type': upload.type } : {}), ...(name !== null ? { 'x-filename': enc(name) } : {}) }, a),
      body: upload.body,
    })),
    fc.record({ a: auth, id: fc.oneof(fc.uuid(), anyText.map((t) => enc(t))) }).map(({ a, id }) => ({ route: 'webchat download', method: 'GET' as const, path: `/api/webchat/uploads/${id || 'x'}`, headers: withAuth({}, a) })),
    fc.record({ q: fc.oneof(pick(s.tokens).map((t) => `?token=${t}`), anyText.map((t) => `?token=${enc(t)}`), fc.constant('')) }).map(({ q }) => ({ route: 'webchat stream (plain HTTP)', method: 'GET' as const, path: `/api/webchat/stream${q}`, headers: {} })),
  );
}

/** A well-formed Telegram update with generated content, so valid requests reach the flows too. */
const telegramUpdate = fc
  .record({ id: fc.integer({ min: 1, max: 2 ** 31 }), chat: fc.integer({ min: 1, max: 1e9 }), text: anyText, callback: fc.option(fc.string({ maxLength: 80 })) })
  .map(({ id, chat, text, callback }) =>
    callback === null
      ? { update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private', first_name: 'ف' }, from: { id: chat, is_bot: false, first_name: 'ف', language_code: 'ar' }, text } }
      : { update_id: id, callback_query: { id: String(id), chat_instance: '1', data: callback, from: { id: chat, is_bot: false, first_name: 'ف' }, message: { message_id: 1, date: 1, chat: { id: chat, type: 'private' } } } },
  );

const whatsappPayload = fc
  .record({ from: fc.oneof(fc.constant('966551234567'), fc.stringMatching(/^[0-9]{5,15}$/), anyText), text: anyText, kind: fc.constantFrom('text', 'interactive', 'reaction', 'unsupported', 'status'), id: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) })
  .map(({ from, text, kind, id }) => {
    const message =
      kind === 'text'
        ? { type: 'text', text: { body: text } }
        : kind === 'interactive'
          ? { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: text, title: text } } }
          : kind === 'reaction'
            ? { type: 'reaction', reaction: { message_id: id, emoji: text } }
            : { type: 'unsupported', errors: [{ code: 131051, title: text }] };
    const value =
      kind === 'status'
        ? { statuses: [{ id, status: text, timestamp: '1', recipient_id: from }] }
        : { contacts: [{ profile: { name: text }, wa_id: from }], messages: [{ from, id: `wamid.${id}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }] };
    return { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '966112345678', phone_number_id: '1234567890' }, ...value } }] }] };
  });

const twilioForm = fc
  .record({ from: fc.oneof(fc.constant('+966551234567'), anyText), body: anyText, sid: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), extra: fc.dictionary(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), anyText, { maxKeys: 3 }) })
  .map(({ from, body, sid, extra }) => ({ ...extra, From: from, Body: body, MessageSid: `SM${sid}`, To: '+15005550006', NumMedia: '0', MessageStatus: body.slice(0, 12) }));

function webhooks(s: Secrets): fc.Arbitrary<FuzzRequest> {
  const telegram = fc.record({ update: fc.oneof(telegramUpdate, jsonish), secret: fc.oneof(fc.constant(s.telegramSecret), fc.constant(undefined), fc.string({ maxLength: 40 }), fc.constant(`${s.telegramSecret}x`)), type: contentType }).map(({ update, secret, type }) => ({
    route: 'telegram webhook',
    method: 'POST' as const,
    path: '/webhooks/telegram',
    headers: { ...(type ? { 'content-type': type } : {}), ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: Buffer.from(safeJson(update)),
  }));
  const whatsapp = fc.record({ payload: fc.oneof(whatsappPayload, jsonish), how: fc.constantFrom('valid', 'missing', 'wrong', 'garbage'), raw: fc.option(bytes, { freq: 5 }) }).map(({ payload, how, raw }) => {
    const body = raw ?? Buffer.from(safeJson(payload));
    const good = `sha256=${createHmac('sha256', s.whatsappAppSecret).update(body).digest('hex')}`;
    const signature = how === 'valid' ? good : how === 'wrong' ? `sha256=${'0'.repeat(64)}` : how === 'garbage' ? good.slice(0, 20) : undefined;
    return { route: 'whatsapp webhook', method: 'POST' as const, path: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) }, body };
  });
  const handshake = fc.record({ mode: fc.oneof(fc.constant('subscribe'), anyText), token: fc.oneof(fc.constant(s.whatsappVerifyToken), anyText), challenge: anyText }).map(({ mode, token, challenge }) => ({
    route: 'whatsapp handshake',
    method: 'GET' as const,
    path: `/webhooks/whatsapp?hub.mode=${enc(mode)}&hub.verify_token=${enc(token)}&hub.challenge=${enc(challenge)}`,
    headers: {},
  }));
  const twilio = fc.record({ form: twilioForm, path: fc.constantFrom('/webhooks/twilio', '/webhooks/twilio/status'), how: fc.constantFrom('valid', 'missing', 'wrong'), ref: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 30 })) }).map(({ form, path, how, ref }) => {
    const url = `${path}${ref !== null ? `?ref=${enc(ref)}` : ''}`;
    const signature = how === 'valid' ? twilioSign(s.twilioAuthToken, `${s.publicUrl}${url}`, form) : how === 'wrong' ? 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' : undefined;
    return { route: 'twilio webhook', method: 'POST' as const, path: url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) }, body: Buffer.from(new URLSearchParams(form).toString()) };
  });
  return fc.oneof(telegram, whatsapp, handshake, twilio);
}

function signIn(): fc.Arbitrary<FuzzRequest> {
  return fc.record({ body: fc.oneof(fc.record({ email: fc.oneof(fc.emailAddress(), anyText), password: anyText, totp: fc.oneof(fc.stringMatching(/^[0-9\u0660-\u0669 ]{0,8}$/), anyText) }, { requiredKeys: [] }), jsonish), type: contentType, raw: fc.option(bytes, { freq: 4 }) }).map(({ body, type, raw }) => ({
    route: 'sign-in',
    method: 'POST' as const,
    path: '/api/auth/sign-in',
    headers: type ? { 'content-type': type, origin: 'http://127.0.0.1' } : ({} as Record<string, string>),
    body: raw ?? Buffer.from(safeJson(body)),
  }));
}

/** Odd methods and paths around the public ones (unknown routes, traversal, encoded junk). */
const strays: fc.Arbitrary<FuzzRequest> = fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), path: fc.oneof(fc.constantFrom('/api/webchat/', '/webhooks/', '/api/webchat/uploads/..%2f..%2fetc%2fpasswd', '/widget.js', '/api/auth/me', '/%', '/api/%E0%A4%A'), anyText.map((t) => `/api/webchat/${enc(t)}`)), body: fc.option(bytes) }).map(({ method, path, body }) => ({
  route: 'strays',
  method,
  path,
  headers: body ? { 'content-type': 'application/json' } : ({} as Record<string, string>),
  ...(body && method !== 'GET' ? { body } : {}),
}));

export function fuzzRequest(s: Secrets): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 4, arbitrary: webchat(s) }, { weight: 4, arbitrary: webhooks(s) }, { weight: 1, arbitrary: signIn() }, { weight: 1, arbitrary: strays });
}
