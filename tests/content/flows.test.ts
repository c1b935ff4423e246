// The shipped flows: valid against the schema, true to the action contract, and complete in Arabic and English.
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LOCALES } from '../../src/core/messages.ts';
import { evalParams } from '../../src/flows/expressions.ts';
import { phraseList } from '../../src/flows/matching.ts';
import { collectI18nKeys, loadFlows } from '../../src/flows/loader.ts';
import { flowSchema } from '../../src/flows/schema.ts';
import type { Choice, Flow, Step } from '../../src/flows/schema.ts';
import type { Json } from '../../src/flows/types.ts';
import { createI18n } from '../../src/i18n/index.ts';
import type { Texts } from '../../src/i18n/index.ts';
import { loadProfile, profileJson } from '../../src/profile/load.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FLOWS_DIR = `${ROOT}flows`;
const FLOW_FILES = readdirSync(FLOWS_DIR).filter((f) => /\.ya?ml$/.test(f));
/** Locale files this content owns (engine, validation and commands belong to the engine). */
const CONTENT_NAMESPACES = ['common', 'status', 'main', 'enquiries', 'apply', 'volunteer', 'feedback', 'officer', 'survey'];
const STATUS_IDS = ['new', 'incomplete', 'under_study', 'committee', 'approved', 'rejected', 'service_delivered', 'closed'];

/** The action table's contract: names and exact argument names. */
const ACTION_ARGS: Record<string, string[]> = {
  find_open_application: ['national_id'],
  create_application: ['full_name', 'national_id', 'mobile', 'city', 'family_size', 'monthly_income', 'housing_type', 'need_type', 'id_document', 'income_document', 'id_document_item', 'income_document_item'],
  find_application: ['query'],
  create_volunteer: ['name', 'mobile', 'city', 'interests', 'availability'],
  create_feedback: ['kind', 'text'],
  record_rating: ['score', 'comment', 'service_type', 'application_id'],
  check_consent: [],
  record_consent: ['decision'],
  open_privacy_request: ['kind'],
};

const date = (iso: string): Json => ({ date: iso });
/** Every var the flows read, filled the way the service and the actions fill them. */
const SAMPLE_VARS: Record<string, Json> = {
  channel: 'telegram',
  channel_phone: '+966551234567',
  display_name: 'أبو فهد',
  greeted: true,
  full_name: 'محمد عبدالله العتيبي',
  national_id: '1000000008',
  mobile: '+966551234567',
  city: 'الرياض',
  family_size: 6,
  monthly_income: 3500,
  housing_type: 'rented',
  need_type: 'food',
  declaration: 'accept',
  existing: { found: true, authorized: true, reference: 'TW-1447-00001', status: { t: 'status.under_study' }, submitted_at: date('2026-04-01T09:00:00Z') },
  created: { reference: 'TW-1447-00002', review_days: 14, due_date: date('2026-05-15T09:00:00Z') },
  query: 'TW-1447-00001',
  result: { found: true, authorized: true, reference: 'TW-1447-00001', status: { t: 'status.committee' }, updated_at: date('2026-04-20T09:00:00Z'), due_date: date('2026-05-15T09:00:00Z') },
  name: 'سارة',
  interests: 'events',
  availability: 'weekends',
  kind: 'complaint',
  text: 'تأخر الرد على طلبي',
  score: '5',
  wants_comment: true,
  comment: null,
  consent: { accepted: false, checked_at: '2026-04-01T09:00:00Z' },
  request: { reference: 'PR-1447-7K3M9QX', kind: 'erasure', what: { t: 'privacy.what.erasure' }, next_steps: { t: 'privacy.next.erasure' }, due_date: date('2026-05-01T09:00:00Z') },
};

function choicesOf(step: Step): Choice[] {
  if (step.kind === 'menu') return step.choices;
  if (step.kind === 'ask' && step.validator.type === 'choice') return step.validator.choices;
  return [];
}

function* steps(flows: ReadonlyMap<string, Flow>): Generator<[string, string, Step]> {
  for (const flow of flows.values()) for (const [id, step] of Object.entries(flow.steps)) yield [flow.id, id, step];
}

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1] ?? ''))].sort();
const nestedKeys = (text: string): string[] => [...text.matchAll(/\$t\(([^,)]+)/g)].map((m) => (m[1] ?? '').trim());
const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'];

/** The raw strings behind a key: itself, or its plural forms. */
function rawForms(texts: Texts, key: string, locale: (typeof LOCALES)[number]): string[] {
  const plain = texts.lookup(key, locale);
  if (plain !== undefined) return [plain];
  return PLURAL_SUFFIXES.flatMap((s) => texts.lookup(`${key}_${s}`, locale) ?? []);
}

