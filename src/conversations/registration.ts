// A beneficiary staff register (a caller, a walk-in, a representative's case): found or created by their mobile, with
// a conversation to file their notices in, so a later WhatsApp or SMS from that number is the same beneficiary.
import type { Locale } from '../core/messages.ts';
import type { ContactRow, Repo } from './repo.ts';

export interface RegisteredPerson {
  /** E.164, as the intake's mobile validator returns it. */
  mobile: string;
  name: string;
  nationalId: string;
  locale: Locale;
  officerId: string;
}

/**
 * Synchronous, inside the caller's transaction. The contact whose number a channel proved comes first, then one
 * staff registered earlier; a number only typed in a chat is someone's claim and is never joined.
 */
export function registerPerson(repo: Repo, person: RegisteredPerson, now: Date): { contact: ContactRow; created: boolean } {
  const found = repo.findContactByVerifiedPhone(person.mobile);
  if (found) {
    const patch = {
      ...(found.displayName ? {} : { displayName: person.name }),
      ...(found.nationalId ? {} : { nationalId: person.nationalId }),
      ...(found.locale !== person.locale ? { locale: person.locale } : {}),
    };
    if (Object.keys(patch).length > 0) repo.updateContact(found.id, patch, now);
    // Notices are filed in the conversation they used last; someone with none yet gets one on SMS.
    if (!repo.latestConversationOfContact(found.id)) smsConversation(repo, found.id, person, now);
    return { contact: { ...found, ...patch }, created: false };
  }
  const identity = repo.createContactWithIdentity({
    channel: 'sms',
    address: person.mobile,
    displayName: person.name,
    phone: person.mobile,
    registeredBy: person.officerId,
    inbound: false,
    locale: person.locale,
    now,
  });
  repo.updateContact(identity.contactId, { nationalId: person.nationalId }, now);
  closedConversation(repo, identity.id, person.locale, now);
  const contact = repo.getContact(identity.contactId);
  if (!contact) throw new Error('registered contact vanished');
  return { contact, created: true };
}

function smsConversation(repo: Repo, contactId: string, person: RegisteredPerson, now: Date): void {
  const identity =
    repo.findIdentity('sms', person.mobile) ??
    repo.createContactWithIdentity({ channel: 'sms', address: person.mobile, displayName: person.name, contactId, inbound: false, locale: person.locale, now });
  if (identity.contactId !== contactId) return;
  closedConversation(repo, identity.id, person.locale, now);
}

/** Closed: it holds the notices without sitting in any officer's queue; an SMS from them opens a new one. */
function closedConversation(repo: Repo, identityId: string, locale: Locale, now: Date): void {
  const identity = repo.getIdentity(identityId);
  if (!identity) return;
  const conv = repo.createConversation({ identity, locale, now });
  conv.status = 'closed';
  conv.closedAt = now.toISOString();
  repo.saveConversation(conv, now);
}
