// The access copy as a page a beneficiary can read: Arabic, right to left, dates in Hijri with the Gregorian beside.
import type { Locale } from '../core/messages.ts';
import { formatDualDate, formatDualDateTime } from '../dates/hijri.ts';
import type { ContactExport } from './export.ts';

export interface HtmlTexts {
  t(locale: Locale, key: string, params?: Record<string, string | number>): string;
}

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
type Row = Record<string, unknown>;

export function exportHtml(data: ContactExport, texts: HtmlTexts, locale: Locale = 'ar'): string {
  const t = (key: string, params?: Record<string, string | number>) => esc(texts.t(locale, `retention.${key}`, params));
  const rows = (table: string) => (data.tables[table] ?? []) as Row[];
  const when = (iso: unknown) => (typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? esc(formatDualDateTime(new Date(iso), locale)) : '');
  const list = (items: string[]) => (items.length > 0 ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : `<p>${t('export_none')}</p>`);
  const contact = rows('contacts')[0] ?? {};
  const messages = rows('messages');
  const lastMessage = messages.at(-1)?.createdAt;
  const sections = [
    `<h2>${t('export_contact')}</h2><dl><dt>${t('export_name')}</dt><dd>${esc(contact.displayName)}</dd><dt>${t('export_phone')}</dt><dd dir="ltr">${esc(contact.phone)}</dd><dt>${t('export_national_id')}</dt><dd dir="ltr">${esc(contact.nationalId)}</dd></dl>`,
    `<h2>${t('export_identities')}</h2>${list(rows('contact_identities').map((i) => `${esc(i.channel)}: <bdi>${esc(i.address)}</bdi>`))}`,
    `<h2>${t('export_messages')}</h2><p>${messages.length > 0 ? t('export_messages_count', { count: messages.length, date: typeof lastMessage === 'string' ? formatDualDate(new Date(lastMessage), locale) : '' }) : t('export_none')}</p>`,
    `<h2>${t('export_applications')}</h2>${list(rows('applications').map((a) => `<bdi>${esc(a.reference)}</bdi> — ${esc(a.applicantName)} — ${t('export_status')}: ${esc(texts.t(locale, `status.${String(a.status)}`))} — ${when(a.createdAt)}`))}`,
    `<h2>${t('export_files')}</h2>${list(rows('attachments').map((f) => `<bdi>${esc(f.originalName ?? f.id)}</bdi> (${esc(f.mime)}) — ${when(f.createdAt)}`))}`,
    `<h2>${t('export_interactions')}</h2>${list(rows('interactions').map((i) => `${esc(i.summary)} — ${when(i.occurredAt)}`))}`,
    `<h2>${t('export_views')}</h2>${list(rows('audit_log').map((a) => `${esc(a.officer ?? a.officerId)} — <bdi>${esc(a.action)}</bdi> — ${when(a.at)}`))}`,
  ];
  const dir = locale === 'ar' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><title>${t('export_title')}</title><style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;line-height:1.7}dt{font-weight:bold}</style></head><body><h1>${t('export_title')}</h1><p>${t('export_generated', { date: formatDualDateTime(new Date(data.exportedAt), locale) })}</p>${sections.join('')}</body></html>`;
}
