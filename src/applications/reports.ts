// Reports for the relations office: conversations per channel and day, waiting time to the first officer reply,
// satisfaction, applications per status and the overdue count — over Asia/Riyadh calendar days.
import { and, gte, isNotNull, lt, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { reportRoutes } from '../api/reports.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { count as countRows } from 'drizzle-orm';
import { APPLICATION_SOURCES, APPLICATION_STATUSES, applications, conversations, nluDays, officerWaits, satisfactionRatings, type ApplicationStatus } from '../db/schema.ts';
import type { ReportRouteDeps } from './deps.ts';
import { FINAL_STATUSES } from './transitions.ts';

const DAY_MS = 86_400_000;
// Saudi Arabia keeps UTC+3 all year (no daylight saving), so a Riyadh day is a fixed UTC window.
const RIYADH_OFFSET_MS = 3 * 3_600_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

export interface ReportPeriod {
  from: string;
  to: string;
}

const dayStartUtc = (d: string) => Date.parse(`${d}T00:00:00Z`) - RIYADH_OFFSET_MS;
const riyadhDay = (ms: number) => new Date(ms + RIYADH_OFFSET_MS).toISOString().slice(0, 10);

/** from/to as Riyadh days; the default is the 30 days ending today. */
export function resolvePeriod(input: { from?: string | undefined; to?: string | undefined }, now: Date): ReportPeriod {
  const to = input.to ?? riyadhDay(now.getTime());
  const from = input.from ?? riyadhDay(dayStartUtc(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  if (from > to) throw new AppError('ERR_VALIDATION', 'from: must not be after to');
  if ((dayStartUtc(to) - dayStartUtc(from)) / DAY_MS + 1 > MAX_DAYS) throw new AppError('ERR_VALIDATION', `A report covers at most ${MAX_DAYS} days.`);
  return { from, to };
}

/** Linear interpolation between closest ranks (numpy's default); null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (b - a) * (pos - lo);
}

/** Typed messages the bot read and placed, per week (Sunday to Saturday, as the Saudi week runs) of the period. */
export function recognitionByWeek(db: Db, period: ReportPeriod) {
  const rows = db.select().from(nluDays).where(and(gte(nluDays.day, period.from), lte(nluDays.day, period.to))).all();
  const weeks = new Map<string, { week: string; messages: number; recognised: number }>();
  for (let t = Date.parse(`${period.from}T00:00:00Z`); t <= Date.parse(`${period.to}T00:00:00Z`); t += DAY_MS) {
    const week = new Date(t - new Date(t).getUTCDay() * DAY_MS).toISOString().slice(0, 10);
    if (!weeks.has(week)) weeks.set(week, { week, messages: 0, recognised: 0 });
  }
  for (const r of rows) {
    const t = Date.parse(`${r.day}T00:00:00Z`);
    const w = weeks.get(new Date(t - new Date(t).getUTCDay() * DAY_MS).toISOString().slice(0, 10));
    if (!w) continue;
    w.messages += r.messages;
    w.recognised += r.recognised;
  }
  const list = [...weeks.values()].map((w) => ({ ...w, rate: w.messages > 0 ? round(w.recognised / w.messages, 3) : null }));
  const messages = list.reduce((n, w) => n + w.messages, 0);
  const recognised = list.reduce((n, w) => n + w.recognised, 0);
  return { messages, recognised, rate: messages > 0 ? round(recognised / messages, 3) : null, weeks: list };
}

const round = (n: number | null, digits: number) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

export function buildReport(db: Db, period: ReportPeriod, now: Date) {
  const start = new Date(dayStartUtc(period.from)).toISOString();
  const end = new Date(dayStartUtc(period.to) + DAY_MS).toISOString();
  // Conversations opened per channel per Riyadh day, dense over the period so charts need no gap filling.
  const riyadhDate = sql<string>`date(${conversations.createdAt}, '+3 hours')`;
  const perDay = db
    .select({ day: riyadhDate, channel: conversations.channel, n: countRows() })
    .from(conversations)
    .where(and(gte(conversations.createdAt, start), lt(conversations.createdAt, end)))
    .groupBy(riyadhDate, conversations.channel)
    .all();
  const channels = [...new Set(perDay.map((r) => r.channel))].sort();
  const totals: Record<string, number> = Object.fromEntries(channels.map((c) => [c, 0]));
  const days: { day: string; total: number; channels: Record<string, number> }[] = [];
  for (let t = dayStartUtc(period.from); t <= dayStartUtc(period.to); t += DAY_MS) {
    const d = riyadhDay(t);
    const row = { day: d, total: 0, channels: Object.fromEntries(channels.map((c) => [c, 0])) as Record<string, number> };
    for (const r of perDay.filter((x) => x.day === d)) {
      row.channels[r.channel] = r.n;
      row.total += r.n;
      totals[r.channel] = (totals[r.channel] ?? 0) + r.n;
    }
    days.push(row);
  }

  // Every request for an officer made in the period, from the request to the first officer reply after it
  // (src/conversations/waits.ts keeps one row per request; conversations.waiting_since holds only the latest).
  const waits = db
    .select({ since: officerWaits.requestedAt, replied: officerWaits.answeredAt })
    .from(officerWaits)
    .where(and(gte(officerWaits.requestedAt, start), lt(officerWaits.requestedAt, end)))
    .all();
  const seconds = waits
    .filter((w): w is { since: string; replied: string } => w.replied !== null)
    .map((w) => (Date.parse(w.replied) - Date.parse(w.since)) / 1000)
    .sort((a, b) => a - b);

  const ratings = db
    .select({ score: satisfactionRatings.score, n: countRows() })
    .from(satisfactionRatings)
    .where(and(gte(satisfactionRatings.createdAt, start), lt(satisfactionRatings.createdAt, end)))
    .groupBy(satisfactionRatings.score)
    .all();
  const distribution: Record<'1' | '2' | '3' | '4' | '5', number> = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let ratingCount = 0;
  let ratingSum = 0;
  for (const r of ratings) {
    const key = String(r.score);
    if (key in distribution) distribution[key as keyof typeof distribution] = r.n;
    ratingCount += r.n;
    ratingSum += r.score * r.n;
  }

  // Ratings given after a delivered service, per service type (the intake's need_type).
  const inPeriod = and(gte(satisfactionRatings.createdAt, start), lt(satisfactionRatings.createdAt, end), isNotNull(satisfactionRatings.serviceType));
  const byServiceType = db
    .select({ serviceType: sql<string>`${satisfactionRatings.serviceType}`, count: countRows(), sum: sql<number>`sum(${satisfactionRatings.score})` })
    .from(satisfactionRatings)
    .where(inPeriod)
    .groupBy(satisfactionRatings.serviceType)
    .orderBy(satisfactionRatings.serviceType)
    .all()
    .map((r) => ({ serviceType: r.serviceType, count: r.count, average: round(r.sum / r.count, 2) }));

  // Applications are a snapshot of today's workload; `created` counts those submitted in the period.
  const byStatus = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, 0])) as Record<ApplicationStatus, number>;
  for (const r of db.select({ status: applications.status, n: countRows() }).from(applications).groupBy(applications.status).all()) byStatus[r.status] = r.n;
  const count = (where: SQL | undefined) => db.select({ n: countRows() }).from(applications).where(where).get()?.n ?? 0;

  // Today's workload per branch (null: the head office or no branch) and per way in (chat intake, phone, walk-in…).
  const grouped = (col: typeof applications.branchId | typeof applications.source) =>
    db.select({ key: col, n: countRows() }).from(applications).groupBy(col).all().map((r) => ({ key: (r.key as string | null) ?? null, n: r.n }));
  const bySource = Object.fromEntries(APPLICATION_SOURCES.map((s) => [s, 0])) as Record<string, number>;
  for (const r of grouped(applications.source)) if (r.key !== null) bySource[r.key] = r.n;
  const byBranch = grouped(applications.branchId).map((r) => ({ branchId: r.key, count: r.n })).sort((a, b) => String(a.branchId).localeCompare(String(b.branchId)));

  return {
    period: { ...period, timeZone: 'Asia/Riyadh' as const },
    conversations: { total: days.reduce((n, d) => n + d.total, 0), channels, totals, days },
    waitingTime: {
      count: seconds.length,
      unanswered: waits.length - seconds.length,
      medianSeconds: round(percentile(seconds, 0.5), 1),
      p90Seconds: round(percentile(seconds, 0.9), 1),
    },
    recognition: recognitionByWeek(db, period),
    satisfaction: { count: ratingCount, average: ratingCount > 0 ? round(ratingSum / ratingCount, 2) : null, distribution, byServiceType },
    applications: {
      byStatus,
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      created: count(and(gte(applications.createdAt, start), lt(applications.createdAt, end))),
      overdue: count(and(lt(applications.committeeDueAt, now.toISOString()), notInArray(applications.status, [...FINAL_STATUSES]))),
      bySource,
      byBranch,
    },
  };
}

export async function registerReportRoutes(app: FastifyInstance, deps: ReportRouteDeps): Promise<void> {
  const clock = deps.now ?? (() => new Date());
  app.withTypeProvider<ZodTypeProvider>().get('/api/reports', { preValidation: deps.guard('admin', 'officer'), schema: reportRoutes.report }, async (req) => {
    const now = clock();
    const period = resolvePeriod(req.query, now);
    return buildReport(deps.db, period, now);
  });
}
