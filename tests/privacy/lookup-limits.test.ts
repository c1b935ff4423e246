// Status lookups are limited per conversation and per client network: over the limit the bot asks politely to try
// later and looks nothing up (no status request, no notice), on the web chat and on other channels alike.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkOf } from '../../src/conversations/lookup-limits.ts';
import { messages, statusRequests } from '../../src/db/schema.ts';
import { applyViaWebchat, type Applicant } from '../applications/helpers.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { open, visitor, type Visitor } from './support.ts';

let clock = new Date('2026-11-19T07:00:00Z');
// No SMS channel here, so the privacy answer is the one that promises no text to the registered mobile.
const PRIVATE = 'private_unreachable';
let gw: TestGateway;
let applicant: Applicant;

beforeAll(async () => {
  gw = await startGateway({ STATUS_LOOKUP_LIMIT: '3', STATUS_LOOKUP_IP_LIMIT: '4' }, { now: () => clock });
  applicant = await applyViaWebchat(gw, 'ar');
});
afterAll(async () => {
  await gw?.close();
});

const requests = () => gw.db.select().from(statusRequests).where(eq(statusRequests.applicationId, applicant.applicationId)).all().length;

/** Opens the status flow (or asks again from its answer) and types the applicant's ID: the step the bot ends on. */
async function ask(v: Visitor, first: boolean): Promise<{ step: string | undefined; text: string }> {
  if (first) await open(v, { choice: 'status' });
  else await v.send({ choice: 'retry' });
  const seen = await v.send(applicant.nationalId);
  return { step: seen.find((m) => m.step === PRIVATE || m.step === 'too_many')?.step, text: seen.map((m) => m.text).join('\n') };
}

async function askTimes(v: Visitor, n: number): Promise<(string | undefined)[]> {
  const steps: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) steps.push((await ask(v, i === 0)).step);
  return steps;
}

describe('status lookups', () => {
  it('a conversation gets three an hour; the fourth is told to try later and nothing is looked up', async () => {
    const v = await visitor(gw, 'en', { ip: '203.0.113.1' });
    expect(await askTimes(v, 3)).toEqual([PRIVATE, PRIVATE, PRIVATE]);
    const before = requests();
    await v.send({ choice: 'retry' });
    const over = await v.send(applicant.nationalId);
    expect(over.map((m) => m.step)).toContain('too_many');
    expect(over.map((m) => m.text).join('\n')).toContain('try again in an hour');
    expect(requests()).toBe(before);
    clock = new Date(clock.getTime() + 61 * 60_000);
    expect((await ask(v, true)).step).toBe(PRIVATE);
    expect(requests()).toBe(before + 1);
  });

  it('a client network gets four an hour across all its chats; another network is not held back', async () => {
    const net = '198.51.100.7';
    expect(await askTimes(await visitor(gw, 'ar', { ip: net }), 3)).toEqual([PRIVATE, PRIVATE, PRIVATE]);
    const second = await visitor(gw, 'ar', { ip: net });
    expect(await askTimes(second, 2)).toEqual([PRIVATE, 'too_many']);
    const third = await ask(await visitor(gw, 'ar', { ip: net }), true);
    expect(third.step).toBe('too_many');
    expect(third.text).toContain('حاول مرة أخرى بعد ساعة');
    expect((await ask(await visitor(gw, 'ar', { ip: '198.51.100.8' }), true)).step).toBe(PRIVATE);
  });

  it('IPv6 clients are counted by their /64', async () => {
    for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:ffff::3', '2001:db8:5:6::4']) expect((await ask(await visitor(gw, 'ar', { ip }), true)).step, ip).toBe(PRIVATE);
    expect((await ask(await visitor(gw, 'ar', { ip: '2001:db8:5:6:abcd::9' }), true)).step).toBe('too_many');
    expect((await ask(await visitor(gw, 'ar', { ip: '2001:db8:5:7::1' }), true)).step).toBe(PRIVATE);
    expect(networkOf('2001:0db8:0005:0006:0000:0000:0000:0001')).toBe('2001:db8:5:6::/64');
    expect(networkOf('::ffff:192.0.2.10')).toBe('192.0.2.10');
  });

  it('a Telegram chat is limited the same way (its identity; Telegram gives no address)', async () => {
    let n = 0;
    const say = async (input: string | { choice: string }) => {
      const content = typeof input === 'string' ? { type: 'text' as const, text: input } : { type: 'choice' as const, id: input.choice };
      const r = await gw.conversations.receive({ channel: 'telegram', externalId: `limit-${++n}`, address: '5550001', sender: {}, content, receivedAt: clock, raw: null });
      const rows = gw.db.select().from(messages).where(eq(messages.conversationId, r.conversationId)).all();
      return rows.filter((m) => m.id > r.messageId && m.direction === 'out').map((m) => (m.payload as { step?: string } | null)?.step);
    };
    await say('السلام عليكم');
    const steps: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      await say(i === 0 ? 'متابعة طلب' : { choice: 'retry' });
      // The privacy notice comes before the first personal question.
      if (i === 0) await say({ choice: 'privacy_accept' });
      steps.push((await say(applicant.nationalId)).find((s) => s === PRIVATE || s === 'too_many'));
    }
    expect(steps).toEqual([PRIVATE, PRIVATE, PRIVATE, 'too_many']);
  });
});
