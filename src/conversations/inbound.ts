// One inbound event, read for storing: who sent it (their identity and beneficiary) and what is kept of its content.
import { AppError } from '../core/errors.ts';
import type { Locale, NormalizedInbound } from '../core/messages.ts';
import { stripInvisible } from '../flows/normalize.ts';
import { TEXT_INPUT_MAX } from '../flows/schema.ts';
import type { EngineInput, Json } from '../flows/types.ts';
import { localeOf } from './outgoing.ts';
import type { ContactRow, IdentityRow, Repo } from './repo.ts';

// last_inbound_at serves reply windows measured in hours; rewriting it on every message would cost a page write.
const TOUCH_EVERY_MS = 60_000;

/**
 * The sender's identity, created on first contact. A new identity joins the beneficiary of a number a channel
 * verified, never a typed one. An address the sender only claimed (`sender.unverified`) gets an identity and a
 * contact of its own and never joins anyone: the proven identity of the same address, if any, may be someone else.
 */
export function senderOf(repo: Repo, event: NormalizedInbound, now: Date, defaultLocale: Locale): { identity: IdentityRow; contact: ContactRow } {
  const unverified = event.sender.unverified === true;
  // A claimed address proves nothing, so neither does a number it carries.
  const phone = unverified ? undefined : event.sender.phone;
  let identity = repo.findIdentity(event.channel, event.address, unverified);
  if (!identity) {
    const sameNumber = phone ? repo.findContactByVerifiedPhone(phone) : undefined;
    identity = repo.createContactWithIdentity({
      ...(sameNumber ? { contactId: sameNumber.id } : {}),
      channel: event.channel,
      address: event.address,
      ...(event.sender.displayName ? { displayName: event.sender.displayName } : {}),
      ...(phone ? { phone } : {}),
      locale: localeOf(event.sender.locale) ?? defaultLocale,
      now,
      unverified,
    });
  } else if (
    (event.sender.displayName && event.sender.displayName !== identity.displayName) ||
    !identity.lastInboundAt ||
    now.getTime() - Date.parse(identity.lastInboundAt) > TOUCH_EVERY_MS
  ) {
    repo.touchIdentity(identity.id, { ...(event.sender.displayName ? { displayName: event.sender.displayName } : {}), now });
  }
  const contact = repo.getContact(identity.contactId);
  if (!contact) throw new AppError('ERR_INTERNAL', 'identity without contact');
  if (phone && (!contact.phone || !contact.phoneVerified)) {
    // A channel-proved number replaces a typed one, so later channels can join this beneficiary.
    if (!repo.findContactByProvenPhone(phone)) {
      repo.updateContact(contact.id, { phone, phoneVerified: true }, now);
      contact.phone = phone;
      contact.phoneVerified = true;
    }
  }
  return { identity, contact };
}

/**
 * What the bot reads of a text: its first TEXT_INPUT_MAX characters (one more, so that a text answer longer than
 * any validator allows is still refused as too long rather than cut to fit). Understanding a 20,000-character
 * email costs the engine about 100 ms; its start costs a few.
 */
function engineText(text: string): string {
  if (text.length <= TEXT_INPUT_MAX + 1) return text;
  const end = TEXT_INPUT_MAX + 1;
  const c = text.charCodeAt(end - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? end - 1 : end);
}

export interface StoredContent {
  text: string;
  payload: Json;
  /** What the flow engine reads; undefined for what it cannot (media, a refused message). */
  input: EngineInput | undefined;
}

/** The message row's text and payload for an inbound content, with the marks officers are shown. */
export function storedContent(event: NormalizedInbound, choiceLabel: (id: string) => string | undefined): StoredContent {
  const content = event.content;
  const marks: Record<string, Json> = event.sender.unverified ? { unverifiedSender: true } : {};
  switch (content.type) {
    case 'text':
      return {
        text: stripInvisible(content.text).trim(),
        payload: content.truncated || event.sender.unverified ? { ...marks, ...(content.truncated ? { truncated: true } : {}) } : null,
        input: { type: 'text', text: engineText(content.text) },
      };
    case 'choice':
      return { text: content.text ?? choiceLabel(content.id) ?? content.id, payload: { ...marks, choice: content.id }, input: { type: 'choice', id: content.id } };
    case 'file':
      return {
        text: content.name ?? '',
        payload: { ...marks, attachment: { id: content.attachmentId, name: content.name ?? null, mime: content.mime, size: content.size } },
        input: { type: 'file', id: content.attachmentId, mime: content.mime, ...(content.name ? { name: content.name } : {}) },
      };
    case 'media':
      // The caption is for officers; `ref` lets the gateway download the file after the commit.
      return {
        text: content.caption ?? '',
        payload: { ...marks, media: content.kind, ...(content.ref ? { ref: content.ref } : {}), ...(content.mime ? { mime: content.mime } : {}), ...(content.name ? { name: content.name } : {}) },
        input: undefined,
      };
    case 'too_large':
      return { text: '', payload: { ...marks, tooLarge: { size: content.size, maxBytes: content.maxBytes } }, input: undefined };
    default: {
      const never: never = content;
      throw new Error(`unknown content ${JSON.stringify(never)}`);
    }
  }
}
