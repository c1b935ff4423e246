// The web chat channel: messages are read by the widget over our own HTTP/WebSocket API, so sending only hands over.
import type { ChannelAdapter } from '../../src/core/channel.ts';

export function createWebchatAdapter(): ChannelAdapter {
  return {
    id: 'webchat',
    capabilities: {
      maxTextLength: 4000,
      buttons: { max: 12, labelMax: 60 },
      media: true,
      canInitiate: true,
      replyWindowHours: null,
      // The widget and inbox render with <bdi>; isolate characters would only get in the way.
      bidiIsolation: false,
      // The stream pushes stored messages (send() is a no-op); pacing only protects the process, above any real load.
      rate: { perSecond: 20000, perRecipientPerSecond: 200, perRecipientBurst: 200 },
    },
    // Stored messages are already readable by the visitor (GET /api/webchat/messages and the stream).
    async send() {
      return {};
    },
  };
}
