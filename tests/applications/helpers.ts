// Shared set-up for the applications tests: a real gateway for beneficiaries, a fresh Fastify app for the
// officers' routes with a guard double (x-test-officer, roles, CSRF) and an audit double.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type FastifyRequest, type LightMyRequestResponse } from 'fastify';
import { registerApplicationRoutes } from '../../src/applications/routes.ts';
import { registerBase } from '../../src/http/base.ts';
import { registerReportRoutes } from '../../src/applications/reports.ts';
import { registrationProfileOf, type ApplicationRouteDeps, type AuditRecorder, type Guard } from '../../src/applications/deps.ts';
import { ROOT_DIR } from '../../src/config.ts';
import { AppError } from '../../src/core/errors.ts';
import { applications, officers, type OfficerRole } from '../../src/db/schema.ts';
import type { Db } from '../../src/db/client.ts';
import { createI18n } from '../../src/i18n/index.ts';
import { intakeRules } from '../../src/applications/intake.ts';
import { loadFlows } from '../../src/flows/loader.ts';
import { loadProfile } from '../../src/profile/load.ts';
import type { TestGateway } from '../support/gateway.ts';

export const CSRF = 'test-csrf-token';

/** Like src/auth/guard.ts: 401 without an officer, 403 for another role, 403 on a write without the CSRF token. */
export function guardDouble(db: Db): Guard {
  return (...roles: OfficerRole[]) =>
    async (req: FastifyRequest) => {
      const id = req.headers['x-test-officer'];
      const row = typeof id === 'string' ? db.select().from(officers).where(eq(officers.id, id)).get() : undefined;
      if (!row || !row.active) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
      if (!roles.includes(row.role)) throw new AppError('ERR_FORBIDDEN', 'Not allowed for your role.');
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers['x-csrf-token'] !== CSRF) throw new AppError('ERR_CSRF', 'CSRF token missing or wrong.');
      req.officer = { id: row.id, email: row.email, displayName: row.displayName, role: row.role };
    };
}

export type AuditEvent = Parameters<AuditRecorder['record']>[0];

/** Records events in memory; with `also`, hands each to a real recorder too (src/auth/audit.ts writing audit_log). */
export function auditDouble(also?: AuditRecorder): AuditRecorder & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    record: (e) => {
      events.push(e);
      also?.record(e);
    },
  };
}

export interface Staff {
  officer: string;
  researcher: string;
  researcher2: string;
  inactiveResearcher: string;
  committee: string;
  admin: string;
}

export function seedStaff(db: Db): Staff {
  const add = (displayName: string, role: OfficerRole, active = true) => {
    const id = randomUUID();
    db.insert(officers).values({ id, email: `${id}@charity.test`, displayName, role, passwordHash: 'x', active }).run();
    return id;
  };
  return {
    officer: add('هدى الشمري', 'officer'),
    researcher: add('خالد الدوسري', 'researcher'),
    researcher2: add('Mona Researcher', 'researcher'),
    inactiveResearcher: add('Old Researcher', 'researcher', false),
    committee: add('عبدالرحمن القحطاني', 'committee'),
    admin: add('Admin', 'admin'),
  };
}

/** Error mapping as src/http/app.ts does it. */

/** What staff registration needs from the example charity's profile and the apply flow, as the gateway builds it. */
export async function staffIntakeDeps(): Promise<Pick<ApplicationRouteDeps, 'intake' | 'profile'>> {
  const profile = await loadProfile(path.join(ROOT_DIR, 'profiles', 'example.yaml'));
  const { flows } = loadFlows(path.join(ROOT_DIR, 'flows'));
  return {
    intake: intakeRules(flows.get('apply')),
    profile: registrationProfileOf(profile),
  };
}

