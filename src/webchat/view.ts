// One stored message as the web chat shows it (history and stream share this shape).
import type { MessageRow } from '../conversations/repo.ts';

export interface AttachmentView {
  id: string;
  name?: string;
  mime: string;
  size: number;
}

export interface MessageView {
  id: number;
  direction: 'in' | 'out';
  sender: MessageRow['senderKind'];
  /** The officer's (or bot's) display name, when the service recorded one. */
  senderName?: string;
  text: string;
  choices?: { id: string; label: string }[];
  flow?: string;
  step?: string;
  /** What the question waits for (the ask step's validator type, e.g. a document), so the widget can adapt its input. */
  expects?: string;
  /** The language a bot message was written in: the widget's frame follows the conversation's language. */
  locale?: 'ar' | 'en';
  attachment?: AttachmentView;
  /** An application notice (status, appointment, decision): the widget shows it as a card. */
  notice?: NoticeView;
  /** The visitor's own `clientId` for the send, so a front end can match its optimistic copy exactly. */
  clientId?: string;
  status: MessageRow['deliveryStatus'];
  createdAt: string;
}

export interface NoticeView {
  kind: 'status' | 'appointment' | 'decision';
  reference: string;
  when?: string;
  place?: string;
  cancelled?: boolean;
}

function noticeView(n: unknown): NoticeView | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const o = n as Record<string, unknown>;
  if ((o.kind !== 'status' && o.kind !== 'appointment' && o.kind !== 'decision') || typeof o.reference !== 'string') return undefined;
  return {
    kind: o.kind,
    reference: o.reference,
    ...(typeof o.when === 'string' ? { when: o.when } : {}),
    ...(typeof o.place === 'string' ? { place: o.place } : {}),
    ...(o.cancelled === true ? { cancelled: true } : {}),
  };
}

interface Payload {
  notice?: unknown;
  choices?: { id: string; label: string }[];
  flow?: string;
  step?: string;
  expects?: string;
  locale?: string;
  senderName?: string;
  attachment?: { id?: unknown; name?: unknown; mime?: unknown; size?: unknown };
}

function attachmentOf(a: Payload['attachment']): AttachmentView | undefined {
  if (!a || typeof a.id !== 'string' || typeof a.mime !== 'string' || typeof a.size !== 'number') return undefined;
  return { id: a.id, ...(typeof a.name === 'string' ? { name: a.name } : {}), mime: a.mime, size: a.size };
}

/** Web chat sends carry `<identity id>:<clientId>` as their external id (see routes.ts). */
function clientIdOf(m: MessageRow): string | undefined {
  if (m.direction !== 'in' || m.channel !== 'webchat' || !m.externalId || m.externalId.startsWith('upload:')) return undefined;
  const at = m.externalId.indexOf(':');
  return at > 0 ? m.externalId.slice(at + 1) : undefined;
}

export function toView(m: MessageRow): MessageView {
  const payload = (m.payload ?? {}) as Payload;
  const attachment = attachmentOf(payload.attachment);
  const clientId = clientIdOf(m);
  const notice = m.senderKind === 'system' ? noticeView(payload.notice) : undefined;
  return {
    id: m.id,
    direction: m.direction,
    sender: m.senderKind,
    ...(typeof payload.senderName === 'string' ? { senderName: payload.senderName } : {}),
    text: m.text,
    ...(payload.choices ? { choices: payload.choices } : {}),
    ...(payload.flow ? { flow: payload.flow } : {}),
    ...(payload.step ? { step: payload.step } : {}),
    ...(typeof payload.expects === 'string' ? { expects: payload.expects } : {}),
    ...(payload.locale === 'ar' || payload.locale === 'en' ? { locale: payload.locale } : {}),
    ...(attachment ? { attachment } : {}),
    ...(notice ? { notice } : {}),
    ...(clientId ? { clientId } : {}),
    status: m.deliveryStatus,
    createdAt: m.createdAt,
  };
}
