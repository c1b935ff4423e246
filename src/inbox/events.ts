// The inbox's live feed over Server-Sent Events: conversation status changes, new messages and assignments to me.
import { inboxRoutes } from '../api/inbox.ts';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { SessionWatch } from '../auth/sessions.ts';
import type { EventBus } from '../conversations/events.ts';
import { INBOX_ROLES, type InboxGuard } from './http.ts';
import type { InboxQueries } from './queries.ts';
import { toInboxMessage } from './view.ts';
import type { OutgoingHttpHeaders } from 'node:http';

export interface InboxEventsDeps {
  bus: EventBus;
  guard: InboxGuard;
  queries: InboxQueries;
  /** Comment lines keep proxies from closing an idle stream; each heartbeat also re-reads the session. */
  heartbeatMs?: number;
  /**
   * `auth.sessionWatch`: a stream belongs to its session and ends the moment it is revoked (sign-out, disabling, password
   * reset or change, a role that may not see the inbox) or found expired on a heartbeat. Only test doubles leave it out.
   */
  sessions?: SessionWatch;
}

export const HEARTBEAT_MS = 20_000;

export function registerInboxEvents(app: FastifyInstance, deps: InboxEventsDeps): void {
  const open = new Set<ServerResponse>();

  // A hijacked response keeps its connection busy, so the server would wait for it forever on close.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  app.get('/api/inbox/events', { preValidation: deps.guard(...INBOX_ROLES), schema: inboxRoutes.events }, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    // A hijacked answer skips Fastify's header writing: carry over what the hooks set (nosniff, HSTS, …).
    res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    const sessionId = req.officerSession?.sessionId;
    const officerId = req.officer?.id;
    const watch = deps.sessions;
    /** False once the session behind this stream has ended or may no longer see the inbox. */
    const stillAllowed = (): boolean => {
      if (!watch) return true;
      const live = sessionId === undefined ? undefined : watch.check(sessionId);
      return live !== undefined && INBOX_ROLES.includes(live.officer.role);
    };
    res.write('retry: 3000\n\n');
    open.add(res);

    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const offConversation = deps.bus.onConversation((e) => {
      // The event names the status; who holds the conversation is read back from the committed row.
      const state = deps.queries.state(e.conversationId);
      send('conversation', { id: e.conversationId, status: e.status, assignedOfficerId: state?.assignedOfficerId ?? null });
    });
    const offMessage = deps.bus.onMessage((e) => send('message', { conversationId: e.conversationId, message: toInboxMessage(e.message) }));
    // Only the officer a case was handed to is alerted, on each of their open streams.
    const offAssignment = deps.bus.onAssignment((e) => {
      if (e.officerId === officerId) send('assignment', { application: e.application ?? null, conversationId: e.conversationId ?? null, by: e.by });
    });
    const end = () => {
      cleanup();
      if (!res.writableEnded) res.end();
    };
    const offSession = watch?.onChange((change) => {
      if (change.sessionIds ? sessionId !== undefined && change.sessionIds.includes(sessionId) : change.officerId === officerId && !stillAllowed()) end();
    });
    // Catches expiry and revocations made by another instance, whose notifications never reach this process.
    const heartbeat = setInterval(() => {
      if (!stillAllowed()) return end();
      if (!res.writableEnded) res.write(': ping\n\n');
    }, deps.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();

    let cleaned = false;
    const cleanup = () => {
      if (cleaned) return;
      cleaned = true;
      clearInterval(heartbeat);
      offConversation();
      offMessage();
      offAssignment();
      offSession?.();
      open.delete(res);
    };
    // Revoked between the guard and here (or a wiring without a session): no event is sent at all.
    if (!stillAllowed()) return end();
    req.raw.on('close', cleanup);
    res.on('close', cleanup);
    res.on('error', cleanup);
  });
}