function collectTextRefs(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) collectTextRefs(v, out);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.t === 'string') out.add(record.t);
    for (const v of Object.values(record)) collectTextRefs(v, out);
  }
  return out;
}

let flows: Map<string, Flow>;
let texts: Texts;
let profile: Json;

beforeAll(async () => {
  flows = loadFlows(FLOWS_DIR).flows;
  texts = await createI18n(`${ROOT}locales`);
  profile = profileJson(await loadProfile(`${ROOT}profiles/example.yaml`));
});

describe('flow files', () => {
  it('each parse with flowSchema and carry their file name as id', () => {
    expect(FLOW_FILES.map((f) => basename(f, '.yaml')).sort()).toEqual(['apply', 'enquiries', 'feedback', 'main', 'officer', 'privacy', 'status', 'survey', 'volunteer']);
    for (const file of FLOW_FILES) {
      const flow = flowSchema.parse(parse(readFileSync(`${FLOWS_DIR}/${file}`, 'utf8')));
      expect(flow.id).toBe(basename(file, '.yaml'));
    }
  });

  it('hold no literal Arabic: every text is an i18n key', () => {
    for (const file of FLOW_FILES) expect(readFileSync(`${FLOWS_DIR}/${file}`, 'utf8'), file).not.toMatch(/[\u0600-\u06FF]/);
  });

  it('offer the six main services with synonyms, each going to its own flow', () => {
    const menu = flows.get('main')?.steps.menu;
    const choices = menu ? choicesOf(menu) : [];
    expect(choices.map((c) => c.id)).toEqual(['enquiries', 'apply', 'status', 'volunteer', 'feedback', 'officer']);
    for (const c of choices) {
      expect(c.flow).toBe(c.id);
      expect(c.synonyms).toBeDefined();
    }
  });

  it('call only contract actions, with exactly the contract arguments', () => {
    const calls: string[] = [];
    for (const [flowId, stepId, step] of steps(flows)) {
      if (step.kind !== 'action') continue;
      calls.push(`${flowId}.${stepId}:${step.name}`);
      expect(ACTION_ARGS[step.name], `${flowId}.${stepId}`).toBeDefined();
      expect(Object.keys(step.args ?? {}).sort(), `${flowId}.${stepId}`).toEqual([...(ACTION_ARGS[step.name] ?? [])].sort());
    }
    expect(calls.sort()).toEqual([
      'apply.check_open:find_open_application',
      'apply.create:create_application',
      'apply.recheck:find_open_application',
      'feedback.create:create_feedback',
      'privacy.accept:record_consent',
      'privacy.check:check_consent',
      'privacy.decline:record_consent',
      'privacy.request_access:open_privacy_request',
      'privacy.request_correction:open_privacy_request',
      'privacy.request_erasure:open_privacy_request',
      'status.lookup:find_application',
      'survey.record:record_rating',
      'volunteer.create:create_volunteer',
    ]);
  });

  it('let the applicant correct every answer from the summary', () => {
    const apply = flows.get('apply');
    const summary = apply?.steps.summary;
    const edits = summary ? choicesOf(summary).flatMap((c) => (c.edit ? [c.edit] : [])) : [];
    const asks = Object.entries(apply?.steps ?? {}).flatMap(([id, s]) => (s.kind === 'ask' ? [id] : []));
    expect(edits.sort()).toEqual(asks.sort());
  });

  it('only create an application after the declaration is accepted', () => {
    const apply = flows.get('apply');
    const into = (target: string): string[] =>
      Object.entries(apply?.steps ?? {}).flatMap(([id, s]) => {
        const nexts = [
          ...choicesOf(s).map((c) => c.next),
          'next' in s ? s.next : undefined,
          s.kind === 'action' ? s.on_error : undefined,
          ...(s.kind === 'branch' ? [...s.cases.map((c) => c.next), s.else] : []),
        ];
        return nexts.includes(target) ? [id] : [];
      });
    expect(into('create').sort()).toEqual(['declaration', 'failed']);
    expect(into('failed').sort()).toEqual(['recheck', 'route_recheck']); // reachable only after create ran
  });

  it('end the survey quietly and keep the officer flow a bare handoff', () => {
    for (const [, id, step] of steps(new Map([['survey', flows.get('survey') as Flow]]))) {
      if (step.kind === 'end') expect(step.then, id).toBe('idle');
    }
    expect(flows.get('officer')?.steps).toEqual({ handoff: { kind: 'handoff' } });
  });
});

