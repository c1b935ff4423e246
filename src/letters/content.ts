// What a letter says: the charity's letterhead, its number and date, the recipient, and the body for one kind,
// read from the application's records and worded from locales/*/letters.json in the beneficiary's language.
import { and, desc, eq } from 'drizzle-orm';
import { getApplication, type ApplicationRow } from '../applications/queries.ts';
import { AppError } from '../core/errors.ts';
import { maskIdentifier } from '../core/mask.ts';
import type { Locale } from '../core/messages.ts';
import { formatDualDate, formatDualDateTime } from '../dates/hijri.ts';
import type { Db } from '../db/client.ts';
import { sanitizeFilename } from '../files/uploads.ts';
import { applicationDecisions, applicationStatusHistory, applicationVisits, contacts } from '../db/schema.ts';
import type { Profile } from '../profile/schema.ts';

export const LETTER_KINDS = ['receipt', 'documents', 'appointment', 'decision'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

// The letter number is the application's reference and one code per kind: the same letter always has the same number.
const CODES: Record<LetterKind, string> = { receipt: 'REC', documents: 'DOC', appointment: 'APT', decision: 'DEC' };

export interface LetterTexts {
  t(locale: Locale, key: string, params?: Record<string, string>): string;
}

export type Block = { p: string } | { list: string[] };

export interface Letter {
  kind: LetterKind;
  locale: Locale;
  number: string;
  subject: string;
  /** Without the extension; the PDF is saved and sent as `<fileName>.pdf`. */
  fileName: string;
  head: { name: string; licence: string | null; address: string; contact: { label: string; value: string }[] };
  meta: { label: string; value: string; ltr?: boolean }[];
  recipient: { label: string; value: string; ltr?: boolean }[];
  subjectLabel: string;
  greeting: string;
  body: Block[];
  closing: string;
  signature: { signatory: string; org: string; signLabel: string; stampLabel: string };
}

export interface LetterInput {
  db: Db;
  texts: LetterTexts;
  profile: Profile;
  kind: LetterKind;
  applicationId: string;
  now: Date;
}

const toLatin = (s: string) => s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.codePointAt(0) ?? 0) & 0xf));
const toArabic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(0x660 + Number(d)));

/** Digits as the profile says for Arabic letters (Arabic-Indic by default); English letters always use Latin digits. */
export function digitsFor(locale: Locale, digits: Profile['digits']): (s: string) => string {
  return locale === 'ar' && digits === 'arabic' ? (s) => toArabic(toLatin(s)) : toLatin;
}

// Values people typed and Latin references inside a sentence: isolated (FSI/LRI … PDI), so they cannot reorder it.
const fsi = (s: string) => `\u2068${s}\u2069`;
const lri = (s: string) => `\u2066${s}\u2069`;

interface Parts {
  date: Date;
  subject: string;
  body: Block[];
}

