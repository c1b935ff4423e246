// Officer sessions: a random cookie value given once to the browser, only its SHA-256 stored; sliding expiry.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { officerSessions, officers, type OfficerRole } from '../db/schema.ts';

/** A session unused this long ends. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** A session ends this long after sign-in however busy it is. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
// Writing last_seen on every request would turn each read into a write; once a minute is plenty.
const TOUCH_EVERY_MS = 60 * 1000;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** 32 random bytes are 43 base64url characters; anything else cannot be ours, so it is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface LiveSession {
  /** The stored hash: identifies the session without being usable as a cookie. */
  sessionId: string;
  csrfToken: string;
  officer: { id: string; email: string; displayName: string; role: OfficerRole; mustChangePassword: boolean };
}

export function createSessionStore(db: Db, now: () => Date) {
  const byHash = db
    .select({
      idHash: officerSessions.idHash,
      csrfToken: officerSessions.csrfToken,
      createdAt: officerSessions.createdAt,
      lastSeenAt: officerSessions.lastSeenAt,
      expiresAt: officerSessions.expiresAt,
      id: officers.id,
      email: officers.email,
      displayName: officers.displayName,
      role: officers.role,
      active: officers.active,
      mustChangePassword: officers.mustChangePassword,
    })
    .from(officerSessions)
    .innerJoin(officers, eq(officers.id, officerSessions.officerId))
    .where(eq(officerSessions.idHash, sql.placeholder('hash')))
    .prepare();
  let lastSweep = 0;

  function remove(idHash: string): void {
    db.delete(officerSessions).where(eq(officerSessions.idHash, idHash)).run();
  }

  return {
    create(officerId: string, ip: string | undefined, userAgent: string | undefined): { token: string; csrfToken: string; sessionId: string } {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const at = now();
      const sessionId = hashSessionToken(token);
      db.insert(officerSessions)
        .values({
          idHash: sessionId,
          officerId,
          csrfToken,
          ip: ip ?? null,
          userAgent: userAgent?.slice(0, 512) ?? null,
          createdAt: at.toISOString(),
          lastSeenAt: at.toISOString(),
          expiresAt: new Date(at.getTime() + SESSION_IDLE_MS).toISOString(),
        })
        .run();
      return { token, csrfToken, sessionId };
    },

    /** The live session for a cookie value, extending its idle expiry; undefined when unknown, expired or the officer is disabled. */
    lookup(token: string | undefined): LiveSession | undefined {
      if (!token || !TOKEN_SHAPE.test(token)) return undefined;
      const row = byHash.get({ hash: hashSessionToken(token) });
      if (!row) return undefined;
      const at = now().getTime();
      const absoluteEnd = Date.parse(row.createdAt) + SESSION_ABSOLUTE_MS;
      if (at >= Date.parse(row.expiresAt) || at >= absoluteEnd || !row.active) {
        remove(row.idHash);
        return undefined;
      }
      if (at - Date.parse(row.lastSeenAt) >= TOUCH_EVERY_MS) {
        db.update(officerSessions)
          .set({ lastSeenAt: new Date(at).toISOString(), expiresAt: new Date(Math.min(at + SESSION_IDLE_MS, absoluteEnd)).toISOString() })
          .where(eq(officerSessions.idHash, row.idHash))
          .run();
      }
      const { id, email, displayName, role, mustChangePassword } = row;
      return { sessionId: row.idHash, csrfToken: row.csrfToken, officer: { id, email, displayName, role, mustChangePassword } };
    },

    /** Ends the session behind a cookie value; returns its officer id when there was one. */
    end(token: string | undefined): string | undefined {
      if (!token || !TOKEN_SHAPE.test(token)) return undefined;
      const idHash = hashSessionToken(token);
      const row = db.select({ officerId: officerSessions.officerId }).from(officerSessions).where(eq(officerSessions.idHash, idHash)).get();
      if (row) remove(idHash);
      return row?.officerId;
    },

    /** Ends every session of an officer, except `keepSessionId` when given. */
    endAllFor(officerId: string, keepSessionId?: string): number {
      const where = keepSessionId === undefined ? eq(officerSessions.officerId, officerId) : and(eq(officerSessions.officerId, officerId), ne(officerSessions.idHash, keepSessionId));
      return db.delete(officerSessions).where(where).run().changes;
    },

    /** Deletes expired rows now and then. */
    sweep(): void {
      const at = now().getTime();
      if (at - lastSweep < 10 * 60 * 1000) return;
      lastSweep = at;
      db.delete(officerSessions).where(lt(officerSessions.expiresAt, new Date(at).toISOString())).run();
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