describe('texts for the flows', () => {
  it('exist in Arabic and English for every key a flow, a nesting or the profile uses', () => {
    const used = collectI18nKeys(flows);
    for (const ns of CONTENT_NAMESPACES) for (const locale of LOCALES) for (const key of texts.keys(locale)) if (key.startsWith(`${ns}.`)) for (const raw of rawForms(texts, key, locale)) for (const k of nestedKeys(raw)) if (!k.includes('{{')) used.add(k);
    collectTextRefs(profile, used);
    for (const id of STATUS_IDS) used.add(`status.${id}`);
    for (const key of used) {
      for (const locale of LOCALES) {
        expect(texts.has(key, locale), `${locale}: ${key}`).toBe(true);
        for (const raw of rawForms(texts, key, locale)) expect(raw.trim(), `${locale}: ${key}`).not.toBe('');
      }
    }
  });

  it('have the same keys and the same placeholders in both languages', () => {
    const mine = (locale: (typeof LOCALES)[number]): string[] => [...texts.keys(locale)].filter((k) => CONTENT_NAMESPACES.includes(k.split('.')[0] ?? '')).sort();
    expect(mine('en')).toEqual(mine('ar'));
    for (const key of mine('ar')) {
      const ar = placeholders(rawForms(texts, key, 'ar').join(' '));
      const en = placeholders(rawForms(texts, key, 'en').join(' '));
      expect(en, key).toEqual(ar);
    }
  });

  it('get every placeholder they use from the step params', () => {
    for (const [flowId, stepId, step] of steps(flows)) {
      if (!('text' in step) || step.text === undefined) continue;
      const given = Object.keys(('params' in step ? step.params : undefined) ?? {});
      for (const locale of LOCALES) {
        const wanted = placeholders(rawForms(texts, step.text, locale).join(' '));
        for (const name of wanted) expect(given, `${flowId}.${stepId} (${locale}) needs {{${name}}}`).toContain(name);
      }
    }
  });

  it('keep choice labels within 20 characters (WhatsApp buttons) in both languages', () => {
    for (const [flowId, stepId, step] of steps(flows)) {
      for (const c of choicesOf(step)) {
        for (const locale of LOCALES) {
          const label = texts.t(locale, c.label);
          expect([...label].length, `${flowId}.${stepId}.${c.id} (${locale}): "${label}"`).toBeLessThanOrEqual(20);
          expect(label, `${flowId}.${stepId}.${c.id}`).not.toBe(c.label);
        }
      }
    }
  });

  it('never give two choices of one step the same label or synonym', () => {
    for (const [flowId, stepId, step] of steps(flows)) {
      const owner = new Map<string, string>();
      for (const c of choicesOf(step)) {
        const phrases = new Set([...phraseList(texts.lookup, c.label), ...(c.synonyms ? phraseList(texts.lookup, c.synonyms) : [])]);
        for (const phrase of phrases) {
          expect(owner.get(phrase), `${flowId}.${stepId}: "${phrase}" picks ${owner.get(phrase) ?? ''} and ${c.id}`).toBeUndefined();
          owner.set(phrase, c.id);
        }
      }
    }
  });

  it('name every housing and need choice in the summary, in words', () => {
    const apply = flows.get('apply') as Flow;
    const ids = (stepId: string): string[] => choicesOf(apply.steps[stepId] as Step).map((c) => c.id);
    for (const housing of ids('ask_housing')) {
      for (const need of ids('ask_need')) {
        for (const locale of LOCALES) {
          const text = texts.t(locale, 'apply.summary', { ...SAMPLE_VARS, housing, need });
          expect(text).toContain(texts.t(locale, `apply.housing.${housing}`));
          expect(text).toContain(texts.t(locale, `apply.need.${need}`));
          expect(text).not.toContain('$t(');
        }
      }
    }
  });

  it('render every step with sample data: no leftover placeholders, keys or objects', () => {
    const scope = { vars: SAMPLE_VARS, profile };
    const knownKeys = [...texts.keys('ar')].filter((k) => CONTENT_NAMESPACES.includes(k.split('.')[0] ?? ''));
    for (const [flowId, stepId, step] of steps(flows)) {
      const keys: Array<[string, Record<string, Json>]> = [];
      if ('text' in step && step.text !== undefined) keys.push([step.text, evalParams('params' in step ? step.params : undefined, scope)]);
      for (const c of choicesOf(step)) keys.push([c.label, evalParams(c.params, scope)]);
      for (const [key, params] of keys) {
        for (const locale of LOCALES) {
          const out = texts.t(locale, key, params);
          const at = `${flowId}.${stepId} ${key} (${locale}): ${out}`;
          expect(out, at).not.toBe(key);
          expect(out, at).not.toMatch(/\{\{|\$t\(|undefined|\[object|\bnull\b/);
          for (const k of knownKeys) expect(out.includes(k), `${at} shows the key ${k}`).toBe(false);
          if (locale === 'ar') expect(out, at).toMatch(/[\u0600-\u06FF]|⭐/);
        }
      }
    }
  });
});
