// Conversation transcripts written as data (tests/transcripts/*.yaml), played through the real web chat API,
// conversation service, engine, actions and SQLite file — what a visitor would see, turn by turn.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { consents, conversations } from '../../src/db/schema.ts';
import { loadProfile } from '../../src/profile/load.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

const dir = path.dirname(fileURLToPath(import.meta.url));

const expectSchema = z
  .object({
    /** These i18n keys appear among the bot's messages of this turn, in this order. */
    keys: z.array(z.string()).optional(),
    /** None of these keys appears in this turn. */
    not_keys: z.array(z.string()).optional(),
    /** "flow.step" of the bot's last message in this turn. */
    step: z.string().optional(),
    /** Each string appears in the bot's texts of this turn. */
    says: z.array(z.string()).optional(),
    /** None of these strings appears in the bot's texts of this turn. */
    not_says: z.array(z.string()).optional(),
    /** Choice ids offered by the last message, exactly. */
    choices: z.array(z.string()).optional(),
    /** The bot says nothing at all this turn. */
    silent: z.boolean().optional(),
    /** Subset of the flow variables after the turn. */
    vars: z.record(z.string(), z.unknown()).optional(),
    status: z.enum(['bot', 'waiting', 'officer', 'closed']).optional(),
    locale: z.enum(['ar', 'en']).optional(),
    /** Rows this transcript has added so far: table → count. */
    rows: z.record(z.string(), z.number()).optional(),
  })
  .strict();

const turnSchema = z
  .object({
    visitor: z.string().default('a'),
    user: z.string().optional(),
    choice: z.string().optional(),
    close: z.boolean().optional(),
    expect: expectSchema.default({}),
  })
  .strict();

