// ingest(): the one way in. Webhooks and long-lived channels hand it a verified, normalized event (and the
// delivery reports they carry); it stores the event, gets its media and acknowledges it at the source.
import type { ChannelAdapter, DeliveryUpdate, Logger } from '../core/channel.ts';
import type { NormalizedInbound } from '../core/messages.ts';
import type { InboundMedia } from './media.ts';
import type { ConversationService, ReceiveResult } from './service.ts';

export interface IngestDeps {
  conversations: Pick<ConversationService, 'receive'>;
  media?: Pick<InboundMedia, 'fetchLater' | 'fetchNow'>;
  /** Applies provider delivery reports as a monotonic max (the outbox's applyDeliveryUpdates). */
  applyDeliveries: (channel: string, updates: readonly DeliveryUpdate[]) => void;
  logger: Logger;
}

export interface Ingest {
  /**
   * Stores one inbound event; resolves once it is committed.
   * - `webhook`: the provider waits for our answer, so media downloads and acknowledgements run afterwards.
   * - `source`: a polled or socket source is acknowledged (an email marked seen) only once the event and its
   *   file are stored, so a crash in between means the source offers it again, never a loss.
   */
  event(adapter: ChannelAdapter, event: NormalizedInbound, mode: 'webhook' | 'source'): Promise<ReceiveResult>;
  /** Delivery reports, whichever way they arrived (webhook statuses, WhatsApp Web acks); throws if not stored. */
  deliveries(channel: string, updates: readonly DeliveryUpdate[]): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function createIngest(deps: IngestDeps): Ingest {
  const { conversations, media, logger } = deps;
  return {
    async event(adapter, event, mode) {
      const result = await conversations.receive(event);
      if (mode === 'webhook') {
        // A provider's retry of something stored: nothing more to do.
        if (result.duplicate) return result;
        media?.fetchLater(event, result.messageId);
        adapter.acknowledge?.(event).catch((err: unknown) => logger.warn({ channel: adapter.id, err: messageOf(err) }, 'acknowledge failed'));
        return result;
      }
      // Also for a duplicate: the source offers it again when a crash came before its acknowledgement.
      await media?.fetchNow(event, result.messageId);
      await adapter.acknowledge?.(event);
      return result;
    },
    deliveries(channel, updates) {
      // Throws when they cannot be stored: a webhook then answers 5xx and the provider sends them again.
      if (updates.length > 0) deps.applyDeliveries(channel, updates);
    },
  };
}
