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
  officer: { id: string; email: string; displayName: string; role: OfficerRole; mustChangePassword: boolean; totpEnabled: boolean };
}

/**
 * What the store tells live streams: these sessions ended (sign-out, expiry, disabling, password reset or change, the admin
 * ending them), or, without `sessionIds`, this officer's account changed (a new role) and every stream of theirs re-checks.
 * In-process only: streams on other instances catch the change when their next heartbeat re-reads the session.
 */
export interface SessionChange {
  officerId: string;
  sessionIds?: readonly string[];
}
export type SessionListener = (change: SessionChange) => void;

/** What a stream needs to stay tied to its session (re-check on heartbeats, close at once on a change). */
export interface SessionWatch {
  /** The session by its stored hash, read from the database without extending it; undefined when it has ended. */
  check(sessionId: string): LiveSession | undefined;
  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: SessionListener): () => void;
}

export function createSessionStore(db: Db, now: () => Date) {
  const listeners = new Set<SessionListener>();
  function emit(change: SessionChange): void {
    if (change.sessionIds?.length === 0) return;
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch {
        // One broken stream must not keep the others (or the revocation itself) from going ahead.
      }
    }
  }

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
      totpEnabled: officers.totpEnabled,
    })
    .from(officerSessions)
    .innerJoin(officers, eq(officers.id, officerSessions.officerId))
    .where(eq(officerSessions.idHash, sql.placeholder('hash')))
    .prepare();
  let lastSweep = 0;

  function remove(idHash: string, officerId: string): void {
    db.delete(officerSessions).where(eq(officerSessions.idHash, idHash)).run();
    emit({ officerId, sessionIds: [idHash] });
  }

  /** The row behind a hash if it is still live (not expired, officer active); an ended one is deleted and announced. */
  function live(idHash: string) {
    const row = byHash.get({ hash: idHash });
    if (!row) return undefined;
    const at = now().getTime();
    const absoluteEnd = Date.parse(row.createdAt) + SESSION_ABSOLUTE_MS;
    if (at >= Date.parse(row.expiresAt) || at >= absoluteEnd || !row.active) {
      remove(row.idHash, row.id);
      return undefined;
    }
    return { row, at, absoluteEnd };
  }

  const toLive = (row: NonNullable<ReturnType<typeof byHash.get>>): LiveSession => {
    const { id, email, displayName, role, mustChangePassword, totpEnabled } = row;
    return { sessionId: row.idHash, csrfToken: row.csrfToken, officer: { id, email, displayName, role, mustChangePassword, totpEnabled } };
  };

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
      const found = live(hashSessionToken(token));
      if (!found) return undefined;
      const { row, at, absoluteEnd } = found;
      if (at - Date.parse(row.lastSeenAt) >= TOUCH_EVERY_MS) {
        db.update(officerSessions)
          .set({ lastSeenAt: new Date(at).toISOString(), expiresAt: new Date(Math.min(at + SESSION_IDLE_MS, absoluteEnd)).toISOString() })
          .where(eq(officerSessions.idHash, row.idHash))
          .run();
      }
      return toLive(row);
    },

    // An open stream is not use: re-checking never extends the idle expiry, so an unattended tab still signs out.
    check(sessionId: string): LiveSession | undefined {
      const found = live(sessionId);
      return found ? toLive(found.row) : undefined;
    },

    onChange(listener: SessionListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Tells this officer's streams to re-check (their role changed). */
    officerChanged(officerId: string): void {
      emit({ officerId });
    },

    /** Ends the session behind a cookie value; returns its officer id when there was one. */
    end(token: string | undefined): string | undefined {
      if (!token || !TOKEN_SHAPE.test(token)) return undefined;
      const idHash = hashSessionToken(token);
      const row = db.select({ officerId: officerSessions.officerId }).from(officerSessions).where(eq(officerSessions.idHash, idHash)).get();
      if (row) remove(idHash, row.officerId);
      return row?.officerId;
    },

    /** Ends every session of an officer, except `keepSessionId` when given. */
    endAllFor(officerId: string, keepSessionId?: string): number {
      const where = keepSessionId === undefined ? eq(officerSessions.officerId, officerId) : and(eq(officerSessions.officerId, officerId), ne(officerSessions.idHash, keepSessionId));
      const ended = db.delete(officerSessions).where(where).returning({ idHash: officerSessions.idHash }).all();
      emit({ officerId, sessionIds: ended.map((r) => r.idHash) });
      return ended.length;
    },

    /** Deletes expired rows now and then. */
    sweep(): void {
      const at = now().getTime();
      if (at - lastSweep < 10 * 60 * 1000) return;
      lastSweep = at;
      const ended = db.delete(officerSessions).where(lt(officerSessions.expiresAt, new Date(at).toISOString())).returning({ idHash: officerSessions.idHash, officerId: officerSessions.officerId }).all();
      for (const r of ended) emit({ officerId: r.officerId, sessionIds: [r.idHash] });
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