export interface OfficerApp {
  app: FastifyInstance;
  audit: ReturnType<typeof auditDouble>;
  staff: Staff;
  clock: { now: Date };
  /** Inject as an officer (writes carry the CSRF token). */
  as(officerId: string | undefined, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

export async function officerApp(gw: TestGateway, options: { staff?: Staff; conversations?: Partial<ApplicationRouteDeps['conversations']>; audit?: AuditRecorder } = {}): Promise<OfficerApp> {
  const staff = options.staff ?? seedStaff(gw.db);
  const app = Fastify();
  // The gateway's own error shape, contract compilers and headers (what buildApp gives every route).
  await registerBase(app, { https: false });
  const audit = auditDouble(options.audit);
  const clock = { now: new Date() };
  const guard = guardDouble(gw.db);
  const texts = await createI18n(path.join(ROOT_DIR, 'locales'));
  // A test may replace one of the service's calls (a failing notify) and keep the others real.
  const conversations = {
    notify: gw.conversations.notify,
    registerPerson: gw.conversations.registerPerson,
    reachableChannels: gw.conversations.reachableChannels,
    askSurvey: gw.conversations.askSurvey,
    ...options.conversations,
  };
  await registerApplicationRoutes(app, { db: gw.db, conversations, texts, guard, audit, dataDir: gw.dir, now: () => clock.now, logger: app.log, ...(await staffIntakeDeps()) });
  await registerReportRoutes(app, { db: gw.db, guard, now: () => clock.now });
  await app.ready();
  return {
    app,
    audit,
    staff,
    clock,
    as(officerId, method, url, payload) {
      const headers: Record<string, string> = {};
      if (officerId) headers['x-test-officer'] = officerId;
      if (method !== 'GET') headers['x-csrf-token'] = CSRF;
      return app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
    },
  };
}

/**
 * Completes an application's checklist the way an officer would: every required item waived with a reason (the
 * committee gate refuses a case otherwise). Returns the ids it waived.
 */
export async function completeChecklist(oa: OfficerApp, applicationId: string, who = oa.staff.officer): Promise<string[]> {
  return waiveChecklist((method, url, payload) => oa.as(who, method, url, payload), applicationId);
}

/** The same through any signed-in client (a real session's headers, say). */
export async function waiveChecklist(call: (method: 'GET' | 'PUT', url: string, payload?: unknown) => Promise<LightMyRequestResponse>, applicationId: string): Promise<string[]> {
  const detail = (await call('GET', `/api/applications/${applicationId}`)).json() as { checklist: { id: string; required: boolean; state: string }[] };
  const open = detail.checklist.filter((i) => i.required && !['verified', 'done', 'waived'].includes(i.state));
  for (const item of open) {
    const res = await call('PUT', `/api/applications/${applicationId}/checklist/${item.id}`, { state: 'waived', note: 'سبق التحقق منه في طلب سابق' });
    if (res.statusCode !== 200) throw new Error(`waive ${item.id} → ${res.statusCode} ${res.body}`);
  }
  return open.map((i) => i.id);
}

/** A 10-digit national ID starting 1 that passes the Luhn check. */
export function nationalId(): string {
  const body = `1${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  for (let check = 0; check <= 9; check++) {
    const id = `${body}${check}`;
    const sum = [...id].reverse().reduce((acc, ch, i) => {
      let d = Number(ch);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      return acc + d;
    }, 0);
    if (sum % 10 === 0) return id;
  }
  throw new Error('unreachable');
}

export interface Applicant {
  token: string;
  reference: string;
  applicationId: string;
  contactId: string;
  nationalId: string;
  locale: 'ar' | 'en';
}

/** Applies through the web chat API as a beneficiary would (tests/transcripts/apply-en.yaml), optionally uploading the ID copy. */
export async function applyViaWebchat(gw: TestGateway, locale: 'ar' | 'en', options: { name?: string; idCopy?: { bytes: Buffer; name: string } } = {}): Promise<Applicant> {
  const start = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale } });
  const { token } = start.json() as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const send = async (payload: { text: string } | { choice: string }) => {
    const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: auth, payload });
    if (res.statusCode !== 202) throw new Error(`${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`);
  };
  const id = nationalId();
  const name = options.name ?? (locale === 'ar' ? 'نورة سعد العتيبي' : 'Sarah Al-Qahtani');
  await send({ choice: 'apply' });
  // A new visitor is shown the privacy notice first (flows/privacy.yaml).
  await send({ choice: 'privacy_accept' });
  for (const text of [name, id, '0551234567', locale === 'ar' ? 'الرياض' : 'Dammam', '4', '2500']) await send({ text });
  await send({ choice: 'rented' });
  await send({ choice: 'medical' });
  if (options.idCopy) {
    const res = await gw.app.inject({
      method: 'POST',
      url: '/api/webchat/uploads',
      headers: { ...auth, 'content-type': 'application/octet-stream', 'x-filename': encodeURIComponent(options.idCopy.name) },
      payload: options.idCopy.bytes,
    });
    if (res.statusCode !== 202) throw new Error(`upload → ${res.statusCode} ${res.body}`);
  } else {
    await send({ text: 'later' });
  }
  await send({ text: 'later' });
  await send({ choice: 'confirm' });
  await send({ choice: 'accept' });
  const row = gw.db.select().from(applications).where(eq(applications.nationalId, id)).get();
  if (!row) throw new Error('the intake did not create an application');
  return { token, reference: row.reference, applicationId: row.id, contactId: row.contactId, nationalId: id, locale };
}

/** The beneficiary's web chat history texts (what they see), after `after`. */
export async function chatTexts(gw: TestGateway, token: string, after = 0): Promise<{ id: number; text: string }[]> {
  const res = await gw.app.inject({ method: 'GET', url: `/api/webchat/messages?after=${after}`, headers: { authorization: `Bearer ${token}` } });
  return (res.json() as { messages: { id: number; direction: string; text: string }[] }).messages.filter((m) => m.direction === 'out');
}

export async function lastMessageId(gw: TestGateway, token: string): Promise<number> {
  return (await chatTexts(gw, token)).at(-1)?.id ?? 0;
}
