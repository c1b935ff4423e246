// The live web chat stream: authenticate, replay what came after `after`, then push each new message once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { EventBus } from '../conversations/events.ts';
import type { MessageRow } from '../conversations/repo.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { WebchatSessions } from './sessions.ts';
import { toView } from './view.ts';
import { AppError } from '../core/errors.ts';

export interface StreamDeps {
  conversations: ConversationService;
  sessions: WebchatSessions;
  bus: EventBus;
}

export function registerStream(scope: FastifyInstance, deps: StreamDeps): void {
  scope.route({
    method: 'GET',
    url: '/api/webchat/stream',
    // A plain HTTP request here (no Upgrade) gets a clear answer instead of an empty 404.
    handler: async () => {
      throw new AppError('ERR_UPGRADE_REQUIRED', 'This is a WebSocket endpoint: connect with a WebSocket client.');
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
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

      function start(token: string | undefined, after: number): void {
        begin(token, after).catch((err: unknown) => {
          req.log.error({ err: err instanceof Error ? err.message : String(err) }, 'web chat stream failed');
          socket.close(1011, 'internal error');
        });
      }

      const startAfter = Number(query.after ?? 0);
      if (query.token) {
        start(query.token, Number.isInteger(startAfter) && startAfter >= 0 ? startAfter : 0);
      } else {
        socket.once('message', (data) => {
          let frame: { token?: unknown; after?: unknown } = {};
          try {
            const parsed: unknown = JSON.parse(String(data));
            // `null` or a bare number must not throw inside this listener (an uncaught error stops the process).
            frame = parsed !== null && typeof parsed === 'object' ? (parsed as typeof frame) : { token: String(data) };
          } catch {
            // Not JSON: treat the frame as the bare token.
            frame = { token: String(data) };
          }
          const after = Number(frame.after ?? startAfter);
          start(typeof frame.token === 'string' ? frame.token : undefined, Number.isInteger(after) && after >= 0 ? after : 0);
        });
      }
      socket.on('close', () => {
        clearTimeout(authTimer);
        unsubscribe?.();
      });
      socket.on('error', () => unsubscribe?.());
    },
  });
}
