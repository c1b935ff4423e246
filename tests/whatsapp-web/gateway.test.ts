// WhatsApp Web inside the gateway, with an injected fake client: the QR reaches admins only, messages flow both ways.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { signInInject } from '../support/officers.ts';

class FakeClient extends EventEmitter {
  sent: { chatId: string; text: string }[] = [];
  async initialize(): Promise<void> {}
  async sendMessage(chatId: string, text: string) {
    this.sent.push({ chatId, text });
    return { id: { _serialized: `true_${chatId}_${this.sent.length}` } };
  }
  async destroy(): Promise<void> {}
}

let gw: TestGateway;
const client = new FakeClient();
const cookies = new Map<string, string>();

beforeAll(async () => {
  gw = await startGateway({ WHATSAPP_WEB_ENABLED: 'true' }, { channels: { whatsappWeb: { clientFactory: () => client, reconnectMs: 10 } } });
  await gw.listen();
  for (const role of ['admin', 'officer'] as const) {
    await gw.auth.createOfficer({ email: `${role}@example.org`, displayName: role, role, password: `quiet lantern orbit 2026` });
    const res = await signInInject(gw, `${role}@example.org`, `quiet lantern orbit 2026`);
    cookies.set(role, String(res.headers['set-cookie']).split(';')[0] ?? '');
  }
}, 30_000);
afterAll(async () => {
  await gw.close();
});

describe('WhatsApp Web through the gateway', () => {
  it('shows the linking QR code to admins only, then the ready state', async () => {
    client.emit('qr', '2@FAKE-QR-PAYLOAD');
    const asAdmin = await gw.app.inject({ method: 'GET', url: '/api/admin/channels', headers: { cookie: cookies.get('admin') ?? '' } });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.headers['cache-control']).toBe('no-store');
    const channels = (asAdmin.json() as { channels: { id: string; status?: { state: string; since: string; qrSvg?: string } }[] }).channels;
    expect(channels.map((c) => c.id)).toEqual(['webchat', 'whatsapp-web']);
    const channel = channels.find((c) => c.id === 'whatsapp-web');
    expect(channel?.status?.state).toBe('qr');
    expect(channel?.status?.qrSvg?.startsWith('<svg')).toBe(true);
    // The drawing carries the code; the raw pairing string does not travel on its own.
    expect(asAdmin.body).not.toContain('FAKE-QR-PAYLOAD');
    const asOfficer = await gw.app.inject({ method: 'GET', url: '/api/admin/channels', headers: { cookie: cookies.get('officer') ?? '' } });
    expect(asOfficer.statusCode).toBe(403);
    expect(asOfficer.json()).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
    const anonymous = await gw.app.inject({ method: 'GET', url: '/api/admin/channels' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
    client.emit('ready');
    const after = await gw.app.inject({ method: 'GET', url: '/api/admin/channels', headers: { cookie: cookies.get('admin') ?? '' } });
    expect(JSON.stringify(after.json())).toContain('"state":"ready"');
    expect(after.body).not.toContain('qrSvg');
  });

  it('answers an Arabic message on the same chat, choices as a numbered list, and records the acks', async () => {
    client.emit('message', {
      id: { _serialized: 'false_966551234567@c.us_3EB0A1' },
      from: '966551234567@c.us',
      fromMe: false,
      body: 'السلام عليكم',
      type: 'chat',
      hasMedia: false,
      timestamp: Math.floor(Date.now() / 1000),
      notifyName: 'أبو سعد',
    });
    await eventually(() => client.sent.some((s) => /^١\. /m.test(s.text)) || undefined, 8000);
    expect(client.sent.every((s) => s.chatId === '966551234567@c.us')).toBe(true);
    const contact = gw.db.$client.prepare(`select c.phone, c.phone_verified from contacts c join contact_identities i on i.contact_id = c.id where i.channel = 'whatsapp-web'`).get() as { phone: string; phone_verified: number };
    expect(contact).toEqual({ phone: '+966551234567', phone_verified: 1 });
    const firstId = `true_966551234567@c.us_1`;
    client.emit('message_ack', { id: { _serialized: firstId }, ack: 3 }, 3);
    await eventually(() => {
      const status = gw.db.$client.prepare(`select m.delivery_status from outbox o join messages m on m.id = o.message_id where o.external_id = ?`).pluck().get(firstId);
      return status === 'read' || undefined;
    });
  });
});
