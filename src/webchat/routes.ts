// The public web chat API: sessions (optionally identity-verified), messages, history, uploads and the live stream,
// behind the origin allowlist and the rate limits.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { EventBus } from '../conversations/events.ts';
import type { UploadGate } from '../conversations/upload-gate.ts';
import type { Attachments } from './attachments.ts';
import { signatureExpired, signedText, verifiedAddress, verifyPhoneHash, verifyUserHash } from './identity.ts';
import { registerWebchatLimits, type WebchatLimiters } from './limits.ts';
import { createOriginPolicy, originGuard, registerPreflight } from './origins.ts';
import { createUploadQuotas, type Allowance } from './quotas.ts';
import type { WebchatSession, WebchatSessions } from './sessions.ts';
import { registerStream } from './stream.ts';
import { registerUploadRoutes } from './uploads.ts';
import { toView } from './view.ts';

export { toView, type AttachmentView, type MessageView } from './view.ts';

export interface WebchatOptions {
  maxText: number;
  uploadMaxBytes: number;
  /** Extra origins allowed to call the API, or '*' (development). The gateway's own origin is always allowed. */
  allowedOrigins: readonly string[] | '*';
  identitySecret: string | undefined;
  tokenRateLimit: number;
  ipRateLimit: number;
  sessionRateLimit: number;
  /** Open stream sockets per token and per client network. */
  wsPerToken: number;
  wsPerIp: number;
  /** Daily upload allowances, and the free-space floor under DATA_DIR (bytes; 0 = no check). */
  uploadQuota: { perContact: Allowance; perNetwork: Allowance };
  minFreeBytes: number;
}

export interface WebchatRouteDeps extends WebchatOptions {
  conversations: ConversationService;
  sessions: WebchatSessions;
  bus: EventBus;
  attachments: Attachments;
  /** Whether a visitor's conversation takes a file now (a document question, or an officer). */
  uploadGate: UploadGate;
  publicUrl: string | undefined;
  /** The clock for signature expiry and the stream's token end (the sessions use the same). */
  now?: () => Date;
}

const PREFIX = '/api/webchat';

// Unknown fields are ignored (front ends add their own); the fields we read must be right.
const sessionBody = z.object({
  locale: z.enum(['ar', 'en']).optional(),
  userId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
    .optional(),
  userHash: z.string().max(256).optional(),
  /** The signed-in user's mobile in E.164 (+9665…), signed as phoneHash: joins their WhatsApp/SMS history. */
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 mobile number such as +966551234567').optional(),
  phoneHash: z.string().max(256).optional(),
  /** When userHash (and phoneHash) stop being valid, Unix seconds; covered by the signatures. */
  exp: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  displayName: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+$/, 'must not contain control or bidi characters')
    .optional(),
});
const clientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional();
const messageBody = z
  .object({ text: z.string().optional(), choice: z.string().regex(/^[a-z0-9_]{1,64}$/).optional(), clientId })
  .refine((b) => (b.text === undefined) !== (b.choice === undefined), { message: 'send exactly one of "text" or "choice"' });
const afterQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? h.match(/^Bearer\s+(\S+)$/i) : null;
  return m?.[1];
}

