// One gateway per channel with its provider fake behind an OutageProxy, and what "the provider got" means for each.
import { FakeImapServer } from '../fakes/imap-server.ts';
import { OutageProxy } from '../fakes/outage-proxy.ts';
import { SmtpPeer } from '../fakes/smtp-peer.ts';
import { FakeTelegramBotApi, textUpdate } from '../fakes/telegram-bot-api.ts';
import { FakeTwilioApi, inboundSms, postSigned } from '../fakes/twilio-api.ts';
import { FakeUnifonicApi } from '../fakes/unifonic-api.ts';
import { FakeWhatsappGraph, signed, waText, type GraphCall } from '../fakes/whatsapp-graph.ts';
import { IMAP_AUTH } from '../email/support.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, UNIFONIC_APP_SID } from '../sms/support.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { SECRET as TELEGRAM_SECRET, TOKEN as TELEGRAM_TOKEN } from '../telegram/support.ts';
import { APP_SECRET, TOKEN as WHATSAPP_TOKEN, VERIFY_TOKEN } from '../whatsapp/support.ts';
import { HANG_TIMEOUT_MS, memoryLogger } from './support.ts';

export interface Delivered {
  address: string;
  text: string;
}

export interface Scenario {
  channel: 'telegram' | 'whatsapp' | 'sms' | 'email';
  gw: TestGateway;
  proxy: OutageProxy;
  logs: ReturnType<typeof memoryLogger>;
  /** Every message the provider fake accepted, in arrival order. */
  delivered(): Delivered[];
  /** Addresses `during` makes the gateway write to. */
  recipients: string[];
  /** One exchange with the provider up, so the path through the proxy is known to work. */
  warmUp(): Promise<void>;
  /** What beneficiaries do while the provider is down; throws if the gateway does not take it. */
  during(): Promise<void>;
  close(): Promise<void>;
}

const FROM = '"جمعية البر الخيرية" <info@birr.example.org>';

async function proxied(port: number): Promise<OutageProxy> {
  const proxy = new OutageProxy({ port });
  await proxy.start();
  return proxy;
}

const portOf = (url: string) => Number(new URL(url).port);

async function ok(res: Response | Promise<Response>, what: string): Promise<void> {
  const r = await res;
  if (r.status !== 200) throw new Error(`${what}: the gateway answered ${r.status} while the provider was down`);
}

export async function telegramScenario(): Promise<Scenario> {
  const fake = new FakeTelegramBotApi({ token: TELEGRAM_TOKEN });
  const { apiRoot } = await fake.start();
  const proxy = await proxied(portOf(apiRoot));
  const logs = memoryLogger();
  // Webhook mode without an https PUBLIC_URL: no API call at start, only the replies go through the proxy.
  const gw = await startGateway(
    { TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET, TELEGRAM_MODE: 'webhook', TELEGRAM_API_ROOT: proxy.url('http') },
    { logger: logs.logger, channels: { telegram: { requestTimeoutMs: HANG_TIMEOUT_MS } } },
  );
  await gw.listen();
  let updateId = 90_000;
  const say = (chatId: number, text: string) =>
    ok(
      fetch(`${gw.url()}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
        body: JSON.stringify(textUpdate({ updateId: ++updateId, chatId, text, firstName: 'نورة', languageCode: 'ar' })),
      }),
      `telegram webhook from ${chatId}`,
    );
  const chats = [710_001, 710_002, 710_003];
  return {
    channel: 'telegram',
    gw,
    proxy,
    logs,
    recipients: chats.map(String),
    delivered: () => fake.calls('sendMessage').map((c) => ({ address: String(c.body.chat_id), text: String(c.body.text ?? '') })),
    warmUp: () => say(710_000, 'السلام عليكم'),
    during: async () => {
      for (const chat of chats) await say(chat, 'السلام عليكم');
    },
    close: async () => {
      await gw.close();
      await proxy.stop();
      await fake.stop();
    },
  };
}

function graphText(c: GraphCall): string {
  const b = c.body as { text?: { body?: string }; interactive?: { body?: { text?: string } }; template?: unknown };
  return b.text?.body ?? b.interactive?.body?.text ?? JSON.stringify(b.template ?? b);
}

export async function whatsappScenario(): Promise<Scenario> {
  const fake = new FakeWhatsappGraph({ token: WHATSAPP_TOKEN });
  const { url } = await fake.start();
  const proxy = await proxied(portOf(url));
  const logs = memoryLogger();
  const gw = await startGateway(
    {
      WHATSAPP_ACCESS_TOKEN: WHATSAPP_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_GRAPH_URL: `${proxy.url('http')}/v21.0`,
    },
    { logger: logs.logger, channels: { whatsapp: { requestTimeoutMs: HANG_TIMEOUT_MS } } },
  );
  await gw.listen();
  const say = (from: string, text: string) => {
    const { body, signature } = signed(waText({ from, text, name: 'نورة' }), APP_SECRET);
    return ok(
      fetch(`${gw.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body }),
      `whatsapp webhook from ${from}`,
    );
  };
  const numbers = ['966551200001', '966551200002', '966551200003'];
  return {
    channel: 'whatsapp',
    gw,
    proxy,
    logs,
    recipients: numbers,
    delivered: () => fake.calls().filter((c) => typeof c.body.to === 'string').map((c) => ({ address: String(c.body.to), text: graphText(c) })),
    warmUp: () => say('966551200000', 'السلام عليكم'),
    during: async () => {
      for (const n of numbers) await say(n, 'السلام عليكم');
    },
    close: async () => {
      await gw.close();
      await proxy.stop();
      await fake.stop();
    },
  };
}

