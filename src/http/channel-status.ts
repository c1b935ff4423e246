// What GET /api/admin/channels says about each running channel: its link state and, while a phone must be
// linked, the pairing QR drawn as SVG for the inbox's Channels page.
import QRCode from 'qrcode';
import type { ChannelAdapter } from '../core/channel.ts';

export interface ChannelStatusView {
  /** starting | qr | ready | disconnected for channels with a live link (WhatsApp Web). */
  state: string;
  since?: string;
  /** The pairing QR as an SVG document, only while state is 'qr'. */
  qrSvg?: string;
}

export interface ChannelView {
  id: string;
  /** Absent for channels without a live link (webhooks, the web chat): they are simply on. */
  status?: ChannelStatusView;
}

/**
 * Reads each adapter's optional `status()`. The raw pairing string is left out: the SVG is all the page needs,
 * and a string is easy to paste somewhere by mistake (whoever holds a live one can link a phone to the gateway).
 */
export function createChannelStatus() {
  // One drawing per channel: the page asks every few seconds, the code changes about every 20 s.
  const drawn = new Map<string, { qr: string; svg: string }>();

  async function svgFor(channel: string, qr: string): Promise<string> {
    const cached = drawn.get(channel);
    if (cached?.qr === qr) return cached.svg;
    const svg = await QRCode.toString(qr, { type: 'svg', margin: 1 });
    drawn.set(channel, { qr, svg });
    return svg;
  }

  async function statusOf(adapter: ChannelAdapter): Promise<ChannelStatusView | undefined> {
    const link = adapter.status?.();
    if (!link) return undefined;
    const { state, since, qr } = link;
    const view: ChannelStatusView = { state, ...(since !== undefined ? { since } : {}) };
    if (state === 'qr' && qr) view.qrSvg = await svgFor(adapter.id, qr);
    else drawn.delete(adapter.id);
    return view;
  }

  return {
    async list(adapters: Iterable<ChannelAdapter>): Promise<ChannelView[]> {
      const out: ChannelView[] = [];
      for (const adapter of adapters) {
        const status = await statusOf(adapter);
        out.push({ id: adapter.id, ...(status ? { status } : {}) });
      }
      return out;
    },
  };
}