export function buildLetter(input: LetterInput): Letter {
  const { db, texts, profile, kind } = input;
  const app = getApplication(db, input.applicationId);
  const contact = db.select({ locale: contacts.locale }).from(contacts).where(eq(contacts.id, app.contactId)).get();
  const locale: Locale = contact?.locale === 'en' ? 'en' : 'ar';
  const t = (key: string, params?: Record<string, string>) => texts.t(locale, key, params);
  const num = digitsFor(locale, profile.digits);
  const date = (d: Date | string) => num(formatDualDate(new Date(d), locale));
  const phone = num(profile.display.phone[locale]);
  const ctx: KindCtx = { db, app: { ...app, reference: lri(app.reference) }, locale, t, num, date, phone: lri(phone), profile, now: input.now };
  const parts = BUILDERS[kind](ctx);
  const number = `${app.reference}/${CODES[kind]}`;
  return {
    kind,
    locale,
    number,
    subject: parts.subject,
    // The project's one file-name cleaner: drops the bidi isolates texts put around references, among others.
    fileName: sanitizeFilename(t('letters.file_name', { number: number.replace('/', '-') })) ?? number.replace('/', '-'),
    head: {
      name: profile.names[locale],
      licence: profile.licence_number ? t('letters.licence', { number: num(profile.licence_number) }) : null,
      // The charity's own texts follow its digits setting too; what officers and beneficiaries typed stays as typed.
      address: num(profile.address[locale]),
      contact: [
        { label: t('letters.phone'), value: phone },
        { label: t('letters.email'), value: profile.email },
        { label: t('letters.website'), value: profile.website.replace(/^https?:\/\//, '').replace(/\/$/, '') },
      ],
    },
    meta: [
      { label: t('letters.number'), value: number, ltr: true },
      { label: t('letters.date'), value: date(parts.date) },
      { label: t('letters.attachments'), value: t('letters.no_attachments') },
    ],
    recipient: [
      { label: t('letters.recipient'), value: app.applicantName },
      { label: t('letters.national_id'), value: num(maskIdentifier(app.nationalId)), ltr: true },
      { label: t('letters.reference'), value: app.reference, ltr: true },
    ],
    subjectLabel: t('letters.subject'),
    greeting: t('letters.greeting', { name: app.applicantName }),
    body: parts.body,
    closing: t('letters.closing'),
    signature: { signatory: t('letters.signatory'), org: profile.names[locale], signLabel: t('letters.signature'), stampLabel: t('letters.stamp') },
  };
}

interface KindCtx {
  db: Db;
  app: ApplicationRow;
  locale: Locale;
  t(key: string, params?: Record<string, string>): string;
  num(s: string): string;
  date(d: Date | string): string;
  phone: string;
  profile: Profile;
  now: Date;
}

const conflict = (message: string) => new AppError('ERR_CONFLICT', message.replace(/[\u2066-\u2069]/g, ''));

const BUILDERS: Record<LetterKind, (c: KindCtx) => Parts> = {
  receipt: ({ app, t, date, phone }) => ({
    date: new Date(app.createdAt),
    subject: t('letters.receipt.subject'),
    body: [
      { p: t('letters.receipt.body', { reference: app.reference, date: date(app.createdAt) }) },
      { p: t('letters.receipt.due', { due: date(app.committeeDueAt) }) },
      { p: t('letters.receipt.follow', { phone }) },
    ],
  }),

  // The documents an officer asked for (stored with the status change), else the charity's usual list.
  documents: ({ db, app, locale, t, num, profile, now }) => {
    const asked = db
      .select({ note: applicationStatusHistory.note, at: applicationStatusHistory.createdAt })
      .from(applicationStatusHistory)
      .where(and(eq(applicationStatusHistory.applicationId, app.id), eq(applicationStatusHistory.toStatus, 'incomplete')))
      .orderBy(desc(applicationStatusHistory.id))
      .get();
    const lines = (asked?.note ?? '').split('\n');
    const listed = lines.find((l) => l.startsWith('documents: '));
    const documents = listed ? listed.slice('documents: '.length).split('; ').filter(Boolean) : profile.required_documents.map((d) => num(d[locale]));
    const note = lines.filter((l) => l !== listed && l.trim() !== '').join(' ');
    return {
      date: asked ? new Date(asked.at) : now,
      subject: t('letters.documents.subject'),
      body: [
        { p: t('letters.documents.body', { reference: app.reference }) },
        { list: documents.map(fsi) },
        ...(note ? [{ p: t('letters.documents.note', { note: fsi(note) }) }] : []),
        { p: t('letters.documents.how', { address: num(profile.address[locale]) }) },
      ],
    };
  },

  appointment: ({ db, app, locale, t, num, phone }) => {
    const visit = db
      .select()
      .from(applicationVisits)
      .where(and(eq(applicationVisits.applicationId, app.id), eq(applicationVisits.status, 'scheduled')))
      .orderBy(desc(applicationVisits.createdAt))
      .get();
    if (!visit) throw conflict(`${app.reference} has no scheduled interview or field visit; schedule one before printing an appointment letter.`);
    const kind = t(visit.kind === 'interview' ? 'notify.kind_interview' : 'notify.kind_field_visit');
    return {
      date: new Date(visit.createdAt),
      subject: t('letters.appointment.subject', { kind }),
      body: [
        { p: t('letters.appointment.body', { kind, reference: app.reference }) },
        { list: [t('letters.appointment.when', { when: num(formatDualDateTime(new Date(visit.scheduledAt), locale)) }), t('letters.appointment.place', { place: fsi(visit.place) })] },
        { p: t(visit.kind === 'interview' ? 'letters.appointment.interview' : 'letters.appointment.field_visit', { phone }) },
      ],
    };
  },

  decision: ({ db, app, t, date, phone }) => {
    const decision = db.select().from(applicationDecisions).where(eq(applicationDecisions.applicationId, app.id)).orderBy(desc(applicationDecisions.id)).get();
    if (!decision) throw conflict(`${app.reference} has no committee decision yet (status: ${app.status}); a decision letter can be printed once the research committee decides.`);
    const params = { reference: app.reference, date: date(decision.createdAt), phone };
    if (decision.decision === 'approved') {
      return { date: new Date(decision.createdAt), subject: t('letters.decision.approved_subject'), body: [{ p: t('letters.decision.approved_body', params) }, { p: t('letters.decision.approved_next') }] };
    }
    return {
      date: new Date(decision.createdAt),
      subject: t('letters.decision.rejected_subject'),
      body: [{ p: t('letters.decision.rejected_body', params) }, { p: t('letters.decision.reasons', { reasons: fsi(decision.reasons) }) }, { p: t('letters.decision.rejected_next', { phone }) }],
    };
  },
};
