// Sentences about delivery, from the data: «تعذّر الإرسال عبر واتساب (انتهت مهلة ٢٤ ساعة)، فأُرسلت برسالة نصية إلى •••4567».
import { fill, label, type Strings } from './i18n.ts';
import type { Delivery } from './types.ts';

// Left-to-right isolate: «•••4567» keeps its order inside an Arabic sentence (a <bdi> for plain text).
const LRI = '\u2066';
const PDI = '\u2069';

/** «********4567» → «•••4567»; an address hidden whole → «••••»; anything unmasked is shown as it came. */
export function shortAddress(masked: string): string {
  if (!masked.startsWith('*')) return masked;
  const tail = masked.replace(/^\*+/, '');
  return tail ? `•••${tail}` : '••••';
}

/** A known reason behind a provider's error text, for a short phrase; the full text stays in the tooltip. */
export function failureReason(error: string | undefined): 'window_closed' | 'blocked' | undefined {
  if (!error) return undefined;
  if (/24-hour window|window_closed|re-?engagement|#131047/i.test(error)) return 'window_closed';
  if (/blocked/i.test(error)) return 'blocked';
  return undefined;
}

/** «عبر واتساب», «برسالة نصية» / "on WhatsApp", "by SMS"; a channel without its own phrase gets «عبر <name>». */
export function via(s: Strings, channel: string): string {
  return s.via[channel] ?? fill(s.viaOther, { name: label(s.channel, channel) });
}

export interface RerouteLine {
  text: string;
  /** The provider's own words, for the tooltip. */
  title: string;
}

/** One sentence per channel that could not deliver and handed the message on (the outbox row «rerouted»). */
export function rerouteLines(deliveries: readonly Delivery[], s: Strings): RerouteLine[] {
  const out: RerouteLine[] = [];
  deliveries.forEach((d, i) => {
    if (d.status !== 'rerouted') return;
    const next = deliveries[i + 1];
    const key = failureReason(d.error);
    const reason = key ? fill(s.reasonWrap, { r: label(s.failReason, key) }) : '';
    const template = !next
      ? s.rerouteAlone
      : next.status === 'sent'
        ? s.rerouteSent
        : next.status === 'failed'
          ? s.rerouteFailed
          : next.status === 'rerouted'
            ? s.rerouteAgain
            : s.reroutePending;
    const text = fill(template, {
      via: via(s, d.channel),
      reason,
      next: next ? via(s, next.channel) : '',
      address: next ? `${LRI}${shortAddress(next.address)}${PDI}` : '',
    });
    out.push({ text, title: d.error ?? s.noError });
  });
  return out;
}
