// The charity profile (profiles/*.yaml): every fact the flows show, validated strictly so a typo fails at start-up.
import { z } from 'zod';
import { hhmmToMinutes, WEEKDAYS } from '../dates/working-hours.ts';
import { profileDisplay } from './display.ts';

const text = z.string().trim().min(1, 'must not be empty');
export const localizedSchema = z.strictObject({ ar: text, en: text });
export type Localized = z.infer<typeof localizedSchema>;

const hhmm = z.string().refine((v) => hhmmToMinutes(v) !== undefined, 'use 24-hour HH:MM, e.g. "08:00"');
const isoDate = z.iso.date('use a real date as YYYY-MM-DD');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const e164 = z.e164('use E.164, e.g. "+966112345678"');

/** ISO 13616 mod-97: a mistyped donation IBAN sends money elsewhere, so the format alone is not enough. */
export function ibanChecksumOk(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

const saudiIban = z
  .string()
  // Bank statements print IBANs in groups of four; accept that and store the compact form.
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^SA\d{22}$/, 'a Saudi IBAN is "SA" followed by 22 digits')
      .refine(ibanChecksumOk, 'IBAN check digits do not match (mistyped?)'),
  );

const workingHoursSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'at least one working day')
      .refine((days) => new Set(days).size === days.length, 'days must not repeat'),
    open: hhmm,
    close: hhmm,
  })
  .superRefine((wh, ctx) => {
    const open = hhmmToMinutes(wh.open);
    const close = hhmmToMinutes(wh.close);
    if (open !== undefined && close !== undefined && open >= close) {
      ctx.addIssue({ code: 'custom', path: ['close'], message: `close (${wh.close}) must be after open (${wh.open})` });
    }
  });

const holidaySchema = z
  .strictObject({ name: localizedSchema, from: isoDate, to: isoDate })
  .refine((h) => h.from <= h.to, { path: ['to'], message: '"to" must not be before "from"' });

export const profileDataSchema = z.strictObject({
  names: localizedSchema,
  short_name: localizedSchema,
  about: localizedSchema,
  services: z.array(localizedSchema).min(1),
  eligibility_conditions: z.array(localizedSchema).min(1),
  // Stable ids: the checklist item of each application and the tag of an uploaded file.
  required_documents: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a short lower-case id, e.g. "national_id"'), ar: text, en: text }))
    .min(1)
    .refine((list) => new Set(list.map((d) => d.id)).size === list.length, 'document ids must not repeat')
    .refine((list) => list.every((d) => d.id !== 'interview' && d.id !== 'field_visit'), 'document ids "interview" and "field_visit" are the checklist\'s own'),
  eligibility: z
    .strictObject({ interview: z.enum(['required', 'optional']).default('required'), field_visit: z.enum(['required', 'when_needed']).default('when_needed') })
    .default({ interview: 'required', field_visit: 'when_needed' }),
  working_hours: workingHoursSchema,
  holidays: z.array(holidaySchema).default([]),
  address: localizedSchema,
  map_url: url,
  phone: e164,
  whatsapp: e164.optional(),
  email: z.email('must be an email address'),
  website: url,
  social: z
    .strictObject({ x: url.optional(), instagram: url.optional(), snapchat: url.optional(), youtube: url.optional() })
    .default({}),
  donation_accounts: z.array(z.strictObject({ bank: localizedSchema, iban: saudiIban })).default([]),
  /** How numbers are written in Arabic texts (bot and letters): ٠-٩ (arabic) or 0-9 (latin); references and phones stay Latin. English always Latin. */
  digits: z.enum(['arabic', 'latin']).default('arabic'),
  // The beneficiary policy promises a decision period of no less than two weeks.
  committee_review_days: z
    .number()
    .int()
    .min(14, 'the beneficiary policy requires no less than two weeks (14 days)')
    .default(14),
  declaration_version: text,
  // The privacy notice shown before the first personal question; a new version asks everyone again.
  privacy_notice_version: text.default('2026-1'),
  // Branch offices whose representatives («مناديب») register and follow their own cases; empty: one office.
  branches: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a short lower-case id, e.g. "north"'), name: localizedSchema, city: localizedSchema }))
    .default([])
    .refine((list) => new Set(list.map((b) => b.id)).size === list.length, 'branch ids must not repeat'),
  // The licence from the National Center for Non-Profit Sector Development, printed on official letters.
  licence_number: text.optional(),
  timezone: z.literal('Asia/Riyadh').default('Asia/Riyadh'),
});
export type ProfileData = z.output<typeof profileDataSchema>;

/** The validated profile plus `display`: ready-made params (day names, times, contact lines) for the texts. */
export const profileSchema = profileDataSchema.transform((data) => ({ ...data, display: profileDisplay(data) }));
export type Profile = z.output<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
