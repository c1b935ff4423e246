// The live web chat stream: authenticate, replay what came after `after`, then push each new message once (and, when
// asked, whether the conversation takes a file now). A few sockets per token and a bounded number per client network.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { EventBus } from '../conversations/events.ts';
import type { MessageRow } from '../conversations/repo.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { UploadGate } from '../conversations/upload-gate.ts';
import { networkOf } from './quotas.ts';
import type { WebchatSessions } from './sessions.ts';
import { toView } from './view.ts';
import { AppError } from '../core/errors.ts';

export interface StreamDeps {
  conversations: ConversationService;
  sessions: WebchatSessions;
  bus: EventBus;
  uploadGate: UploadGate;
  /** Open sockets allowed per token (tabs) and per client network. */
  wsPerToken: number;
  wsPerIp: number;
  /** The sessions' clock, so a token's end is measured the same way here. */
  now?: () => Date;
}

/** Close codes: the token is wrong (4401, reason "unauthorized") or expired (4401, "token expired"); too many (4429). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_TOO_MANY = 4429;
// setTimeout takes at most 2^31-1 ms (about 24.8 days): a longer wait is taken in steps.
const MAX_TIMER_MS = 2_147_483_647;

function counter() {
  const open = new Map<string, number>();
  return {
    /** Counts one more for `key` unless that would pass `limit`; returns the release, or undefined when full. */
    take(key: string, limit: number): (() => void) | undefined {
      const n = open.get(key) ?? 0;
      if (n >= limit) return undefined;
      open.set(key, n + 1);
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        const left = (open.get(key) ?? 1) - 1;
        if (left <= 0) open.delete(key);
        else open.set(key, left);
      };
    },
  };
}

export function registerStream(scope: FastifyInstance, deps: StreamDeps): void {
  const clock = deps.now ?? (() => new Date());
  const perIp = counter();
  const perToken = counter();

  scope.route({
    method: 'GET',
    url: '/api/webchat/stream',
    // A plain HTTP request here (no Upgrade) gets a clear answer instead of an empty 404.
    handler: async () => {
      throw new AppError('ERR_UPGRADE_REQUIRED', 'This is a WebSocket endpoint: connect with a WebSocket client.');
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
      const query = req.query as Record<string, string | undefined>;
      const releases: (() => void)[] = [];
      let unsubscribe: (() => void) | undefined;
      let authed = false;
      let expiry: NodeJS.Timeout | undefined;
      const authTimer = setTimeout(() => {
        if (!authed) socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
      }, 10_000);
      const cleanup = () => {
        clearTimeout(authTimer);
        clearTimeout(expiry);
        unsubscribe?.();
        unsubscribe = undefined;
        for (const release of releases.splice(0)) release();
      };
      socket.on('close', cleanup);
      socket.on('error', cleanup);

      // Unauthenticated sockets count too: otherwise thousands could sit in their ten seconds of grace.
      const ipSlot = perIp.take(networkOf(req.ip), deps.wsPerIp);
      if (!ipSlot) {
        socket.close(CLOSE_TOO_MANY, 'too many connections from this network');
        return;
      }
      releases.push(ipSlot);

      function closeAt(at: Date): void {
        const wait = at.getTime() - clock().getTime();
        if (wait <= 0) return socket.close(CLOSE_UNAUTHORIZED, 'token expired');
        expiry = setTimeout(() => closeAt(at), Math.min(wait, MAX_TIMER_MS));
        expiry.unref();
      }

      async function begin(token: string | undefined, after: number, wantsState: boolean): Promise<void> {
        const checked = await deps.sessions.check(token);
        if (checked.status !== 'ok') {
          socket.close(CLOSE_UNAUTHORIZED, checked.status === 'expired' ? 'token expired' : 'unauthorized');
          return;
        }
        const { session } = checked;
        authed = true;
        clearTimeout(authTimer);
        if (socket.readyState !== socket.OPEN) return;
        const tokenSlot = perToken.take(session.tokenHash, deps.wsPerToken);
        if (!tokenSlot) {
          socket.close(CLOSE_TOO_MANY, 'too many connections for this chat');
          return;
        }
        releases.push(tokenSlot);
        closeAt(session.expiresAt);
        let last = after;
        let accepts: boolean | undefined;
        const queue: MessageRow[] = [];
        let replaying = true;
        const push = (m: MessageRow) => {
          if (m.id <= last || socket.readyState !== socket.OPEN) return;
          last = m.id;
          socket.send(JSON.stringify(toView(m)));
        };
        // For clients that asked: sent once at the start, then whenever it changes (a document question, an officer).
        const state = () => {
          if (!wantsState) return;
          const now = deps.uploadGate.accepts(session.identityId);
          if (now === accepts || socket.readyState !== socket.OPEN) return;
          accepts = now;
          socket.send(JSON.stringify({ type: 'state', acceptsUpload: now }));
        };
        // Subscribe before reading the backlog so nothing committed in between is missed; ids drop repeats.
        const offMessage = deps.bus.onMessage((e) => {
          if (e.identityId !== session.identityId) return;
          if (replaying) queue.push(e.message);
          else {
            push(e.message);
            state();
          }
        });
        const offStatus = deps.bus.onConversation((e) => {
          if (e.identityId === session.identityId && !replaying) state();
        });
        unsubscribe = () => {
          offMessage();
          offStatus();
        };
        const backlog = await deps.conversations.messagesForIdentity(session.identityId, after, 1000);
        for (const m of backlog) push(m);
        replaying = false;
        for (const m of queue) push(m);
        state();
      }

      function start(token: string | undefined, after: number, wantsState: boolean): void {
        begin(token, after, wantsState).catch((err: unknown) => {
          req.log.error({ err: err instanceof Error ? err.message : String(err) }, 'web chat stream failed');
          socket.close(1011, 'internal error');
        });
      }

      const startAfter = Number(query.after ?? 0);
      if (query.token) {
        start(query.token, Number.isInteger(startAfter) && startAfter >= 0 ? startAfter : 0, query.state === '1');
      } else {
        socket.once('message', (data) => {
          let frame: { token?: unknown; after?: unknown; state?: unknown } = {};
          try {
            const parsed: unknown = JSON.parse(String(data));
            // `null` or a bare number must not throw inside this listener (an uncaught error stops the process).
            frame = parsed !== null && typeof parsed === 'object' ? (parsed as typeof frame) : { token: String(data) };
          } catch {
            // Not JSON: treat the frame as the bare token.
            frame = { token: String(data) };
          }
          const after = Number(frame.after ?? startAfter);
          start(typeof frame.token === 'string' ? frame.token : undefined, Number.isInteger(after) && after >= 0 ? after : 0, frame.state === true || query.state === '1');
        });
      }
    },
  });
}
