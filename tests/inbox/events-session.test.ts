// The inbox live feed belongs to its session: over a real port with real sign-in, a revoked or expired session ends the
// stream, and no beneficiary message reaches it afterwards.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, officerSessions } from '../../src/db/schema.ts';
import type { OfficerRole } from '../../src/db/schema.ts';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { totpFor } from '../support/officers.ts';

const PASSWORD = 'correct horse battery';

interface Sse {
  event: string;
  data: unknown;
}

interface Officer {
  id: string;
  cookie: string;
  csrf: string;
}

async function addAndSignIn(gw: TestGateway, email: string, role: OfficerRole = 'officer', now?: () => Date): Promise<Officer> {
  const { officer } = await gw.auth.createOfficer({ email, displayName: `Officer ${email}`, role, password: PASSWORD });
  const res = await fetch(`${gw.url()}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD, totp: await totpFor(now ? { ...gw, now } : gw, email) }) });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .join('; ');
  expect(cookie).toMatch(/tawasul_session=[A-Za-z0-9_-]{43}/);
  return { id: officer.id, cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** The open feed: `until` waits for an event; `rest` reads to the end of the stream (rejecting if it stays open). */
async function openStream(gw: TestGateway, who: Officer) {
  const abort = new AbortController();
  const res = await fetch(`${gw.url()}/api/inbox/events`, { headers: { cookie: who.cookie }, signal: abort.signal });
  expect(res.status).toBe(200);
  // The stream carries beneficiaries' messages: never cached, never sniffed.
  expect(res.headers.get('cache-control')).toContain('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: Sse[] = [];
  let ended = false;
  async function readOnce(): Promise<void> {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) seen.push({ event, data: JSON.parse(data) as unknown });
    }
  }
  const within = <T>(ms: number, work: Promise<T>) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stream still open after ${ms} ms`)), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  };
  return {
    seen,
    /** Waits (bounded) for a beneficiary message with this text. */
    async message(text: string, ms = 3000): Promise<void> {
      await within(
        ms,
        (async () => {
          while (!seen.some((e) => isMessage(e, text))) {
            if (ended) throw new Error('stream ended');
            await readOnce();
          }
        })(),
      );
    },
    /** Reads until the server ends the stream, within `ms`. */
    async end(ms: number): Promise<Sse[]> {
      await within(
        ms,
        (async () => {
          while (!ended) await readOnce();
        })(),
      );
      return seen;
    },
    close: () => abort.abort(),
  };
}

const isMessage = (e: Sse, text: string) => e.event === 'message' && (e.data as { message: { text: string } }).message.text === text;

