// The relations-officer inbox in the HTTP contract: queues, one conversation's picture, the officer's actions,
// dead letters, notes and the beneficiary's recorded calls and visits.
// Imports only zod and plain constants: the inbox compiles against these types without the server's modules.
import { z } from 'zod';
import { IdParams, Timestamp } from './common.ts';

export const QUEUES = ['waiting', 'mine', 'open', 'closed'] as const;
export const INTERACTION_KINDS = ['phone_call', 'visit', 'letter_in', 'letter_out'] as const;
export const NOTE_MAX_LENGTH = 4000;
export const SUMMARY_MAX_LENGTH = 4000;

export const ConversationStatus = z.enum(['bot', 'waiting', 'officer', 'closed']);
export const Direction = z.enum(['in', 'out']);
export const SenderKind = z.enum(['beneficiary', 'bot', 'officer', 'system']);
export const MessageStatus = z.enum(['received', 'queued', 'sent', 'delivered', 'read', 'failed']);
export const DeliveryStatus = z.enum(['pending', 'sent', 'failed', 'rerouted']);
export const InteractionKind = z.enum(INTERACTION_KINDS);
export const Locale = z.enum(['ar', 'en']);
const ApplicationStatus = z.string().describe('new, under_review, … (see the applications area)');

export const PersonRef = z.object({ id: z.string(), displayName: z.string() }).meta({ id: 'PersonRef' });