export async function twilioScenario(): Promise<Scenario> {
  const fake = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { apiUrl } = await fake.start();
  const proxy = await proxied(portOf(apiUrl));
  const logs = memoryLogger();
  const gw = await startGateway(
    { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_URL: proxy.url('http'), PUBLIC_URL, SMS_RATE_PER_SECOND: '10' },
    { logger: logs.logger },
  );
  await gw.listen();
  const say = (from: string, body: string) =>
    ok(postSigned(`${gw.url()}/webhooks/twilio`, `${PUBLIC_URL}/webhooks/twilio`, inboundSms({ from, body }), AUTH_TOKEN), `twilio webhook from ${from}`);
  const numbers = ['+966551300001', '+966551300002', '+966551300003'];
  return {
    channel: 'sms',
    gw,
    proxy,
    logs,
    recipients: numbers,
    // Only calls the fake accepted (a SID was issued) count as delivered.
    delivered: () => fake.calls().filter((c) => c.sid !== undefined).map((c) => ({ address: c.form.To ?? '', text: c.form.Body ?? '' })),
    warmUp: () => say('+966551300000', 'السلام عليكم'),
    during: async () => {
      for (const n of numbers) await say(n, 'السلام عليكم');
    },
    close: async () => {
      await gw.close();
      await proxy.stop();
      await fake.stop();
    },
  };
}

/**
 * Unifonic has no inbound webhook here (SMS through Unifonic only), so the messages are the charity's own:
 * conversations opened with the provider up, then two application-status notifications per beneficiary
 * while it is down — the officer-notify path.
 */
export async function unifonicScenario(): Promise<Scenario> {
  const fake = new FakeUnifonicApi();
  const { apiUrl } = await fake.start();
  const proxy = await proxied(portOf(apiUrl));
  const logs = memoryLogger();
  const gw = await startGateway(
    { UNIFONIC_APP_SID, UNIFONIC_SENDER_ID: 'Birr', UNIFONIC_API_URL: proxy.url('http'), SMS_RATE_PER_SECOND: '10' },
    { logger: logs.logger, channels: { sms: { requestTimeoutMs: HANG_TIMEOUT_MS } } },
  );
  await gw.listen();
  const numbers = ['+966551400001', '+966551400002', '+966551400003'];
  const contactOf = (address: string) =>
    gw.db.$client.prepare(`select contact_id from contact_identities where channel = 'sms' and address = ?`).pluck().get(address) as string | undefined;
  return {
    channel: 'sms',
    gw,
    proxy,
    logs,
    recipients: numbers,
    delivered: () => fake.calls().map((c) => ({ address: `+${c.form.Recipient ?? ''}`, text: c.form.Body ?? '' })),
    // The bot greets each beneficiary; those greetings are before the outage and not counted in it.
    warmUp: async () => {
      for (const address of numbers) await gw.conversations.start({ channel: 'sms', address, locale: 'ar' });
    },
    during: async () => {
      for (const [i, address] of numbers.entries()) {
        const contactId = contactOf(address);
        if (!contactId) throw new Error(`no contact for ${address}`);
        for (const status of ['under_study', 'committee']) {
          const stored = await gw.conversations.notify(contactId, 'notify.application_status', { reference: `B-1447-${i}${status.length}`, status: { t: `status.${status}` } });
          if (!stored) throw new Error(`notify to ${address} stored nothing`);
        }
      }
    },
    close: async () => {
      await gw.close();
      await proxy.stop();
      await fake.stop();
    },
  };
}

