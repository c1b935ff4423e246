// When a visit may be scheduled and recorded: inside the charity's working hours unless confirmed with a reason,
// and never marked done before its time.
import { AppError } from '../core/errors.ts';
import type { Locale } from '../core/messages.ts';
import { toRiyadhDateString } from '../dates/hijri.ts';
import { isOpen, isWorkingDay, type HoursProfile } from '../dates/working-hours.ts';
import type { Words } from './deps.ts';

/**
 * A time outside working hours, on the weekend (Friday and Saturday in the example profile) or on a holiday needs
 * `confirm: true` and a reason; returns the reason to store (null inside working hours).
 */
export function confirmReasonFor(at: Date, input: { confirm?: boolean | undefined; confirmReason?: string | undefined }, profile: HoursProfile, texts: Words, locale: Locale): string | null {
  if (isOpen(at, profile)) return null;
  const reason = input.confirmReason?.trim() ?? '';
  if (input.confirm === true && reason !== '') return reason;
  const message = isWorkingDay(toRiyadhDateString(at), profile)
    ? texts.t(locale, 'checklist.confirm_after_hours', { open: profile.working_hours.open, close: profile.working_hours.close })
    : texts.t(locale, 'checklist.confirm_weekend');
  throw new AppError('ERR_CONFIRMATION_REQUIRED', message);
}

/** A visit is recorded done only once its time has come. */
export function ensureVisitTimeCame(scheduledAt: string, now: Date, texts: Words, locale: Locale): void {
  if (Date.parse(scheduledAt) <= now.getTime()) return;
  throw new AppError('ERR_PRECONDITION', texts.t(locale, 'checklist.visit_not_yet', { when: { datetime: scheduledAt } }));
}
