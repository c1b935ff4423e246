// Web chat visitor tokens: 256 random bits given once to the browser, only their SHA-256 stored; each dies after an
// idle period and at the end of its lifetime (WEBCHAT_TOKEN_IDLE_DAYS, WEBCHAT_TOKEN_MAX_DAYS).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactIdentities, webchatSessions } from '../db/schema.ts';

export interface WebchatSession {
  identityId: string;
  contactId: string;
  address: string;
  tokenHash: string;
  /** When the token dies at the latest (its lifetime), whatever its use. */
  expiresAt: Date;
}

/** A token we know and still honour, one past its idle period or lifetime, or nothing we know. */
export type SessionCheck = { status: 'ok'; session: WebchatSession } | { status: 'expired' } | { status: 'unknown' };

export interface SessionLifetime {
  idleDays: number;
  maxDays: number;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createWebchatSessions(db: Db, lifetime: SessionLifetime = { idleDays: 7, maxDays: 30 }) {
  const clock = lifetime.now ?? (() => new Date());
  const idleMs = lifetime.idleDays * DAY_MS;
  const maxMs = lifetime.maxDays * DAY_MS;
  // Recording every request's use would write on every read: once an hour is precise enough for days.
  const touchEveryMs = Math.min(3_600_000, idleMs / 24);
  const byHash = db
    .select({
      identityId: webchatSessions.identityId,
      contactId: contactIdentities.contactId,
      address: contactIdentities.address,
      createdAt: webchatSessions.createdAt,
      lastSeenAt: webchatSessions.lastSeenAt,
    })
    .from(webchatSessions)
    .innerJoin(contactIdentities, eq(contactIdentities.id, webchatSessions.identityId))
    .where(eq(webchatSessions.tokenHash, sql.placeholder('hash')))
    .prepare();

  return {
    /** A fresh token and the web chat address it stands for (the identity is created by the conversation service). */
    newToken(): { token: string; address: string } {
      return { token: randomBytes(32).toString('base64url'), address: randomUUID() };
    },
    async save(token: string, identityId: string): Promise<void> {
      const at = clock().toISOString();
      db.insert(webchatSessions).values({ tokenHash: hashToken(token), identityId, createdAt: at, lastSeenAt: at }).run();
    },
    /** Checks a token and records its use; an expired one stays expired (its row is kept, so it can say so). */
    async check(token: string | undefined): Promise<SessionCheck> {
      // Tokens are 43 base64url characters; anything else cannot match, so skip the lookup.
      if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { status: 'unknown' };
      const tokenHash = hashToken(token);
      const row = byHash.get({ hash: tokenHash });
      if (!row) return { status: 'unknown' };
      const now = clock();
      const created = Date.parse(row.createdAt);
      const seen = Date.parse(row.lastSeenAt);
      if (now.getTime() - created >= maxMs || now.getTime() - seen >= idleMs) return { status: 'expired' };
      if (now.getTime() - seen >= touchEveryMs) {
        db.update(webchatSessions).set({ lastSeenAt: now.toISOString() }).where(eq(webchatSessions.tokenHash, tokenHash)).run();
      }
      const { identityId, contactId, address } = row;
      return { status: 'ok', session: { identityId, contactId, address, tokenHash, expiresAt: new Date(created + maxMs) } };
    },
  };
}

export type WebchatSessions = ReturnType<typeof createWebchatSessions>;