const transcriptSchema = z
  .object({
    name: z.string(),
    locale: z.enum(['ar', 'en']).default('ar'),
    /** Every visitor already accepted the current privacy notice (transcripts about something else skip it). */
    consented: z.boolean().default(false),
    /** The clock the gateway runs on (default: a Thursday morning, inside working hours). */
    at: z.string().default('2026-11-19T07:00:00Z'),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

type Transcript = z.infer<typeof transcriptSchema>;

interface View {
  id: number;
  direction: 'in' | 'out';
  text: string;
  choices?: { id: string }[];
  flow?: string;
  step?: string;
}

const TABLES = ['applications', 'application_status_history', 'volunteers', 'feedback', 'satisfaction_ratings', 'status_requests', 'consents', 'privacy_requests', 'nlu_misses'];

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const transcripts: { file: string; t: Transcript }[] = files.flatMap((file) => {
  const doc = parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
  const list = Array.isArray(doc) ? doc : [doc];
  return list.map((raw) => ({ file, t: transcriptSchema.parse(raw) }));
});

let clock = new Date('2026-11-19T07:00:00Z');
let gw: TestGateway;
let noticeVersion = '';
beforeAll(async () => {
  noticeVersion = (await loadProfile(path.join(dir, '../../profiles/example.yaml'))).privacy_notice_version;
  gw = await startGateway({}, { now: () => clock });
});
afterAll(async () => {
  await gw.close();
});

function keyOf(id: number): string | undefined {
  const row = gw.db.$client.prepare('select payload from messages where id = ?').get(id) as { payload: string | null } | undefined;
  return row?.payload ? (JSON.parse(row.payload) as { key?: string }).key : undefined;
}

/** The visitor's beneficiary accepted the notice version the profile shows (as the privacy flow records it). */
function consent(conversationId: string): void {
  const conv = gw.db.select().from(conversations).where(eq(conversations.id, conversationId)).get();
  if (!conv) throw new Error(`no conversation ${conversationId}`);
  gw.db.insert(consents).values({ contactId: conv.contactId, noticeVersion, decision: 'accept', channel: conv.channel, at: clock.toISOString() }).run();
}

function count(table: string): number {
  if (!TABLES.includes(table)) throw new Error(`rows: unknown table ${table}`);
  return (gw.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

describe('conversation transcripts', () => {
  it('found transcript files', () => {
    expect(transcripts.length).toBeGreaterThanOrEqual(10);
  });

  for (const { file, t } of transcripts) {
    it(`${file}: ${t.name}`, async () => {
      clock = new Date(t.at);
      const visitors = new Map<string, { token: string; conversationId: string; last: number }>();
      const baseCounts = new Map(TABLES.map((table) => [table, count(table)] as const));
      const visitor = async (name: string) => {
        let v = visitors.get(name);
        if (!v) {
          const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale: t.locale } });
          const body = res.json() as { token: string; conversationId: string };
          v = { ...body, last: 0 };
          visitors.set(name, v);
          if (t.consented) consent(body.conversationId);
        }
        return v;
      };
      // The greeting of visitor "a" is the first thing every transcript sees.
      await visitor('a');
      for (const [i, turn] of t.turns.entries()) {
        const where = `${file} turn ${i + 1} (${turn.user ?? turn.choice ?? (turn.close ? 'close' : 'start')})`;
        const v = await visitor(turn.visitor);
        if (turn.user !== undefined || turn.choice !== undefined) {
          const res = await gw.app.inject({
            method: 'POST',
            url: '/api/webchat/messages',
            headers: { authorization: `Bearer ${v.token}` },
            payload: turn.user !== undefined ? { text: turn.user } : { choice: turn.choice },
          });
          expect(res.statusCode, where).toBe(202);
        } else if (turn.close) {
          const row = gw.db.select().from(conversations).where(eq(conversations.id, v.conversationId)).get();
          const latest = gw.db.$client.prepare('select id from conversations where identity_id = ? order by created_at desc, rowid desc limit 1').get(row?.identityId) as { id: string };
          await gw.conversations.close(latest.id);
        }
        const res = await gw.app.inject({ method: 'GET', url: `/api/webchat/messages?after=${v.last}`, headers: { authorization: `Bearer ${v.token}` } });
        const msgs = (res.json() as { messages: View[] }).messages;
        v.last = msgs.at(-1)?.id ?? v.last;
        const out = msgs.filter((m) => m.direction === 'out');
        const keys = out.map((m) => keyOf(m.id) ?? '?');
        const e = turn.expect;
        const said = out.map((m) => m.text).join('\n---\n');
        const ctx = `${where}\nbot keys: ${JSON.stringify(keys)}\nbot said:\n${said}`;
        if (e.silent) expect(out, ctx).toHaveLength(0);
        if (e.keys) {
          let from = 0;
          for (const k of e.keys) {
            const at = keys.indexOf(k, from);
            expect(at, `${ctx}\nmissing key ${k} (in order)`).toBeGreaterThanOrEqual(0);
            from = at + 1;
          }
        }
        for (const k of e.not_keys ?? []) expect(keys, ctx).not.toContain(k);
        if (e.step) {
          const last = out.at(-1);
          expect(`${last?.flow}.${last?.step}`, ctx).toBe(e.step);
        }
        for (const s of e.says ?? []) expect(said, ctx).toContain(s);
        for (const s of e.not_says ?? []) expect(said, ctx).not.toContain(s);
        if (e.choices) expect(out.at(-1)?.choices?.map((c) => c.id), ctx).toEqual(e.choices);
        // Arabic conversations speak Arabic, English ones English: no untranslated keys leak.
        for (const m of out) expect(m.text, ctx).not.toMatch(/^[a-z_]+\.[a-z_.]+$/);
        const idRow = gw.db.$client
          .prepare(
            `select status, locale, flow_state from conversations
             where identity_id = (select identity_id from conversations where id = ?) order by created_at desc, rowid desc limit 1`,
          )
          .get(v.conversationId) as { status: string; locale: string; flow_state: string | null };
        if (e.status) expect(idRow.status, ctx).toBe(e.status);
        if (e.locale) expect(idRow.locale, ctx).toBe(e.locale);
        if (e.vars) expect(JSON.parse(idRow.flow_state ?? '{}').vars, ctx).toMatchObject(e.vars);
        if (e.rows) for (const [table, n] of Object.entries(e.rows)) expect(count(table) - (baseCounts.get(table) ?? 0), `${ctx}\nnew rows in ${table}`).toBe(n);
      }
    });
  }
});
