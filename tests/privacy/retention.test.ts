// The daily retention purge on the real gateway, driven by its clock: old closed conversations go with their messages,
// old closed applications are anonymised and lose their files, old audit entries go; a missed day is caught up at start.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, attachments, auditLog, conversations, jobRuns, messages } from '../../src/db/schema.ts';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { startGateway, eventually, type TestGateway } from '../support/gateway.ts';
import { pdf, storedFiles } from '../support/webchat.ts';

const DAY = 86_400_000;
const clock = { now: new Date('2026-03-01T09:00:00Z') };
const now = () => clock.now;
const env = { RETENTION_MESSAGES_DAYS: '30', RETENTION_CLOSED_APPLICATIONS_DAYS: '60', RETENTION_AUDIT_DAYS: '90' };
let gw: TestGateway;
let old: string;
let recent: string;
let person: Applicant;

beforeAll(async () => {
  gw = await startGateway(env, { now });
  person = await applyViaWebchat(gw, 'ar', { idCopy: { bytes: pdf(2048), name: 'id.pdf' } });
  old = (await gw.conversations.receive({ channel: 'telegram', externalId: 'ret-1', address: '5550001001', sender: {}, content: { type: 'text', text: 'السلام عليكم' }, receivedAt: now(), raw: null })).conversationId;
  await gw.conversations.close(old);
  gw.audit.record({ officerId: null, action: 'test.old_entry' });
  // The application is closed today; its conversation stays open.
  gw.db.update(applications).set({ status: 'closed', updatedAt: now().toISOString() }).where(eq(applications.id, person.applicationId)).run();
  clock.now = new Date(clock.now.getTime() + 31 * DAY);
  recent = (await gw.conversations.receive({ channel: 'telegram', externalId: 'ret-2', address: '5550001002', sender: {}, content: { type: 'text', text: 'مرحبا' }, receivedAt: now(), raw: null })).conversationId;
  await gw.conversations.close(recent);
}, 120_000);
afterAll(() => gw.close());

const messagesOf = (conversationId: string) => gw.db.select().from(messages).where(eq(messages.conversationId, conversationId)).all().length;

describe('the retention purge', () => {
  it('deletes conversations closed longer than RETENTION_MESSAGES_DAYS, with their messages, and keeps the others', async () => {
    expect(messagesOf(old)).toBeGreaterThan(0);
    const counts = await gw.retention.runOnce();
    expect(counts.conversations).toBe(1);
    expect(counts.messages).toBeGreaterThan(0);
    expect(messagesOf(old)).toBe(0);
    expect(gw.db.select().from(conversations).where(eq(conversations.id, old)).get()).toBeUndefined();
    expect(messagesOf(recent)).toBeGreaterThan(0);
    // The web chat applicant's open conversation and the application (closed only 31 days ago) are untouched.
    expect(gw.db.select().from(applications).where(eq(applications.id, person.applicationId)).get()?.nationalId).toBe(person.nationalId);
    expect(gw.db.select().from(jobRuns).where(eq(jobRuns.name, 'retention')).get()?.lastRunAt).toBe(now().toISOString());
  });

  it('anonymises applications closed longer than RETENTION_CLOSED_APPLICATIONS_DAYS and deletes their files', async () => {
    const files = storedFiles(gw).length;
    expect(gw.db.select().from(attachments).where(eq(attachments.applicationId, person.applicationId)).all()).toHaveLength(1);
    clock.now = new Date(clock.now.getTime() + 30 * DAY);
    const counts = await gw.retention.runOnce();
    expect(counts.applications).toBe(1);
    const row = gw.db.select().from(applications).where(eq(applications.id, person.applicationId)).get();
    expect(row).toMatchObject({ status: 'closed', nationalId: '', mobile: '' });
    expect(row?.applicantName).not.toContain('نورة');
    expect(gw.db.select().from(attachments).where(eq(attachments.applicationId, person.applicationId)).all()).toHaveLength(0);
    expect(storedFiles(gw).length).toBe(files - 1);
    // Once anonymised it is not counted again.
    expect((await gw.retention.runOnce()).applications).toBe(0);
  });

  it('deletes audit entries older than RETENTION_AUDIT_DAYS', async () => {
    expect(gw.db.select().from(auditLog).where(eq(auditLog.action, 'test.old_entry')).all()).toHaveLength(1);
    clock.now = new Date(clock.now.getTime() + 30 * DAY);
    expect((await gw.retention.runOnce()).audit).toBeGreaterThan(0);
    expect(gw.db.select().from(auditLog).where(eq(auditLog.action, 'test.old_entry')).all()).toHaveLength(0);
  });

  it('is due a day after its last run, and a gateway started after a missed day runs it at once', async () => {
    expect(gw.retention.dueInMs()).toBe(DAY);
    clock.now = new Date(clock.now.getTime() + 2 * DAY);
    expect(gw.retention.dueInMs()).toBe(0);
    await gw.close();
    gw = await startGateway(env, { now, dir: gw.dir });
    await gw.listen();
    await eventually(() => gw.db.select().from(jobRuns).where(eq(jobRuns.name, 'retention')).get()?.lastRunAt === now().toISOString() || undefined);
    expect(gw.retention.dueInMs()).toBe(DAY);
  }, 60_000);
});
