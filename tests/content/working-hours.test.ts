// Office hours in Asia/Riyadh: open/closed, next opening across the weekend and configured holidays.
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, isOpen, isWorkingDay, nextOpening } from '../../src/dates/working-hours.ts';
import type { HoursProfile } from '../../src/dates/working-hours.ts';

const profile: HoursProfile = {
  working_hours: { days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '08:00', close: '15:00' },
  holidays: [
    { name: { ar: 'إجازة عيد الفطر', en: 'Eid al-Fitr holiday' }, from: '2026-03-19', to: '2026-03-22' },
    { name: { ar: 'اليوم الوطني', en: 'National Day' }, from: '2026-09-23', to: '2026-09-23' },
  ],
};

/** An instant given as Riyadh wall-clock time (UTC+3, no daylight saving). */
const riyadh = (isoLocal: string): Date => new Date(`${isoLocal}+03:00`);

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('isOpen', () => {
  it('is open on Thursday 14:59 and closed at 15:00 and 15:01', () => {
    expect(isOpen(riyadh('2026-01-15T14:59'), profile)).toBe(true); // 2026-01-15 is a Thursday
    expect(isOpen(riyadh('2026-01-15T15:00'), profile)).toBe(false);
    expect(isOpen(riyadh('2026-01-15T15:01'), profile)).toBe(false);
  });

  it('opens at 08:00, not before', () => {
    expect(isOpen(riyadh('2026-01-18T07:59'), profile)).toBe(false);
    expect(isOpen(riyadh('2026-01-18T08:00'), profile)).toBe(true);
  });

  it('is closed all Friday and Saturday', () => {
    for (const day of ['2026-01-16', '2026-01-17']) {
      for (const time of ['00:00', '08:00', '10:30', '14:59', '23:59']) expect(isOpen(riyadh(`${day}T${time}`), profile), `${day} ${time}`).toBe(false);
    }
  });

  it('is closed on configured holidays, including a working weekday', () => {
    expect(isOpen(riyadh('2026-09-23T10:00'), profile)).toBe(false); // a Wednesday
    expect(isOpen(riyadh('2026-09-24T10:00'), profile)).toBe(true);
    expect(isWorkingDay('2026-03-22', profile)).toBe(false); // Sunday inside the Eid holiday
  });

  it('judges by Riyadh time whatever the server time zone is', () => {
    const thursday1459 = riyadh('2026-01-15T14:59');
    for (const tz of ['UTC', 'America/New_York', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      expect(isOpen(thursday1459, profile), tz).toBe(true);
      expect(nextOpening(riyadh('2026-01-15T15:01'), profile).toISOString(), tz).toBe('2026-01-18T05:00:00.000Z');
    }
  });
});

describe('nextOpening', () => {
  it('goes from Thursday 15:01 to Sunday 08:00 Riyadh', () => {
    expect(nextOpening(riyadh('2026-01-15T15:01'), profile)).toEqual(riyadh('2026-01-18T08:00'));
  });

  it('returns now while open, and today 08:00 early in the morning', () => {
    const open = riyadh('2026-01-15T10:00');
    expect(nextOpening(open, profile)).toEqual(open);
    expect(nextOpening(riyadh('2026-01-15T06:00'), profile)).toEqual(riyadh('2026-01-15T08:00'));
  });

  it('skips the weekend and a holiday that runs into the next week', () => {
    // Wednesday 18 March after closing → Eid 19–22 March → Monday 23 March.
    expect(nextOpening(riyadh('2026-03-18T15:30'), profile)).toEqual(riyadh('2026-03-23T08:00'));
    expect(nextOpening(riyadh('2026-03-20T09:00'), profile)).toEqual(riyadh('2026-03-23T08:00'));
  });

  it('fails loudly when the configuration never opens', () => {
    const closed: HoursProfile = { ...profile, holidays: [{ name: { ar: 'س', en: 'x' }, from: '2026-01-01', to: '2030-01-01' }] };
    expect(() => nextOpening(riyadh('2026-01-15T10:00'), closed)).toThrow(/no opening/);
  });
});

describe('addDays', () => {
  it('adds whole days', () => {
    const start = riyadh('2026-01-15T10:00');
    expect(addDays(start, 14)).toEqual(riyadh('2026-01-29T10:00'));
    expect(addDays(start, -1)).toEqual(riyadh('2026-01-14T10:00'));
  });
});