export function mail(o: { from: string; name: string; id: string; text: string }): string {
  return [
    `From: "${o.name}" <${o.from}>`,
    'To: info@birr.example.org',
    'Subject: =?UTF-8?B?' + Buffer.from('استفسار عن المساعدات').toString('base64') + '?=',
    `Message-ID: <${o.id}@example.sa>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(o.text).toString('base64'),
    '',
  ].join('\n');
}

export interface EmailScenario extends Scenario {
  imap: FakeImapServer;
  peer: SmtpPeer;
}

/** Email with the proxy in front of the SMTP peer (outbound outage) or of the IMAP server (inbound outage). */
export async function emailScenario(side: 'smtp' | 'imap'): Promise<EmailScenario> {
  const imap = new FakeImapServer(IMAP_AUTH);
  const peer = new SmtpPeer();
  const { port: imapPort } = await imap.start();
  const { port: smtpPort } = await peer.start();
  const proxy = await proxied(side === 'smtp' ? smtpPort : imapPort);
  const logs = memoryLogger();
  const imapVia = side === 'imap' ? proxy.port : imapPort;
  const smtpVia = side === 'smtp' ? proxy.port : smtpPort;
  const imapUrl = `imap://${encodeURIComponent(IMAP_AUTH.user)}:${encodeURIComponent(IMAP_AUTH.pass)}@127.0.0.1:${imapVia}`;
  // nodemailer reads its timeouts from the URL's query: the only way to bound a silent SMTP server from env.
  const smtpUrl = side === 'smtp' ? `smtp://127.0.0.1:${smtpVia}/?greetingTimeout=${HANG_TIMEOUT_MS}&connectionTimeout=${HANG_TIMEOUT_MS * 2}` : `smtp://127.0.0.1:${smtpVia}`;
  const gw = await startGateway(
    { SMTP_URL: smtpUrl, IMAP_URL: imapUrl, EMAIL_FROM: FROM, EMAIL_POLL_SECONDS: '5' },
    // Polls more often than EMAIL_POLL_SECONDS allows; the back-off after a failed poll stays the default (5 s → 5 min).
    { logger: logs.logger, channels: { email: { pollMs: side === 'smtp' ? 300 : 1000 } } },
  );
  await gw.listen();
  const tag = side === 'smtp' ? 'o' : 'i';
  const senders = [`mona.${tag}@example.sa`, `fahad.${tag}@example.sa`, `huda.${tag}@example.sa`];
  const seen = () => imap.mails.every((m) => m.flags.has('\\Seen'));
  return {
    channel: 'email',
    gw,
    proxy,
    logs,
    imap,
    peer,
    recipients: senders,
    delivered: () => peer.received.map((m) => ({ address: m.to[0] ?? '', text: m.parsed.text ?? '' })),
    warmUp: async () => {
      imap.deliver(mail({ from: `warm.${tag}@example.sa`, name: 'تجربة', id: `warm-${tag}`, text: 'السلام عليكم' }));
      const end = Date.now() + 15_000;
      while (!seen() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    },
    // Used by the SMTP side; the IMAP test delivers its mails itself, spread over the outage.
    during: async () => {
      for (const [i, from] of senders.entries()) imap.deliver(mail({ from, name: 'مستفيد', id: `out-${tag}-${i}`, text: 'السلام عليكم' }));
    },
    close: async () => {
      await gw.close();
      await proxy.stop();
      await imap.stop();
      await peer.stop();
    },
  };
}
