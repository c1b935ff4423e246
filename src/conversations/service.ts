// The conversation service: the one writer of contacts, conversations and messages; runs the flow engine in bot mode.
import { eq } from 'drizzle-orm';
import type { ChannelAdapter, Logger } from '../core/channel.ts';
import { AppError } from '../core/errors.ts';
import type { Locale, NormalizedInbound, OutboundMedia } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import type { Pseudonymizer } from '../core/pseudonym.ts';
import { messages } from '../db/schema.ts';
import { detectCommand } from '../flows/commands.ts';
import { step } from '../flows/engine.ts';
import type { EngineContext, EngineInput, EngineOutput, EngineResult, FlowState, Json, Unplaced } from '../flows/types.ts';
import type { Outbox } from '../outbound/outbox.ts';
import { runAction, type ActionProfile, type LookupLimits } from './actions.ts';
import type { EventBus } from './events.ts';
import { createGroupCommit } from './group-commit.ts';
import { claimForApplication, incompleteApplication, nextMissingDocument, reserveForApplication, type ProfileDocument } from './incomplete-upload.ts';
import { awaitsDocument } from './upload-gate.ts';
import { senderOf, storedContent } from './inbound.ts';
import { createNluLog } from './nlu-log.ts';
import { createOfficerActions, type Pending } from './officer.ts';
import { DEFAULT_NOTIFY_ORDER, queueToTargets, replyTargets, targetsFor, type Target } from './outgoing.ts';
import type { ContactRow, ConversationRow, IdentityRow, MessageRow, Repo } from './repo.ts';
import { registerPerson, type RegisteredPerson } from './registration.ts';
import { abandonWaits, answerWaits, openWait } from './waits.ts';

export interface Texts {
  t(locale: Locale, key: string, params?: Record<string, Json>): string;
  lookup(key: string, locale: Locale): string | undefined;
  /** The digits texts in this language are written with (numbered choice lists follow it). */
  digits?(locale: Locale): 'arabic' | 'latin';
}

export interface HandoffInfo {
  /** Whether officers are working now; when not, when they start (in the profile's time zone). */
  isOpen(now: Date): boolean;
  nextOpening(now: Date): Date;
}

export interface ConversationDeps {
  db: Db;
  repo: Repo;
  outbox: Outbox;
  bus: EventBus;
  texts: Texts;
  flows: EngineContext['flows'];
  mainFlow: string;
  surveyFlow: string;
  profile: ActionProfile & Json;
  /** The profile's required documents with their checklist ids (a file sent while an application is «ناقص» is tagged). */
  documents?: readonly ProfileDocument[];
  hours: HandoffInfo;
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>;
  defaultLocale: Locale;
  logger: Logger;
  now?: () => Date;
  /** Called after a commit that wrote outbox rows (the worker's nudge). */
  onOutbox?: () => void;
  /** Channel order for notifications after the preferred and last-used ones (NOTIFY_CHANNEL_ORDER). */
  notifyOrder?: readonly string[];
  /** Status lookups per hour per identity and per client network (STATUS_LOOKUP_LIMIT, STATUS_LOOKUP_IP_LIMIT). */
  lookupLimits?: LookupLimits;
  /** The intent classifier built at start-up (src/nlu); without it the bot matches choices and word lists only. */
  classify?: EngineContext['classify'];
  /** How erasure stood in for provider message ids (src/core/pseudonym.ts): a replayed webhook of an erased message is a duplicate. */
  pseudonym?: Pseudonymizer;
}

export interface ReceiveResult {
  messageId: number;
  conversationId: string;
  duplicate: boolean;
}

/** What one inbound turn of the engine left for the service to do with the message itself. */
interface EngineTurn {
  unplaced: Unplaced | undefined;
  withhold: boolean;
}

const OPEN_STATUSES = new Set(['bot', 'waiting', 'officer']);

