// The public web chat API: sessions, messages, history and the live WebSocket stream.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { EventBus } from '../conversations/events.ts';
import type { MessageRow } from '../conversations/repo.ts';
import type { WebchatSession, WebchatSessions } from './sessions.ts';

export interface WebchatRouteDeps {
  conversations: ConversationService;
  sessions: WebchatSessions;
  bus: EventBus;
  maxText: number;
}

export interface MessageView {
  id: number;
  direction: 'in' | 'out';
  sender: MessageRow['senderKind'];
  text: string;
  choices?: { id: string; label: string }[];
  flow?: string;
  step?: string;
  status: MessageRow['deliveryStatus'];
  createdAt: string;
}

export function toView(m: MessageRow): MessageView {
  const payload = (m.payload ?? {}) as { choices?: { id: string; label: string }[]; flow?: string; step?: string };
  return {
    id: m.id,
    direction: m.direction,
    sender: m.senderKind,
    text: m.text,
    ...(payload.choices ? { choices: payload.choices } : {}),
    ...(payload.flow ? { flow: payload.flow } : {}),
    ...(payload.step ? { step: payload.step } : {}),
    status: m.deliveryStatus,
    createdAt: m.createdAt,
  };
}

// Unknown fields are ignored (front ends add their own); the fields we read must be right.
const sessionBody = z.object({ locale: z.enum(['ar', 'en']).optional() });
const clientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional();
const messageBody = z
  .object({ text: z.string().optional(), choice: z.string().regex(/^[a-z0-9_]{1,64}$/).optional(), clientId })
  .refine((b) => (b.text === undefined) !== (b.choice === undefined), { message: 'send exactly one of "text" or "choice"' });
const afterQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });

function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? h.match(/^Bearer\s+(\S+)$/i) : null;
  return m?.[1];
}

export async function registerWebchatRoutes(app: FastifyInstance, deps: WebchatRouteDeps): Promise<void> {
  async function auth(req: FastifyRequest): Promise<WebchatSession> {
    const session = await deps.sessions.verify(bearer(req));
    if (!session) throw new AppError('ERR_UNAUTHORIZED', 'A valid web chat token is required (Authorization: Bearer <token>).');
    return session;
  }

  app.post('/api/webchat/sessions', async (req, reply) => {
    const parsed = sessionBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError('ERR_VALIDATION', zodMessage(parsed.error));
    const { token, address } = deps.sessions.newToken();
    const started = await deps.conversations.start({ channel: 'webchat', address, ...(parsed.data.locale ? { locale: parsed.data.locale } : {}) });
    await deps.sessions.save(token, started.identityId);
    return reply.code(201).send({ token, conversationId: started.conversationId });
  });

  app.post('/api/webchat/messages', async (req, reply) => {
    const session = await auth(req);
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
      sender: {},
      content: body.text !== undefined ? { type: 'text', text: body.text } : { type: 'choice', id: body.choice ?? '' },
      receivedAt: new Date(),
      raw: null,
    });
    return reply.code(202).send({ id: result.messageId });
  });

  app.get('/api/webchat/messages', async (req) => {
    const session = await auth(req);
    const parsed = afterQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('ERR_VALIDATION', `after: must be a message id. ${zodMessage(parsed.error)}`);
    const rows = await deps.conversations.messagesForIdentity(session.identityId, parsed.data.after, 500);
    return { messages: rows.map(toView) };
  });

  app.get('/api/webchat/stream', { websocket: true }, (socket: WebSocket, req: FastifyRequest) => {
    const query = req.query as Record<string, string | undefined>;
    let unsubscribe: (() => void) | undefined;
    let authed = false;
    const authTimer = setTimeout(() => {
      if (!authed) socket.close(4401, 'unauthorized');
    }, 10_000);

    async function begin(token: string | undefined, after: number): Promise<void> {
      const session = await deps.sessions.verify(token);
      if (!session) {
        socket.close(4401, 'unauthorized');
        return;
      }
      authed = true;
      clearTimeout(authTimer);
      let last = after;
      const queue: MessageRow[] = [];
      let replaying = true;
      const push = (m: MessageRow) => {
        if (m.id <= last || socket.readyState !== socket.OPEN) return;
        last = m.id;
        socket.send(JSON.stringify(toView(m)));
      };
      // Subscribe before reading the backlog so nothing committed in between is missed; ids drop repeats.
      unsubscribe = deps.bus.onMessage((e) => {
        if (e.identityId !== session.identityId) return;
        if (replaying) queue.push(e.message);
        else push(e.message);
      });
      const backlog = await deps.conversations.messagesForIdentity(session.identityId, after, 1000);
      for (const m of backlog) push(m);
      replaying = false;
      for (const m of queue) push(m);
    }

    const startAfter = Number(query.after ?? 0);
    if (query.token) {
      void begin(query.token, Number.isInteger(startAfter) && startAfter >= 0 ? startAfter : 0);
    } else {
      socket.once('message', (data) => {
        let frame: { token?: unknown; after?: unknown } = {};
        try {
          frame = JSON.parse(String(data)) as typeof frame;
        } catch {
          // Not JSON: treat the frame as the bare token.
          frame = { token: String(data) };
        }
        const after = Number(frame.after ?? startAfter);
        void begin(typeof frame.token === 'string' ? frame.token : undefined, Number.isInteger(after) && after >= 0 ? after : 0);
      });
    }
    socket.on('close', () => {
      clearTimeout(authTimer);
      unsubscribe?.();
    });
    socket.on('error', () => unsubscribe?.());
  });
}
