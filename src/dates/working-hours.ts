// Office hours in Asia/Riyadh: is the charity open now, and when does it next open (weekend and holidays skipped).
import type { Profile } from '../profile/schema.ts';
import { RIYADH, toRiyadhDateString } from './hijri.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What the calculations need from the profile, so tests can pass a small object. */
export type HoursProfile = Pick<Profile, 'working_hours' | 'holidays'>;

const DAY_MS = 86_400_000;

/** '08:30' → 510; undefined when not a valid 24-hour HH:MM. */
export function hhmmToMinutes(value: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function minutes(value: string): number {
  const result = hhmmToMinutes(value);
  if (result === undefined) throw new RangeError(`invalid time "${value}", expected HH:MM`);
  return result;
}

/** Plain calendar arithmetic on YYYY-MM-DD, independent of any time zone. */
function shiftDateString(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
}

function weekdayOf(day: string): Weekday {
  return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? 'sun';
}

const clock = new Intl.DateTimeFormat('en-US-u-nu-latn', { timeZone: RIYADH, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function riyadhMinutesOfDay(date: Date): number {
  let h = 0;
  let m = 0;
  for (const p of clock.formatToParts(date)) {
    if (p.type === 'hour') h = Number(p.value) % 24;
    if (p.type === 'minute') m = Number(p.value);
  }
  return h * 60 + m;
}

/** The instant when the Riyadh wall clock shows `day` at `minuteOfDay`. */
function riyadhInstant(day: string, minuteOfDay: number): Date {
  // Offset taken from Intl rather than hard-coded +03:00, so this stays right if the zone data ever changes.
  const wallAsUtc = Date.parse(`${day}T00:00:00Z`) + minuteOfDay * 60_000;
  const guess = new Date(wallAsUtc);
  const offset = Date.parse(`${toRiyadhDateString(guess)}T00:00:00Z`) + riyadhMinutesOfDay(guess) * 60_000 - guess.getTime();
  return new Date(wallAsUtc - offset);
}

export function isHoliday(day: string, profile: Pick<Profile, 'holidays'>): boolean {
  return profile.holidays.some((h) => h.from <= day && day <= h.to);
}

/** A day the office opens at all: a configured working weekday that is not a configured holiday. */
export function isWorkingDay(day: string, profile: HoursProfile): boolean {
  return profile.working_hours.days.includes(weekdayOf(day)) && !isHoliday(day, profile);
}

export function isOpen(now: Date, profile: HoursProfile): boolean {
  const day = toRiyadhDateString(now);
  if (!isWorkingDay(day, profile)) return false;
  const t = riyadhMinutesOfDay(now);
  return minutes(profile.working_hours.open) <= t && t < minutes(profile.working_hours.close);
}

/** The earliest instant at or after `now` when the office is open (`now` itself while open). */
export function nextOpening(now: Date, profile: HoursProfile): Date {
  const open = minutes(profile.working_hours.open);
  const close = minutes(profile.working_hours.close);
  let day = toRiyadhDateString(now);
  // Two years covers any sane holiday list; beyond that the configuration itself is wrong.
  for (let i = 0; i < 732; i++, day = shiftDateString(day, 1)) {
    if (!isWorkingDay(day, profile)) continue;
    const opening = riyadhInstant(day, open);
    if (now < opening) return opening;
    if (now < riyadhInstant(day, close)) return now;
  }
  throw new Error('no opening found within two years: check working_hours.days and holidays');
}

/** `n` calendar days later; Riyadh has no daylight saving, so a day is always 24 hours there. */
export function addDays(date: Date, n: number): Date {
  return new Date(date.getTime() + n * DAY_MS);
}
