// Staff registration's field checks: the bot intake's own validators and limits, read from the apply flow's ask
// steps, so a caller registered by phone is held to exactly what a beneficiary typing in a chat is.
import { z } from 'zod';
import type { Locale } from '../core/messages.ts';
import { APPLICATION_SOURCES, DECLARATION_METHODS } from '../db/schema.ts';
import type { Flow, Validator } from '../flows/schema.ts';
import type { Json } from '../flows/types.ts';
import { validate } from '../flows/validators.ts';
import type { Words } from './deps.ts';

/** The body's fields that the intake asks, by the apply flow variable that holds each. */
export const INTAKE_FIELDS = {
  fullName: 'full_name',
  nationalId: 'national_id',
  mobile: 'mobile',
  city: 'city',
  familySize: 'family_size',
  monthlyIncome: 'monthly_income',
  housingType: 'housing_type',
  needType: 'need_type',
} as const;
export type IntakeField = keyof typeof INTAKE_FIELDS;
export const INTAKE_FIELD_NAMES = Object.keys(INTAKE_FIELDS) as IntakeField[];

export type IntakeRules = Record<IntakeField, Validator>;

/** The validators of the apply flow's ask steps; a flow without one of them is a start-up error, not a gap. */
export function intakeRules(flow: Flow | undefined): IntakeRules {
  if (!flow) throw new Error('the apply flow is missing: staff registration uses its validators');
  const byVar = new Map<string, Validator>();
  for (const step of Object.values(flow.steps)) if (step.kind === 'ask') byVar.set(step.var, step.validator);
  const out: Partial<IntakeRules> = {};
  for (const field of INTAKE_FIELD_NAMES) {
    const rule = byVar.get(INTAKE_FIELDS[field]);
    if (!rule) throw new Error(`the apply flow has no ask step for ${INTAKE_FIELDS[field]}`);
    out[field] = rule;
  }
  return out as IntakeRules;
}

/** The choice ids a choice field takes (housingType, needType). */
export function choiceIds(rule: Validator): string[] {
  return rule.type === 'choice' ? rule.choices.map((c) => c.id) : [];
}

export interface FieldProblem {
  reason: string;
  message: Record<Locale, string>;
}

export interface IntakeCheck {
  values: Partial<Record<IntakeField, Json>>;
  problems: Partial<Record<IntakeField, FieldProblem>>;
}

const lookup = () => undefined;

/** Checks the given fields (all of them with `all`): each value as the intake's validator reads it. */
export function checkIntake(rules: IntakeRules, body: Record<string, unknown>, texts: Words & { t(locale: Locale, key: string, params?: Record<string, Json>): string }, now: Date, all: boolean): IntakeCheck {
  const values: IntakeCheck['values'] = {};
  const problems: IntakeCheck['problems'] = {};
  for (const field of INTAKE_FIELD_NAMES) {
    const raw = body[field];
    if (raw === undefined && !all) continue;
    const rule = rules[field];
    const bad = (reason: string, params?: Record<string, Json>) => {
      problems[field] = { reason, message: { ar: texts.t('ar', reason, params), en: texts.t('en', reason, params) } };
    };
    if (raw === undefined || raw === null || raw === '') {
      bad('validation.text_too_short', { min: 1 });
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      bad('validation.text_too_short', { min: 1 });
      continue;
    }
    const text = String(raw);
    if (rule.type === 'choice') {
      // Staff send the stable choice id, never a label to be matched.
      if (choiceIds(rule).includes(text)) values[field] = text;
      else bad('validation.choice_invalid', { max: rule.choices.length });
      continue;
    }
    const result = validate(rule, text, { now, lookup });
    if (result.ok) values[field] = result.value;
    else bad(result.reason, result.params);
  }
  return { values, problems };
}

/** The body of POST /api/applications besides the intake's fields (checked by checkIntake). */
export const registrationBody = z.object({
  source: z.enum(APPLICATION_SOURCES.filter((s) => s !== 'channel') as ['phone', 'walk_in', 'letter', 'representative']),
  locale: z.enum(['ar', 'en']),
  notes: z.string().trim().max(2000).optional(),
  branchId: z.string().min(1).max(40).optional(),
  declaration: z.object({ method: z.enum(DECLARATION_METHODS.filter((m) => m !== 'chat_button') as ['signed_form', 'verbal_recorded', 'in_person']) }),
});
export type RegistrationBody = z.infer<typeof registrationBody>;
