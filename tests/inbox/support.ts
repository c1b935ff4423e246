// The inbox routes on their own Fastify app over a real gateway, with a test guard and a recording audit double.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from '../../src/core/errors.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import type { EventBus } from '../../src/conversations/events.ts';
import { officers, type OfficerRole } from '../../src/db/schema.ts';
import type { InboxAudit, InboxGuard } from '../../src/inbox/http.ts';
import { registerInboxRoutes } from '../../src/inbox/routes.ts';
import { registerBase } from '../../src/http/base.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';

export type AuditRecord = Parameters<InboxAudit['record']>[0];

/** A stand-in for src/auth/guard.ts's requireOfficer: `x-test-officer: <id>` signs in; writes need `x-csrf-token: csrf-<id>`. */
export function testGuard(gw: TestGateway): InboxGuard {
  return (...roles: OfficerRole[]) =>
    async (req: FastifyRequest, _reply: FastifyReply) => {
      const id = req.headers['x-test-officer'];
      const row = typeof id === 'string' ? gw.db.$client.prepare(`select id, email, display_name as displayName, role, active from officers where id = ?`).get(id) : undefined;
      const officer = row as { id: string; email: string; displayName: string; role: OfficerRole; active: number } | undefined;
      if (!officer || officer.active !== 1) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
      if (!roles.includes(officer.role)) throw new AppError('ERR_FORBIDDEN', 'Your role cannot do this.');
      if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && req.headers['x-csrf-token'] !== `csrf-${officer.id}`) {
        throw new AppError('ERR_CSRF', 'Missing or wrong CSRF token.');
      }
      req.officer = { id: officer.id, email: officer.email, displayName: officer.displayName, role: officer.role };
    };
}

/** The error mapping of src/http/app.ts, reduced to what these routes produce. */

export interface Harness {
  gw: TestGateway;
  app: FastifyInstance;
  audits: AuditRecord[];
  clock: { now: Date; advance(seconds: number): void };
  /** Live bus subscriptions made through the inbox (for the SSE clean-up check). */
  subscriptions(): number;
  officer(role: OfficerRole, displayName: string, active?: boolean): string;
  /** Headers signing in `officerId`, with its CSRF token. */
  as(officerId: string): Record<string, string>;
  close(): Promise<void>;
}

export interface InboxOptions {
  /** Another guard and audit recorder than the doubles (the real src/auth pieces). */
  guard?: InboxGuard;
  audit?: (gw: TestGateway) => InboxAudit;
  /** Runs on the app before the routes (e.g. the hook that reads a session). */
  before?: (app: FastifyInstance, gw: TestGateway) => void;
}

export async function startInbox(start = '2026-03-01T07:00:00Z', options: InboxOptions = {}): Promise<Harness> {
  const clock = {
    now: new Date(start),
    advance(seconds: number) {
      clock.now = new Date(clock.now.getTime() + seconds * 1000);
    },
  };
  const gw = await startGateway({}, { now: () => clock.now });
  const audits: AuditRecord[] = [];
  let live = 0;
  const counted = <E>(on: (fn: (e: E) => void) => () => void) => (fn: (e: E) => void) => {
    const off = on(fn);
    live++;
    return () => {
      live--;
      off();
    };
  };
  const bus: EventBus = { ...gw.bus, onMessage: counted(gw.bus.onMessage), onConversation: counted(gw.bus.onConversation) };
  const app = Fastify();
  // The gateway's own error shape, contract compilers and headers (what buildApp gives every route).
  await registerBase(app, { https: false });
  options.before?.(app, gw);
  const audit = options.audit?.(gw);
  await registerInboxRoutes(app, {
    conversations: gw.conversations,
    db: gw.db,
    bus,
    guard: options.guard ?? testGuard(gw),
    audit: {
      record: (e) => {
        audits.push(e);
        audit?.record(e);
      },
    },
    now: () => clock.now,
    heartbeatMs: 100,
  });
  await app.ready();
  return {
    gw,
    app,
    audits,
    clock,
    subscriptions: () => live,
    officer(role, displayName, active = true) {
      const id = randomUUID();
      gw.db.insert(officers).values({ id, email: `${id}@charity.test`, displayName, role, passwordHash: 'scrypt$test', active }).run();
      return id;
    },
    as: (officerId) => ({ 'x-test-officer': officerId, 'x-csrf-token': `csrf-${officerId}` }),
    async close() {
      await app.close();
      await gw.close();
    },
  };
}

let externalIds = 0;

/** One Telegram message from `address`, through the real conversation service. */
export function telegram(address: string, text: string, sender: NormalizedInbound['sender'] = {}): NormalizedInbound {
  return { channel: 'telegram', externalId: `inbox-${++externalIds}`, address, sender, content: { type: 'text', text }, receivedAt: new Date(), raw: null };
}

/** A Telegram beneficiary who asks for an officer; returns the conversation id (now waiting). */
export async function askForOfficer(h: Harness, address: string, sender: NormalizedInbound['sender'] = {}): Promise<string> {
  const result = await h.gw.conversations.receive(telegram(address, 'موظف', sender));
  return result.conversationId;
}

export interface InboxItem {
  id: string;
  status: string;
  channel: string;
  contact: { id: string; displayName: string | null; phone?: string; nationalId?: string };
  assignedOfficer?: { id: string; displayName: string };
  waitingSince?: string;
  waitingSeconds?: number;
  lastMessage: { text: string; direction: string; createdAt: string } | null;
  unread?: number;
}

export interface InboxList {
  items: InboxItem[];
  counts: { waiting: number; mine: number; open: number };
  nextCursor?: string;
}

export async function list(h: Harness, officerId: string, query: Record<string, string>): Promise<InboxList> {
  const res = await h.app.inject({ method: 'GET', url: '/api/inbox/conversations', query, headers: h.as(officerId) });
  if (res.statusCode !== 200) throw new Error(`list answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export function post(h: Harness, officerId: string, url: string, payload?: object) {
  return h.app.inject({ method: 'POST', url, headers: h.as(officerId), ...(payload ? { payload } : {}) });
}
