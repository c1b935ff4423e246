// Web chat visitor tokens: 256 random bits given once to the browser, only their SHA-256 stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactIdentities, webchatSessions } from '../db/schema.ts';

export interface WebchatSession {
  identityId: string;
  contactId: string;
  address: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createWebchatSessions(db: Db) {
  const byHash = db
    .select({ identityId: webchatSessions.identityId, contactId: contactIdentities.contactId, address: contactIdentities.address })
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
      db.insert(webchatSessions).values({ tokenHash: hashToken(token), identityId }).run();
    },
    async verify(token: string | undefined): Promise<WebchatSession | undefined> {
      // Tokens are 43 base64url characters; anything else cannot match, so skip the lookup.
      if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
      return byHash.get({ hash: hashToken(token) });
    },
  };
}

export type WebchatSessions = ReturnType<typeof createWebchatSessions>;
