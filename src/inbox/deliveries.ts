// Dead letters for officers: messages a channel refused for good, and a retry that puts them back in the queue.
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { DeliveryView } from './delivery-view.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const FAILED_LIMIT = 200;

export function registerDeliveryRoutes(
  app: FastifyInstance,
  deps: {
    conversations: Pick<ConversationService, 'failedDeliveries' | 'retryDelivery'>;
    view: Pick<DeliveryView, 'failed'>;
    preHandler: RouteShorthandOptions['preHandler'];
    audit: (req: FastifyRequest, action: string, target: { type: string; id: string }, details?: Record<string, unknown>) => void;
  },
): void {
  const guarded = deps.preHandler ? { preHandler: deps.preHandler } : {};

  // Newest first; addresses hidden but the last four. It names beneficiaries and quotes messages: audited.
  app.get('/api/inbox/failed', guarded, async (req) => {
    const failed = deps.view.failed(await deps.conversations.failedDeliveries(FAILED_LIMIT));
    deps.audit(req, 'deliveries.failed_view', { type: 'outbox', id: 'failed' }, { count: failed.length });
    return { failed };
  });

  app.post('/api/inbox/messages/:id/retry', guarded, async (req) => {
    const parsed = idParams.safeParse(req.params);
    if (!parsed.success) throw new AppError('ERR_VALIDATION', 'id: must be a message id');
    const requeued = await deps.conversations.retryDelivery(parsed.data.id);
    if (requeued === 0) throw new AppError('ERR_NOT_FOUND', 'No failed delivery for this message.');
    deps.audit(req, 'message.retry', { type: 'message', id: String(parsed.data.id) });
    return { requeued };
  });
}
