// Where an outbound message goes: the conversation's own address, or a notification's ordered targets, each
// rendered to its channel's capabilities; targets after the first wait in the outbox as fallbacks.
import type { ChannelAdapter } from '../core/channel.ts';
import type { OutboundButton, OutboundMedia, OutboundMessage } from '../core/messages.ts';
import type { Outbox } from '../outbound/outbox.ts';
import type { ContactRow, Repo } from './repo.ts';
import { render } from '../outbound/render.ts';

export interface Target {
  channel: string;
  address: string;
}

export interface IdentityInfo extends Target {
  lastInboundAt: string | null;
}

import type { Locale } from '../core/messages.ts';
export { DEFAULT_NOTIFY_ORDER } from '../core/messages.ts';

/** A channel's language hint ("ar-SA", "en_US") as one of ours, or undefined. */
export function localeOf(value: string | undefined): Locale | undefined {
  const base = value?.toLowerCase().slice(0, 2);
  return base === 'ar' || base === 'en' ? base : undefined;
}

const same = (a: Target, b: Target) => a.channel === b.channel && a.address === b.address;

/**
 * Notification targets, best first: the beneficiary's preferred channel, then the one they wrote on last, then
 * the configured order — the web chat after every channel that reaches a phone, unless it is the preferred one. A mobile number (from a channel or typed in an application) adds SMS when it is enabled.
 * `first` targets (e.g. the registered mobile for a status request) go before everything.
 */
export function notificationTargets(input: {
  identities: readonly IdentityInfo[];
  phone: string | null;
  preferred: string | null;
  order: readonly string[];
  enabled: (channel: string) => boolean;
  first?: readonly Target[];
}): Target[] {
  const candidates: IdentityInfo[] = input.identities.filter((i) => input.enabled(i.channel));
  if (input.phone && input.enabled('sms') && !candidates.some((c) => c.channel === 'sms' && c.address === input.phone)) {
    candidates.push({ channel: 'sms', address: input.phone, lastInboundAt: null });
  }
  const latest = candidates.reduce<IdentityInfo | undefined>((best, c) => (c.lastInboundAt && (!best?.lastInboundAt || c.lastInboundAt > best.lastInboundAt) ? c : best), undefined);
  const rank = (c: IdentityInfo): number[] => {
    const pos = input.order.indexOf(c.channel);
    // The web chat reaches someone only while they have the page open: a channel that rings their phone goes first
    // (the message is filed in their conversation anyway, so the widget shows it when they come back).
    const passive = c.channel === 'webchat' ? 1 : 0;
    return [c.channel === input.preferred ? 0 : 1, passive, latest && same(c, latest) ? 0 : 1, pos === -1 ? input.order.length : pos, -(c.lastInboundAt ? Date.parse(c.lastInboundAt) : 0)];
  };
  const sorted = [...candidates].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
    return 0;
  });
  const out: Target[] = [];
  for (const t of [...(input.first ?? []).filter((f) => input.enabled(f.channel)), ...sorted]) {
    if (!out.some((o) => same(o, t))) out.push({ channel: t.channel, address: t.address });
  }
  return out;
}

export interface OutgoingContent {
  text: string;
  choices?: OutboundButton[];
  listButton?: string;
  numerals?: 'arabic' | 'latin';
  media?: OutboundMedia;
}

/** Render for each target and queue the first; the rest ride along as fallbacks for when it refuses for good. */
export function queueToTargets(
  outbox: Pick<Outbox, 'enqueue'>,
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>,
  input: { messageId: number; targets: readonly Target[]; content: OutgoingContent; now: Date },
): void {
  const rendered = input.targets.map((t) => ({ ...t, parts: renderFor(adapters, t.channel, input.content) }));
  const [first, ...fallbacks] = rendered;
  if (!first) return;
  outbox.enqueue({ messageId: input.messageId, channel: first.channel, address: first.address, parts: first.parts, now: input.now, fallbacks });
}

function renderFor(adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>, channel: string, content: OutgoingContent): OutboundMessage[] {
  const caps = adapters.get(channel)?.capabilities;
  // A channel switched off keeps its rows, unrendered, for when it is back.
  if (!caps) return [{ text: content.text, ...(content.choices?.length ? { buttons: content.choices } : {}) }];
  return render(caps, content, { isolateBidi: caps.bidiIsolation ?? true });
}

export interface Routing {
  repo: Pick<Repo, 'getContact' | 'identitiesOf'>;
  adapters: ReadonlyMap<string, Pick<ChannelAdapter, 'capabilities'>>;
  order: readonly string[];
}

/** A reply in a conversation; a channel with a reply window (WhatsApp) may refuse it late: SMS to the mobile then. */
export function replyTargets(r: Routing, channel: string, address: string, contactId: string): Target[] {
  const own = { channel, address };
  if ((r.adapters.get(channel)?.capabilities.replyWindowHours ?? null) === null || !r.adapters.has('sms')) return [own];
  const phone = r.repo.getContact(contactId)?.phone;
  return phone ? [own, { channel: 'sms', address: phone }] : [own];
}

/** A beneficiary's notification targets: preferred channel, the one used last, then NOTIFY_CHANNEL_ORDER. */
export function targetsFor(r: Routing, contact: Pick<ContactRow, 'id' | 'phone' | 'preferredChannel'>, first: readonly Target[] = []): Target[] {
  return notificationTargets({
    identities: r.repo.identitiesOf(contact.id),
    phone: contact.phone,
    preferred: contact.preferredChannel,
    order: r.order,
    enabled: (channel) => r.adapters.has(channel),
    first,
  });
}
