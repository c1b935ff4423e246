// Turns profile data into text params (day names, clock times, contact and account lines) the flows can show as-is.
import type { Json } from '../flows/types.ts';
import { WEEKDAYS } from '../dates/working-hours.ts';
import type { Weekday } from '../dates/working-hours.ts';
import type { ProfileData } from './schema.ts';

type Localized = { ar: string; en: string };
/** Rendered by src/i18n: `{ t: key, params }` becomes that text in the conversation's language. */
type TextRef = { t: string; params: { [key: string]: Json } };

export interface ProfileDisplay {
  [key: string]: Json;
  /** «من الأحد إلى الخميس» or a list for scattered days. */
  days: Localized | TextRef;
  open: Localized;
  close: Localized;
  /** The phone as Saudis dial it in Arabic texts (0112345678), E.164 in English ones. */
  phone: Localized;
  /** One line per way to reach the charity; absent channels are left out rather than shown empty. */
  contact: TextRef[];
  donation_accounts: TextRef[];
}

const INTL: Record<keyof Localized, string> = { ar: 'ar-SA-u-nu-arab', en: 'en-US-u-nu-latn' };

function dayName(day: Weekday, lang: keyof Localized): string {
  // 2023-01-01 was a Sunday, so index i in WEEKDAYS falls on 2023-01-(1+i).
  const date = new Date(Date.UTC(2023, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(INTL[lang], { weekday: 'long', timeZone: 'UTC' }).format(date);
}

function clock(hhmm: string, lang: keyof Localized): string {
  const [h, m] = hhmm.split(':').map(Number);
  const date = new Date(Date.UTC(2023, 0, 1, h ?? 0, m ?? 0));
  const out = new Intl.DateTimeFormat(INTL[lang], { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'UTC' }).format(date);
  return out.replace(/[\u00a0\u202f]/g, ' ');
}

/** Working days in week order, or undefined when they do not form one unbroken run (wrapping past Saturday allowed). */
function asRange(days: readonly Weekday[]): [Weekday, Weekday] | undefined {
  if (days.length < 3 || days.length === 7) return undefined;
  const set = new Set(days);
  const start = WEEKDAYS.findIndex((d, i) => set.has(d) && !set.has(WEEKDAYS[(i + 6) % 7] ?? 'sat'));
  for (let k = 0; k < days.length; k++) if (!set.has(WEEKDAYS[(start + k) % 7] ?? 'sun')) return undefined;
  return [WEEKDAYS[start] ?? 'sun', WEEKDAYS[(start + days.length - 1) % 7] ?? 'sun'];
}

function localized(f: (lang: keyof Localized) => string): Localized {
  return { ar: f('ar'), en: f('en') };
}

function nationalPhone(e164: string): string {
  return e164.startsWith('+966') ? `0${e164.slice(4)}` : e164;
}

export function profileDisplay(p: ProfileData): ProfileDisplay {
  const range = asRange(p.working_hours.days);
  const ordered = WEEKDAYS.filter((d) => p.working_hours.days.includes(d));
  const days: Localized | TextRef = range
    ? { t: 'common.days_range', params: { from: localized((l) => dayName(range[0], l)), to: localized((l) => dayName(range[1], l)) } }
    : localized((l) => new Intl.ListFormat(l, { type: 'conjunction' }).format(ordered.map((d) => dayName(d, l))));

  const phoneLine = (key: string, e164: string): TextRef => ({
    t: key,
    params: { phone: { ar: nationalPhone(e164), en: e164 } },
  });
  const contact: TextRef[] = [phoneLine('common.contact_phone', p.phone)];
  if (p.whatsapp) contact.push(phoneLine('common.contact_whatsapp', p.whatsapp));
  contact.push({ t: 'common.contact_email', params: { email: p.email } });
  contact.push({ t: 'common.contact_website', params: { url: p.website } });
  for (const network of ['x', 'instagram', 'snapchat', 'youtube'] as const) {
    const link = p.social[network];
    if (link) contact.push({ t: `common.contact_${network}`, params: { url: link } });
  }

  return {
    days,
    open: localized((l) => clock(p.working_hours.open, l)),
    close: localized((l) => clock(p.working_hours.close, l)),
    phone: { ar: nationalPhone(p.phone), en: p.phone },
    contact,
    donation_accounts: p.donation_accounts.map((a) => ({ t: 'common.donation_account', params: { bank: a.bank, iban: a.iban } })),
  };
}
