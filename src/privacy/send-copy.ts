// The access copy sent to the beneficiary: the readable summary printed to PDF, stored like any file an officer
// sends, and queued in their conversation through the normal outbox — only over a channel that proves who reads it.
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { ChannelAdapter } from '../core/channel.ts';
import { AppError } from '../core/errors.ts';
import type { Locale } from '../core/messages.ts';
import { sendGeneratedDocument } from '../conversations/send-document.ts';
import type { ConversationService } from '../conversations/service.ts';
import type { Db } from '../db/client.ts';
import { contactIdentities, conversations } from '../db/schema.ts';
import { ensureFreeSpace } from '../files/disk.ts';
import { exportContact } from './export.ts';
import { exportHtml, type HtmlTexts } from './html.ts';

/** Prints a self-contained page to PDF: the letters' Chromium renderer (src/letters/renderer.ts), wired by the gateway. */
export interface PdfPrinter {
  render(html: string): Promise<Buffer>;
}

export interface SendCopyDeps {
  db: Db;
  texts: HtmlTexts;
  renderer: PdfPrinter;
  conversations: Pick<ConversationService, 'replyWithFile'>;
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>;
  uploadsDir: string;
  /** UPLOAD_MIN_FREE_MB in bytes (0 = no check). */
  minFreeBytes: number;
  now: () => Date;
}

/**
 * Channels whose address is the person: a WhatsApp number (Cloud or linked phone) and a Telegram account. A web chat
 * only when the charity's site signed the user in (its address is `user:<id>`); email can be spoofed or shared and an
 * SMS number recycled, so neither carries a copy of someone's whole file.
 */
const PROVING_CHANNELS = ['whatsapp', 'whatsapp-web', 'telegram'] as const;
// The address a web chat gets only from the site's signature (verifiedAddress in src/webchat/identity.ts); an
// anonymous visitor's is a random UUID. tests/privacy/send-copy.test.ts signs one in, so a change there is caught.
const VERIFIED_WEBCHAT = 'user:';
// A summary is a few pages; anything near this means something went wrong.
const MAX_PDF_BYTES = 10 * 1024 * 1024;

type Target = { id: string; channel: string; status: string; locale: Locale; address: string; unverified: boolean };

export interface SentCopy {
  fileName: string;
  size: number;
  message: { id: number; conversationId: string; channel: string };
}

function refusal(target: Target): string | undefined {
  if (target.unverified) return `The conversation is on ${target.channel} from an address nobody vouched for; the copy is sent only where the channel proves the reader's identity.`;
  if ((PROVING_CHANNELS as readonly string[]).includes(target.channel)) return undefined;
  if (target.channel === 'webchat') {
    return target.address.startsWith(VERIFIED_WEBCHAT) ? undefined : 'This web chat is anonymous (not signed in through the charity site); the copy is sent only to a verified identity: WhatsApp, Telegram or a signed-in web chat.';
  }
  return `${target.channel} does not prove who reads it; send the copy over WhatsApp, Telegram or a signed-in web chat, or hand it over in person.`;
}

export function createCopySender(deps: SendCopyDeps) {
  const { db } = deps;
  const columns = {
    id: conversations.id,
    channel: conversations.channel,
    status: conversations.status,
    locale: conversations.locale,
    address: contactIdentities.address,
    unverified: contactIdentities.unverified,
  };

  /** The conversation asked for (it must be this beneficiary's), else their latest open one on a proving channel. */
  function target(contactId: string, asked: string | undefined): Target {
    const base = db.select(columns).from(conversations).innerJoin(contactIdentities, eq(contactIdentities.id, conversations.identityId));
    if (asked) {
      const row = base.where(and(eq(conversations.id, asked), eq(conversations.contactId, contactId))).get();
      if (!row) throw new AppError('ERR_NOT_FOUND', "Conversation not found among this beneficiary's conversations.");
      const why = refusal(row);
      if (why) throw new AppError('ERR_PRECONDITION', why);
      if (row.status === 'closed') throw new AppError('ERR_PRECONDITION', 'This conversation is closed; send the copy once the beneficiary writes to us again.');
      return row;
    }
    const open = base
      .where(and(eq(conversations.contactId, contactId), ne(conversations.status, 'closed'), inArray(conversations.channel, [...PROVING_CHANNELS, 'webchat'])))
      .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`), desc(conversations.createdAt))
      .all();
    const row = open.find((r) => refusal(r) === undefined);
    if (!row) {
      throw new AppError('ERR_PRECONDITION', 'This beneficiary has no open conversation on a channel that proves their identity (WhatsApp, Telegram or a signed-in web chat); the copy is not sent over email, SMS or an anonymous web chat.');
    }
    return row;
  }

  return {
    async send(contactId: string, asked: string | undefined, officer: { id: string; displayName: string }): Promise<SentCopy> {
      const conv = target(contactId, asked);
      if (deps.adapters.get(conv.channel)?.capabilities.media !== true) {
        throw new AppError('ERR_PRECONDITION', `The ${conv.channel} channel is not running or cannot carry a document on this gateway.`);
      }
      await ensureFreeSpace(deps.uploadsDir, deps.minFreeBytes, MAX_PDF_BYTES);
      const now = deps.now();
      const pdf = await deps.renderer.render(exportHtml(exportContact(db, contactId, now), deps.texts, conv.locale));
      const fileName = `${deps.texts.t(conv.locale, 'privacy.copy_file', { date: now.toISOString().slice(0, 10) })}.pdf`;
      const { message, size } = await sendGeneratedDocument(deps, officer, {
        bytes: pdf,
        maxBytes: MAX_PDF_BYTES,
        contactId,
        conversationId: conv.id,
        name: fileName,
        caption: deps.texts.t(conv.locale, 'privacy.copy_caption'),
        now,
      });
      return { fileName, size, message: { id: message.id, conversationId: conv.id, channel: conv.channel } };
    },
  };
}
