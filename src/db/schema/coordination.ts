// Coordination between instances: who holds each singleton (a sender's pacing, IMAP, whatsapp-web.js, polling).
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per lease. The holder renews `expiresAt` while it lives; anyone may take an expired lease, and every
 * takeover raises `token`, so work stamped with an old token (a holder that paused and came back) is refused.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  token: integer('token').notNull(),
  /** Milliseconds since the epoch. */
  expiresAt: integer('expires_at').notNull(),
});

/** Fixed-window counters that several instances share (the web chat's rate limits on PostgreSQL). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  /** Milliseconds since the epoch when the current window opened. */
  windowStart: integer('window_start').notNull(),
});