export function createConversationService(deps: ConversationDeps) {
  const clock = deps.now ?? (() => new Date());
  const { db, repo } = deps;

  const routing = { repo, adapters: deps.adapters, order: deps.notifyOrder ?? DEFAULT_NOTIFY_ORDER };
  // One stable lookup function, so the engine's per-lookup caches of normalized word lists stay warm.
  const lookup = (k: string, l: Locale) => deps.texts.lookup(k, l);
  const nluLog = createNluLog(db);

  function engineContext(now: Date): EngineContext {
    const base: EngineContext = { flows: deps.flows, mainFlow: deps.mainFlow, profile: deps.profile, lookup, now };
    return deps.classify ? { ...base, classify: deps.classify } : base;
  }

  /** Store a bot/system/officer message and queue it, rendered to each target channel's capabilities. */
  function storeOutbound(
    p: Pending,
    conv: ConversationRow,
    identity: IdentityRow,
    input: {
      text: string;
      senderKind: 'bot' | 'officer' | 'system';
      senderId?: string;
      payload: Record<string, Json>;
      choices?: { id: string; label: string }[];
      media?: OutboundMedia;
      /** Where it goes, best first (notifications); default: this conversation's address, then SMS if WhatsApp refuses. */
      targets?: Target[];
    },
    now: Date,
  ): MessageRow {
    const choices = input.choices ?? [];
    // The language the bot wrote in: the web chat widget follows it (frame strings, direction) after «عربي» / "English".
    const base: Record<string, Json> = input.senderKind === 'bot' ? { ...input.payload, locale: conv.locale } : { ...input.payload };
    const payload: Record<string, Json> = choices.length > 0 ? { ...base, choices } : base;
    const message = repo.insertMessage({
      conversationId: conv.id,
      contactId: conv.contactId,
      channel: conv.channel,
      direction: 'out',
      senderKind: input.senderKind,
      senderId: input.senderId ?? null,
      text: input.text,
      payload,
      externalId: null,
      deliveryStatus: 'queued',
      createdAt: now.toISOString(),
    });
    const targets = input.targets && input.targets.length > 0 ? input.targets : replyTargets(routing, conv.channel, identity.address, conv.contactId);
    const list = choices.length > 0 ? { listButton: deps.texts.t(conv.locale, 'common.list_button'), numerals: deps.texts.digits?.(conv.locale) ?? 'latin' } : {};
    const content = { text: input.text, choices, ...list, ...(input.media ? { media: input.media } : {}) };
    queueToTargets(deps.outbox, deps.adapters, { messageId: message.id, targets, content, now });
    p.outbox = true;
    p.messages.push({ identityId: identity.id, conversationId: conv.id, message });
    if (input.senderKind === 'officer') answerWaits(db, conv.id, now, input.senderId);
    return message;
  }

  function setStatus(p: Pending, conv: ConversationRow, identity: IdentityRow, status: ConversationRow['status'], now: Date): void {
    if (conv.status === status) return;
    conv.status = status;
    if (status === 'waiting') {
      conv.waitingSince = now.toISOString();
      openWait(db, conv.id, now);
    }
    if (status === 'bot' || status === 'closed') abandonWaits(db, conv.id, now);
    if (status === 'bot') {
      conv.waitingSince = null;
      conv.assignedOfficerId = null;
    }
    p.statuses.push({ identityId: identity.id, conversationId: conv.id, status });
  }

  function say(p: Pending, conv: ConversationRow, identity: IdentityRow, key: string, params: Record<string, Json>, now: Date, extra: Record<string, Json> = {}): void {
    storeOutbound(p, conv, identity, { text: deps.texts.t(conv.locale, key, params), senderKind: 'bot', payload: { key, ...extra } }, now);
  }

  function announceHandoff(p: Pending, conv: ConversationRow, identity: IdentityRow, now: Date, at: Record<string, Json> = {}): void {
    if (deps.hours.isOpen(now)) {
      say(p, conv, identity, 'handoff.waiting_open', {}, now, at);
    } else {
      const next = deps.hours.nextOpening(now);
      say(p, conv, identity, 'handoff.waiting_closed', { next_opening: { datetime: next.toISOString() } }, now, at);
    }
  }

  function applyOutputs(p: Pending, conv: ConversationRow, identity: IdentityRow, contact: ContactRow, outputs: EngineOutput[], now: Date): void {
    for (const out of outputs) {
      switch (out.type) {
        case 'text': {
          const choices = out.choices?.map((c) => ({ id: c.id, label: deps.texts.t(conv.locale, c.label, c.params) }));
          storeOutbound(
            p,
            conv,
            identity,
            {
              text: deps.texts.t(conv.locale, out.key, out.params),
              senderKind: 'bot',
              payload: { key: out.key, flow: out.flow, step: out.step, ...(out.expects ? { expects: out.expects } : {}) },
              ...(choices ? { choices } : {}),
            },
            now,
          );
          break;
        }
        case 'handoff':
          setStatus(p, conv, identity, 'waiting', now);
          announceHandoff(p, conv, identity, now, { flow: out.flow, step: out.step });
          break;
        case 'locale':
          conv.locale = out.locale;
          if (contact.locale !== out.locale) {
            repo.updateContact(contact.id, { locale: out.locale }, now);
            contact.locale = out.locale;
          }
          break;
        default: {
          const never: never = out;
          throw new Error(`unknown engine output ${JSON.stringify(never)}`);
        }
      }
    }
  }

  /** Run the engine, and every action it asks for, until it waits for the beneficiary. */
  function runEngine(p: Pending, conv: ConversationRow, identity: IdentityRow, contact: ContactRow, input: EngineInput, now: Date, clientIp?: string): EngineTurn {
    const ctx = engineContext(now);
    let state: FlowState | null = conv.flowState;
    if (state) state = { ...state, locale: conv.locale, vars: { ...state.vars } };
    let result: EngineResult = step(ctx, state ?? seedState(conv, identity, contact), input);
    const turn: EngineTurn = { unplaced: result.unplaced, withhold: result.withhold === true };
    for (let guard = 0; ; guard++) {
      applyOutputs(p, conv, identity, contact, result.outputs, now);
      const action = result.action;
      if (!action || guard > 20) break;
      const notify = (contactId: string, key: string, params: Record<string, Json>, first?: Target[]) => void officer.notifyIn(p, contactId, key, params, now, first);
      const actionCtx = { db, repo, conversation: conv, contact, identity, profile: deps.profile, now, notify, clientIp, lookupLimits: deps.lookupLimits, textsMobiles: deps.adapters.has('sms') };
      const feed = runAction(action.name, actionCtx, action.args, () => deps.logger.error({ action: action.name }, 'flow called an unknown action'));
      result = step(ctx, result.state, feed);
    }
    conv.flowState = result.state;
    return turn;
  }

  function seedState(conv: ConversationRow, identity: IdentityRow, contact: ContactRow): FlowState {
    const vars: Record<string, Json> = { channel: conv.channel };
    if (contact.phone) vars.channel_phone = contact.phone;
    const name = identity.displayName ?? contact.displayName;
    if (name) vars.display_name = name;
    return { flow: deps.mainFlow, step: deps.flows.get(deps.mainFlow)?.start ?? '', waiting: 'idle', locale: conv.locale, vars, attempts: 0, stack: [], history: [] };
  }

  function choiceLabel(conversationId: string, id: string): string | undefined {
    const choices = (repo.lastOutboundPayload(conversationId) as { choices?: { id: string; label: string }[] } | null)?.choices;
    return choices?.find((c) => c.id === id)?.label;
  }

  function finish(p: Pending): void {
    for (const s of p.statuses) safe(() => deps.bus.emitConversation(s));
    for (const m of p.messages) safe(() => deps.bus.emitMessage(m));
    if (p.outbox) safe(() => deps.onOutbox?.());
  }

  function safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'after-commit listener failed');
    }
  }

  function openConversationFor(identity: IdentityRow, contact: ContactRow, now: Date): ConversationRow {
    const latest = repo.latestConversation(identity.id);
    if (latest && OPEN_STATUSES.has(latest.status)) return latest;
    // A closed conversation still collecting its satisfaction survey keeps the answers.
    if (latest && latest.status === 'closed' && latest.flowState?.flow === deps.surveyFlow && latest.flowState.waiting === 'input') return latest;
    return repo.createConversation({ identity, locale: contact.locale, now });
  }

  /** One inbound event inside the caller's transaction (a savepoint of the batch). */
  function receiveInTx(event: NormalizedInbound, now: Date, p: Pending): ReceiveResult {
    // After an erasure the message's provider id is kept only as its one-way stand-in: a replay finds that, and
    // stores nothing again.
    const existing = repo.findMessageByExternal(event.channel, event.externalId) ?? (deps.pseudonym && repo.findMessageByExternal(event.channel, deps.pseudonym('message', `${event.channel}:${event.externalId}`)));
    if (existing !== undefined) {
      const row = db.select({ conversationId: messages.conversationId }).from(messages).where(eq(messages.id, existing)).get();
      return { messageId: existing, conversationId: row?.conversationId ?? '', duplicate: true };
    }
    const { identity, contact } = senderOf(repo, event, now, deps.defaultLocale);
    const conv = openConversationFor(identity, contact, now);
    const statusBefore = conv.status;
    const content = event.content;
    const { text, payload, input } = storedContent(event, (id) => choiceLabel(conv.id, id));
    const inbound = repo.insertMessage({
      conversationId: conv.id,
      contactId: contact.id,
      channel: event.channel,
      direction: 'in',
      senderKind: 'beneficiary',
      text,
      payload,
      externalId: event.externalId,
      deliveryStatus: 'received',
      raw: (event.raw ?? null) as Json,
      createdAt: now.toISOString(),
    });
    p.messages.push({ identityId: identity.id, conversationId: conv.id, message: inbound });
    if (content.type === 'file') repo.linkAttachment(content.attachmentId, contact.id, { messageId: inbound.id, conversationId: conv.id });
    // While an application is «ناقص», a photo or file is taken for it (unless the bot is asking for a document itself).
    const upload = content.type === 'file' || (content.type === 'media' && (content.kind === 'image' || content.kind === 'document'));
    const incomplete = upload && !(conv.status === 'bot' && awaitsDocument(deps.flows, conv.flowState)) ? incompleteApplication(db, contact.id) : undefined;
    if (incomplete) {
      const document = nextMissingDocument(db, incomplete.id, deps.documents ?? []);
      // A provider's media is stored after the commit (media.ts) and claimed there; its document is reserved now.
      if (content.type === 'file') claimForApplication(db, { attachmentId: content.attachmentId, applicationId: incomplete.id, document, now: now.toISOString() });
      else reserveForApplication(db, { messageId: inbound.id, applicationId: incomplete.id, document, now: now.toISOString() });
      if (conv.status !== 'waiting' && conv.status !== 'officer') {
        const named: Json = document ? { ar: document.ar, en: document.en } : { t: 'checklist.a_document' };
        const params = { reference: incomplete.reference, document: named };
        say(p, conv, identity, 'checklist.upload_thanks', params, now);
      }
    } else if (content.type === 'too_large') {
      // Whatever the conversation is doing, the sender learns that this one did not get through.
      say(p, conv, identity, 'common.too_large', { max_mb: Number((content.maxBytes / (1024 * 1024)).toFixed(1)) }, now);
    } else if (conv.status === 'waiting' || conv.status === 'officer') {
      // With a human in charge the bot is silent, except for the global commands.
      const command = input?.type === 'text' ? detectCommand(input.text, lookup) : undefined;
      if (input && (command === 'menu' || command === 'cancel')) {
        setStatus(p, conv, identity, 'bot', now);
        runEngine(p, conv, identity, contact, input, now, event.sender.ip);
      } else if (command === 'english' || command === 'arabic') {
        const locale: Locale = command === 'english' ? 'en' : 'ar';
        applyOutputs(p, conv, identity, contact, [{ type: 'locale', locale }], now);
        say(p, conv, identity, conv.status === 'waiting' ? 'handoff.language_switched_waiting' : 'handoff.language_switched', {}, now);
      } else if (command === 'officer' && conv.status === 'waiting') {
        announceHandoff(p, conv, identity, now);
      }
    } else if (!input) {
      // A photo or voice note: say politely that we read text, and keep the pending question as it is.
      if (!conv.flowState) runEngine(p, conv, identity, contact, { type: 'start' }, now);
      // A sticker is a smile, not a document: it gets one back (the pending question stays as it is).
      const sticker = content.type === 'media' && content.kind === 'sticker';
      say(p, conv, identity, sticker ? 'engine.emoji_reply' : 'common.media_unsupported', {}, now);
    } else {
      const locale = conv.locale;
      const { unplaced, withhold } = runEngine(p, conv, identity, contact, input, now, event.sender.ip);
      // Typed at the privacy notice without answering it: not kept (no personal data before consent).
      // Typed at the privacy notice without answering it: not kept (no personal data before consent). An unproven
      // sender stays marked as such: officers must still see that the address was not verified.
      if (withhold) repo.withholdMessage(inbound, deps.texts.t(conv.locale, 'privacy.withheld'), { ...(event.sender.unverified ? { unverifiedSender: true } : {}), withheld: true });
      if (input.type === 'text') nluLog.record({ conversationId: conv.id, channel: event.channel, locale, text: input.text, unplaced, now });
      // Survey answers keep the conversation closed; a beneficiary who leaves the survey reopens it.
      if (conv.status === 'closed' && conv.flowState?.flow !== deps.surveyFlow) setStatus(p, conv, identity, 'bot', now);
    }
    repo.saveConversation(conv, now, conv.status !== statusBefore);
    return { messageId: inbound.id, conversationId: conv.id, duplicate: false };
  }

  const batcher = createGroupCommit(db, (event: NormalizedInbound, p: Pending) => receiveInTx(event, clock(), p), {
    afterCommit: (result, p) => {
      if (!result.duplicate) finish(p);
    },
    newContext: (): Pending => ({ messages: [], statuses: [], outbox: false }),
  });

  const officer = createOfficerActions({
    db,
    repo,
    clock,
    surveyFlow: deps.surveyFlow,
    texts: deps.texts,
    outbox: deps.outbox,
    onOutbox: () => deps.onOutbox?.(),
    storeOutbound,
    targetsFor: (contact, first) => targetsFor(routing, contact, first),
    setStatus,
    say: (p, conv, identity, key, params, now) => say(p, conv, identity, key, params, now),
    runEngine,
    seedState,
    finish,
  });

  return {
    ...officer,
    /** Store one inbound event and run the bot, all in one transaction. Replays return the first result. */
    async receive(event: NormalizedInbound): Promise<ReceiveResult> {
      return batcher.submit(event);
    },

    /** Open a conversation for a new identity (the web chat) and let the bot greet it. */
    async start(input: { channel: NormalizedInbound['channel']; address: string; locale?: Locale; displayName?: string; verifiedPhone?: string }): Promise<{ conversationId: string; identityId: string }> {
      const now = clock();
      const p: Pending = { messages: [], statuses: [], outbox: false };
      const phone = input.verifiedPhone;
      const out = db.$client.transaction(() => {
        // A number the site vouched for (signed) joins the beneficiary who wrote from it on WhatsApp or SMS.
        const sameNumber = phone ? repo.findContactByVerifiedPhone(phone) : undefined;
        const identity =
          repo.findIdentity(input.channel, input.address) ??
          repo.createContactWithIdentity({
            channel: input.channel,
            address: input.address,
            locale: input.locale ?? deps.defaultLocale,
            now,
            ...(sameNumber ? { contactId: sameNumber.id } : phone ? { phone } : {}),
            ...(input.displayName ? { displayName: input.displayName } : {}),
          });
        const contact = repo.getContact(identity.contactId);
        if (!contact) throw new AppError('ERR_INTERNAL', 'identity without contact');
        if (phone && !sameNumber && (contact.phone !== phone || !contact.phoneVerified)) repo.updateContact(contact.id, { phone, phoneVerified: true }, now);
        const conv = openConversationFor(identity, contact, now);
        if (!conv.flowState) runEngine(p, conv, identity, contact, { type: 'start' }, now);
        repo.saveConversation(conv, now);
        return { conversationId: conv.id, identityId: identity.id };
      })();
      finish(p);
      return out;
    },

    /** The language of an identity's latest conversation (the web chat shows its frame in it). */
    localeForIdentity(identityId: string): Locale | undefined {
      return repo.latestConversation(identityId)?.locale;
    },

    /** Staff register a caller or walk-in: found or created by mobile (synchronous, so it joins the caller's transaction). */
    registerPerson(person: RegisteredPerson, now: Date): { contactId: string; created: boolean } {
      const { contact, created } = db.$client.transaction(() => registerPerson(repo, person, now))();
      return { contactId: contact.id, created };
    },

    /** Messages of every conversation of one identity (the web chat's whole history), oldest first. */
    async messagesForIdentity(identityId: string, after: number, limit = 200): Promise<MessageRow[]> {
      return repo.messagesForIdentity(identityId, after, limit);
    },
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;