/** A web chat visitor: each call is a beneficiary message, stored before the call returns. */
async function visitor(gw: TestGateway) {
  const session = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: {} })).json() as { token: string };
  return async (text: string) => {
    const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${session.token}` }, payload: { text } });
    expect(res.statusCode).toBeLessThan(300);
    await eventually(() => gw.db.select().from(messages).where(and(eq(messages.text, text), eq(messages.senderKind, 'beneficiary'))).get());
  };
}

const post = (gw: TestGateway, who: Officer, url: string, body?: unknown, method = 'POST') =>
  fetch(`${gw.url()}${url}`, {
    method,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('revocations end the stream at once', () => {
  // A heartbeat far beyond the test: only the session-ended notification can close these streams.
  let gw: TestGateway;
  let admin: Officer;
  let say: (text: string) => Promise<void>;
  beforeAll(async () => {
    gw = await startGateway({}, { inboxHeartbeatMs: 60_000 });
    await gw.listen();
    admin = await addAndSignIn(gw, 'admin@example.org', 'admin');
    say = await visitor(gw);
  });
  afterAll(async () => {
    await gw.close();
  });

  async function revokedStream(email: string, revoke: (who: Officer) => Promise<Response>, after: string) {
    const who = await addAndSignIn(gw, email);
    const stream = await openStream(gw, who);
    try {
      await say(`قبل ${after}`);
      await stream.message(`قبل ${after}`);
      const res = await revoke(who);
      expect(res.status).toBeLessThan(300);
      await say(after);
      const events = await stream.end(1000);
      expect(events.some((e) => isMessage(e, after))).toBe(false);
      // The browser's reconnect is refused too.
      expect((await fetch(`${gw.url()}/api/inbox/events`, { headers: { cookie: who.cookie } })).status).toBe(401);
    } finally {
      stream.close();
    }
  }

  it('ends when the officer signs out', async () => {
    await revokedStream('out@example.org', (who) => post(gw, who, '/api/auth/sign-out'), 'بعد الخروج');
  });

  it('ends when the admin disables the officer', async () => {
    await revokedStream('disabled@example.org', (who) => post(gw, admin, `/api/admin/officers/${who.id}`, { active: false }, 'PATCH'), 'بعد التعطيل');
  });

  it('ends when the admin resets the password', async () => {
    await revokedStream('reset@example.org', (who) => post(gw, admin, `/api/admin/officers/${who.id}/reset-password`), 'بعد إعادة التعيين');
  });

  it('ends when another session changes the password', async () => {
    await revokedStream(
      'change@example.org',
      async (who) => {
        const res = await fetch(`${gw.url()}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'change@example.org', password: PASSWORD, totp: await totpFor(gw, 'change@example.org') }) });
        const other: Officer = { id: who.id, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').join('; '), csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
        return post(gw, other, '/api/auth/password', { current: PASSWORD, next: 'another long pass phrase' });
      },
      'بعد تغيير كلمة المرور',
    );
  });

  it('ends when the admin moves the officer to the committee, and stays open for a role that still sees the inbox', async () => {
    const who = await addAndSignIn(gw, 'role@example.org');
    const stream = await openStream(gw, who);
    try {
      expect((await post(gw, admin, `/api/admin/officers/${who.id}`, { role: 'researcher' }, 'PATCH')).status).toBe(200);
      await say('ما زال يرى');
      await stream.message('ما زال يرى');
      expect((await post(gw, admin, `/api/admin/officers/${who.id}`, { role: 'committee' }, 'PATCH')).status).toBe(200);
      await say('بعد تغيير الدور');
      const events = await stream.end(1000);
      expect(events.some((e) => isMessage(e, 'بعد تغيير الدور'))).toBe(false);
    } finally {
      stream.close();
    }
  });
});

describe('the heartbeat re-checks the session in the database', () => {
  let gw: TestGateway;
  let t = Date.parse('2026-03-01T07:00:00Z');
  let say: (text: string) => Promise<void>;
  beforeAll(async () => {
    gw = await startGateway({}, { inboxHeartbeatMs: 100, now: () => new Date(t) });
    await gw.listen();
    say = await visitor(gw);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('ends a stream whose session row was deleted behind its back (another instance signing it out)', async () => {
    const who = await addAndSignIn(gw, 'deleted@example.org', 'officer', () => new Date(t));
    const stream = await openStream(gw, who);
    try {
      await say('قبل الحذف');
      await stream.message('قبل الحذف');
      // Straight in the database: no notification reaches this process.
      expect(gw.db.delete(officerSessions).where(eq(officerSessions.officerId, who.id)).run().changes).toBe(1);
      await stream.end(1000);
      await say('بعد الحذف');
      expect(stream.seen.some((e) => isMessage(e, 'بعد الحذف'))).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('ends a stream whose session expired, and heartbeats do not keep an unattended session alive', async () => {
    const who = await addAndSignIn(gw, 'idle@example.org', 'officer', () => new Date(t));
    const stream = await openStream(gw, who);
    try {
      await say('قبل الانتهاء');
      await stream.message('قبل الانتهاء');
      // Eleven hours of an open tab: still live, and the heartbeats have not moved the idle expiry.
      t += 11 * 60 * 60 * 1000;
      await new Promise((r) => setTimeout(r, 300));
      await say('بعد إحدى عشرة ساعة');
      await stream.message('بعد إحدى عشرة ساعة');
      t += 60 * 60 * 1000 + 1;
      await stream.end(1000);
      await say('بعد الانتهاء');
      expect(stream.seen.some((e) => isMessage(e, 'بعد الانتهاء'))).toBe(false);
    } finally {
      stream.close();
    }
  });
});
