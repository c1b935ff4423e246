// A channel adapter for tests that records what the worker sent and fails on demand (a fake provider, not our code).
import type { ChannelAdapter, ChannelCapabilities } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import type { ChannelId, OutboundMessage } from '../../src/core/messages.ts';

export interface RecordingAdapter extends ChannelAdapter {
  sent: { address: string; message: OutboundMessage; at: number }[];
  failNext(kind: 'retryable' | 'permanent', retryAfterMs?: number): void;
}

export function recordingAdapter(id: ChannelId, caps: Partial<ChannelCapabilities> = {}): RecordingAdapter {
  const failures: { kind: 'retryable' | 'permanent'; retryAfterMs?: number }[] = [];
  const sent: RecordingAdapter['sent'] = [];
  let n = 0;
  return {
    id,
    sent,
    capabilities: {
      maxTextLength: 4096,
      buttons: { max: 3, labelMax: 20 },
      media: false,
      canInitiate: true,
      replyWindowHours: null,
      rate: { perSecond: 1000, perRecipientPerSecond: 1000, perRecipientBurst: 1000 },
      ...caps,
    },
    failNext(kind, retryAfterMs) {
      failures.push({ kind, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    },
    async send(address, message) {
      const failure = failures.shift();
      if (failure) {
        throw new AppError('ERR_CHANNEL_SEND', `fake ${failure.kind} failure`, {
          retryable: failure.kind === 'retryable',
          ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
        });
      }
      sent.push({ address, message, at: Date.now() });
      return { externalId: `fake-${++n}` };
    },
  };
}
