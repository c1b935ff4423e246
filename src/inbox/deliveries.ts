// Dead letters for officers: messages a channel refused for good, and a retry that puts them back in the queue.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inboxRoutes as api } from '../api/inbox.ts';
import type { InboxGuard } from './http.ts';
import { AppError } from '../core/errors.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { DeliveryView } from './delivery-view.ts';

const FAILED_LIMIT = 200;

export function registerDeliveryRoutes(
  server: FastifyInstance,
  deps: {
    conversations: Pick<ConversationService, 'failedDeliveries' | 'retryDelivery'>;
    view: Pick<DeliveryView, 'failed'>;
    /** The inbox guard, run before the input is validated. */
    guard: ReturnType<InboxGuard>;
    audit: (req: FastifyRequest, action: string, target: { type: string; id: string }, details?: Record<string, unknown>) => void;
  },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  // The guard runs before the input is validated.
  const guarded = { preValidation: deps.guard };

  // Newest first; addresses hidden but the last four. It names beneficiaries and quotes messages: audited.
  app.get('/api/inbox/failed', { ...guarded, schema: api.failed }, async (req) => {
    const failed = deps.view.failed(await deps.conversations.failedDeliveries(FAILED_LIMIT));
    deps.audit(req, 'deliveries.failed_view', { type: 'outbox', id: 'failed' }, { count: failed.length });
    return { failed };
  });

  app.post('/api/inbox/messages/:id/retry', { ...guarded, schema: api.retry }, async (req) => {
    const { id } = req.params;
    const requeued = await deps.conversations.retryDelivery(id);
    if (requeued === 0) throw new AppError('ERR_NOT_FOUND', 'No failed delivery for this message.');
    deps.audit(req, 'message.retry', { type: 'message', id: String(id) });
    return { requeued };
  });
}