export async function registerWebchatRoutes(app: FastifyInstance, deps: WebchatRouteDeps): Promise<void> {
  // Set when the web chat's scope registers the store (before any route can run).
  let limiters: WebchatLimiters | undefined;
  const policy = createOriginPolicy(deps.allowedOrigins, deps.publicUrl);
  const clock = deps.now ?? (() => new Date());

  async function auth(req: FastifyRequest): Promise<WebchatSession> {
    const checked = await deps.sessions.check(bearer(req));
    if (checked.status === 'expired') throw new AppError('ERR_TOKEN_EXPIRED', 'This chat has ended (its token expired). Start a new chat with POST /api/webchat/sessions.');
    if (checked.status !== 'ok') throw new AppError('ERR_UNAUTHORIZED', 'A valid web chat token is required (Authorization: Bearer <token>).');
    return checked.session;
  }

  /** Authenticates a send (message or upload) and spends one unit of the token's rate limit. */
  async function authSend(req: FastifyRequest): Promise<WebchatSession> {
    const session = await auth(req);
    if (!limiters) throw new Error('the web chat limits are registered with its routes');
    await limiters.perToken(req);
    return session;
  }

  // Encapsulated, so the guards below apply to the web chat API only (not to webhooks or static pages).
  await app.register(async (scope) => {
    // Origin first: a foreign page is refused before it can spend anyone's rate limit.
    scope.addHook('onRequest', originGuard(policy));
    const limits = await registerWebchatLimits(scope, deps);
    limiters = limits;
    scope.addHook('onRequest', async (req) => {
      if (req.method !== 'OPTIONS') await limits.perIp(req);
    });
    registerPreflight(scope, PREFIX);

    scope.post(`${PREFIX}/sessions`, async (req, reply) => {
      await limits.sessionsPerIp(req);
      const parsed = sessionBody.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('ERR_VALIDATION', zodMessage(parsed.error));
      const { locale, userId, userHash, displayName, phone, phoneHash, exp } = parsed.data;
      let address: string | undefined;
      if ((phone !== undefined || phoneHash !== undefined || exp !== undefined) && userId === undefined) {
        throw new AppError('ERR_VALIDATION', 'phone and exp are accepted only with a verified userId and userHash.');
      }
      if (userId !== undefined || userHash !== undefined) {
        if (userId === undefined) throw new AppError('ERR_VALIDATION', 'userHash was sent without userId.');
        if (!deps.identitySecret) {
          throw new AppError('ERR_VALIDATION', 'Identity verification is not enabled on this gateway (WEBCHAT_IDENTITY_SECRET is not set): start the chat without userId, or ask the operator to set the secret.');
        }
        const withExp = exp === undefined ? '' : " + '\\n' + exp";
        if (!verifyUserHash(deps.identitySecret, signedText(userId, exp), userHash)) {
          throw new AppError('ERR_UNAUTHORIZED', `userHash does not match userId: compute it on the site's server as hex HMAC-SHA256(WEBCHAT_IDENTITY_SECRET, userId${withExp}).`);
        }
        if (phone !== undefined && !verifyPhoneHash(deps.identitySecret, userId, phone, phoneHash, exp)) {
          throw new AppError('ERR_UNAUTHORIZED', `phoneHash does not match: compute it on the site's server as hex HMAC-SHA256(WEBCHAT_IDENTITY_SECRET, 'phone:' + userId + ':' + phone${withExp}).`);
        }
        // Checked after the signature, so a forged exp learns nothing; an old signature is refused even when valid.
        if (signatureExpired(exp, clock())) throw new AppError('ERR_IDENTITY_EXPIRED', "The site's identity signature has expired (exp): reload the page to get a fresh one.");
        address = verifiedAddress(userId);
      }
      const { token, address: anonymous } = deps.sessions.newToken();
      const started = await deps.conversations.start({
        channel: 'webchat',
        address: address ?? anonymous,
        ...(locale ? { locale } : {}),
        ...(displayName ? { displayName } : {}),
        ...(address && phone ? { verifiedPhone: phone } : {}),
      });
      await deps.sessions.save(token, started.identityId);
      return reply.code(201).send({ token, conversationId: started.conversationId });
    });

    scope.post(`${PREFIX}/messages`, async (req, reply) => {
      const session = await authSend(req);
      const parsed = messageBody.safeParse(req.body);
      if (!parsed.success) throw new AppError('ERR_VALIDATION', `Send {"text": "..."} or {"choice": "<choice id>"}. ${zodMessage(parsed.error)}`);
      const body = parsed.data;
      if (body.text !== undefined) {
        if (body.text.length > deps.maxText) throw new AppError('ERR_PAYLOAD_TOO_LARGE', `Text is longer than ${deps.maxText} characters.`);
        if (body.text.trim() === '') throw new AppError('ERR_VALIDATION', 'text: must not be empty');
      }
      const result = await deps.conversations.receive({
        channel: 'webchat',
        // A client id makes retries of the same send idempotent; without one every POST is a new message.
        externalId: body.clientId ? `${session.identityId}:${body.clientId}` : randomUUID(),
        address: session.address,
        // The client IP only feeds the per-network limit on status lookups; it is not stored with the message.
        sender: { ip: req.ip },
        content: body.text !== undefined ? { type: 'text', text: body.text } : { type: 'choice', id: body.choice ?? '' },
        receivedAt: new Date(),
        raw: null,
      });
      return reply.code(202).send({ id: result.messageId });
    });

    scope.get(`${PREFIX}/messages`, async (req) => {
      const session = await auth(req);
      const parsed = afterQuery.safeParse(req.query);
      if (!parsed.success) throw new AppError('ERR_VALIDATION', `after: must be a message id. ${zodMessage(parsed.error)}`);
      const rows = await deps.conversations.messagesForIdentity(session.identityId, parsed.data.after, 500);
      return { messages: rows.map(toView), acceptsUpload: deps.uploadGate.accepts(session.identityId) };
    });

    registerStream(scope, deps);
    await registerUploadRoutes(scope, {
      prefix: PREFIX,
      conversations: deps.conversations,
      attachments: deps.attachments,
      maxBytes: deps.uploadMaxBytes,
      gate: deps.uploadGate,
      quotas: createUploadQuotas(deps.uploadQuota),
      minFreeBytes: deps.minFreeBytes,
      auth,
      authSend,
    });
  });
}