export const Delivery = z
  .object({
    channel: z.string(),
    address: z.string().describe('Hidden but the last four characters'),
    status: DeliveryStatus,
    error: z.string().nullable().describe("The provider's last error on this channel"),
    attempts: z.number().int(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'Delivery', description: 'What became of an outbound message on one channel and address.' });

export const MessageAttachment = z.object({ id: z.string(), name: z.string().optional(), mime: z.string(), size: z.number().int() }).meta({ id: 'MessageAttachment' });

export const InboxMessage = z
  .object({
    id: z.number().int(),
    conversationId: z.string(),
    channel: z.string(),
    direction: Direction,
    sender: SenderKind,
    senderName: z.string().optional(),
    text: z.string(),
    choices: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
    attachment: MessageAttachment.optional(),
    media: z.string().optional().describe('What the beneficiary sent when it was not text (image, voice note…)'),
    unverifiedSender: z.literal(true).optional().describe('The channel could not prove the sender owns the address'),
    truncated: z.literal(true).optional().describe('Only the start of a longer text was kept'),
    tooLarge: z.object({ size: z.number(), maxBytes: z.number() }).optional().describe('Over the size limit, not downloaded (bytes)'),
    status: MessageStatus,
    createdAt: Timestamp,
    deliveries: z.array(Delivery).optional().describe('Outbound only: where it was queued and what became of it, in order'),
  })
  .meta({ id: 'InboxMessage' });

export const ConversationListItem = z
  .object({
    id: z.string(),
    status: ConversationStatus,
    channel: z.string(),
    contact: z.object({ id: z.string(), displayName: z.string().nullable(), phone: z.string().optional(), nationalId: z.string().optional() }).describe('phone and nationalId masked'),
    assignedOfficer: PersonRef.optional(),
    waitingSince: Timestamp.optional(),
    waitingSeconds: z.number().optional(),
    lastMessage: z.object({ text: z.string(), direction: Direction, createdAt: Timestamp }).nullable(),
    unread: z.number().int().optional().describe('Beneficiary messages since they asked for an officer and since the last officer reply'),
  })
  .meta({ id: 'ConversationListItem' });

export const QueueCounts = z.object({ waiting: z.number().int(), mine: z.number().int(), open: z.number().int() });

export const ConversationState = z
  .object({ id: z.string(), status: ConversationStatus, assignedOfficerId: z.string().nullable() })
  .meta({ id: 'ConversationState', description: 'Where a conversation stands after an action.' });

export const Note = z.object({ id: z.number().int(), conversationId: z.string(), text: z.string(), officer: PersonRef, createdAt: Timestamp }).meta({ id: 'Note' });

export const Interaction = z
  .object({ id: z.string(), contactId: z.string(), kind: InteractionKind, summary: z.string(), occurredAt: Timestamp, recordedBy: PersonRef, createdAt: Timestamp })
  .meta({ id: 'Interaction', description: 'A call, visit or letter staff recorded in the beneficiary\u2019s history.' });

export const ConversationDetail = z
  .object({
    conversation: z.object({
      id: z.string(),
      status: ConversationStatus,
      channel: z.string(),
      locale: Locale,
      assignedOfficer: PersonRef.optional(),
      waitingSince: Timestamp.optional(),
      createdAt: Timestamp,
      closedAt: Timestamp.optional(),
      unverifiedSender: z.literal(true).optional(),
    }),
    contact: z.object({
      id: z.string(),
      displayName: z.string().nullable(),
      phone: z.string().optional(),
      nationalId: z.string().optional(),
      locale: Locale,
      identities: z.array(
        z.object({ id: z.string(), channel: z.string(), address: z.string().describe('masked'), displayName: z.string().optional(), lastInboundAt: Timestamp.optional(), unverified: z.literal(true).optional() }),
      ),
      preferredChannel: z.string().nullable().describe('Where notifications go first; null: the channel they used last'),
      reachableChannels: z.array(z.string()).describe('Enabled channels the beneficiary can be reached on'),
    }),
    history: z.array(InboxMessage),
    historyTruncated: z.boolean(),
    notes: z.array(Note),
    applications: z.array(z.object({ id: z.string(), reference: z.string(), status: ApplicationStatus, createdAt: Timestamp, committeeDueAt: Timestamp, overdue: z.boolean() })),
    interactions: z.array(Interaction),
  })
  .meta({ id: 'ConversationDetail' });

export const FailedDelivery = z
  .object({
    messageId: z.number().int(),
    conversationId: z.string(),
    channel: z.string(),
    address: z.string(),
    error: z.string().nullable(),
    updatedAt: Timestamp,
    text: z.string().describe('The start of the message'),
    contactName: z.string().nullable(),
  })
  .meta({ id: 'FailedDelivery', description: 'A dead letter: an outbound message a channel refused for good.' });

const ListQuery = z.object({
  queue: z.enum(QUEUES).default('waiting'),
  q: z.string().max(200).optional().describe('An application reference, a national ID, a mobile or a name'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});
const StateAnswer = { 200: z.object({ conversation: ConversationState }) };
const MessageParams = z.object({ id: z.coerce.number().int().positive() });
const AttachmentParams = z.object({ id: z.string().min(1).max(100), attachmentId: z.string().min(1).max(100) });

export const inboxRoutes = {
  list: {
    querystring: ListQuery,
    response: { 200: z.object({ items: z.array(ConversationListItem), counts: QueueCounts, nextCursor: z.string().optional().describe('Pass back as cursor for the next page') }) },
  },
  detail: { params: IdParams, response: { 200: ConversationDetail } },
  preferredChannel: {
    params: IdParams,
    // null clears the choice (notifications go where the beneficiary wrote last).
    body: z.object({ channel: z.string().min(1).max(40).nullable() }),
    response: { 200: z.object({ contact: z.object({ id: z.string(), preferredChannel: z.string().nullable(), reachableChannels: z.array(z.string()) }) }) },
  },
  take: { params: IdParams, response: StateAnswer },
  // Too long is the service's 413 (as in the web chat), not a 400.
  reply: { params: IdParams, body: z.object({ text: z.string().trim().min(1) }), response: { 201: z.object({ message: InboxMessage }) } },
  sendFile: {
    params: IdParams,
    consumes: ['multipart/form-data'],
    description: 'multipart/form-data: one `file` and an optional `caption`.',
    response: { 201: z.object({ message: InboxMessage }) },
  },
  note: { params: IdParams, body: z.object({ text: z.string().trim().min(1).max(NOTE_MAX_LENGTH) }), response: { 201: z.object({ note: Note }) } },
  refer: { params: IdParams, body: z.object({ researcherId: z.string().min(1).max(100), note: z.string().trim().max(NOTE_MAX_LENGTH).optional() }), response: StateAnswer },
  handBack: { params: IdParams, response: StateAnswer },
  close: { params: IdParams, response: StateAnswer },
  failed: { response: { 200: z.object({ failed: z.array(FailedDelivery) }) } },
  retry: { params: MessageParams, response: { 200: z.object({ requeued: z.number().int() }) } },
  attachment: { params: AttachmentParams, response: { 200: z.unknown().describe('The file, with its own Content-Type') } },
  interactionCreate: {
    params: z.object({ id: z.string().min(1).max(100) }),
    body: z.object({ kind: InteractionKind, summary: z.string().trim().min(1).max(SUMMARY_MAX_LENGTH), occurredAt: z.iso.datetime({ offset: true }).optional() }),
    response: { 201: z.object({ interaction: Interaction }) },
  },
  interactionList: { params: z.object({ id: z.string().min(1).max(100) }), response: { 200: z.object({ interactions: z.array(Interaction) }) } },
  events: {
    produces: ['text/event-stream'],
    description: 'Server-sent events: conversation and message updates for the inbox, until the session ends.',
    response: { 200: z.string().describe('text/event-stream') },
  },
} as const;

export type ConversationListPage = z.infer<(typeof inboxRoutes.list.response)[200]>;
export type ConversationListItem = z.infer<typeof ConversationListItem>;
export type ConversationDetail = z.infer<typeof ConversationDetail>;
export type InboxMessage = z.infer<typeof InboxMessage>;
export type Delivery = z.infer<typeof Delivery>;
export type FailedDelivery = z.infer<typeof FailedDelivery>;
export type Note = z.infer<typeof Note>;
export type Interaction = z.infer<typeof Interaction>;
export type ConversationState = z.infer<typeof ConversationState>;
export type PreferredChannelAnswer = z.infer<(typeof inboxRoutes.preferredChannel.response)[200]>;
