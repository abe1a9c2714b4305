import { addDays, formatPlainDate, isoWeekday, type PlainDate } from './calendar-date.ts';
import { instantFromLocal } from './test-dose-time.ts';

/**
 * When appointment reminders are sent. How many days before is a local policy of the service
 * (REMINDER_DAYS_BEFORE, default 7 and 1), not a clinical rule: no source sets it. Each reminder
 * has a window: it may be sent from REMINDER_SEND_TIME (local) on its day until the next
 * reminder's window opens, and the last one until the appointment day starts. A reminder whose
 * day passed while the job was not running is still sent within its window; one whose window has
 * closed is never sent, so a patient never gets a "7 days before" text the day before as well as
 * the "1 day before" one, nor any reminder after the appointment (hazard H-160).
 */
export interface ReminderPolicy {
  /** Distinct whole days before the appointment, each at least 1. */
  readonly daysBefore: readonly number[];
  /** Local time of day (HH:MM) from which a reminder may be sent. */
  readonly sendTime: string;
  readonly timeZone: string;
}

export interface ReminderSlot {
  readonly daysBefore: number;
  readonly sendOn: PlainDate;
  /** UTC instant (ISO) the window opens. */
  readonly sendFrom: string;
  /** UTC instant (ISO) the window closes (exclusive). */
  readonly sendUntil: string;
}

/** A local date and time as a UTC instant; a time skipped by the clocks moves to the next hour. */
function localInstant(date: PlainDate, time: string, timeZone: string): string {
  const first = instantFromLocal('time', 'Time', date, time, timeZone);
  if ('instant' in first) {
    return first.instant;
  }
  // Skipped (clocks forward) or repeated (clocks back, which instantFromLocal refuses without
  // an offset): an hour later always exists once and is the safe side for a reminder's start.
  const [h, m] = time.split(':').map(Number) as [number, number];
  const later = `${String(Math.min(23, h + 1)).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  const second = instantFromLocal('time', 'Time', date, later, timeZone);
  if ('instant' in second) {
    return second.instant;
  }
  throw new Error(`no local instant for ${date} ${time} in ${timeZone}`);
}

/** The windows of an appointment's reminders, furthest first. */
export function reminderSlots(onDate: PlainDate, policy: ReminderPolicy): ReminderSlot[] {
  const days = [...new Set(policy.daysBefore)].filter((d) => d >= 1).sort((a, b) => b - a);
  const dayStart = localInstant(onDate, '00:00', policy.timeZone);
  const froms = days.map((d) => localInstant(addDays(onDate, -d), policy.sendTime, policy.timeZone));
  return days.map((daysBefore, i) => ({
    daysBefore,
    sendOn: addDays(onDate, -daysBefore),
    sendFrom: froms[i] ?? dayStart,
    sendUntil: froms[i + 1] ?? dayStart,
  }));
}

/** The reminder of this appointment whose window is open at `now`, if any. */
export function dueSlot(onDate: PlainDate, policy: ReminderPolicy, now: string): ReminderSlot | null {
  const at = Date.parse(now);
  return (
    reminderSlots(onDate, policy).find((s) => Date.parse(s.sendFrom) <= at && at < Date.parse(s.sendUntil)) ??
    null
  );
}

/** Whether a queued reminder may still go at `now`: before the appointment day starts. */
export function stillTimely(onDate: PlainDate, policy: ReminderPolicy, now: string): boolean {
  return Date.parse(now) < Date.parse(localInstant(onDate, '00:00', policy.timeZone));
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** "Tuesday 1 December 2026": the appointment day as a reminder says it. */
export function reminderDateText(onDate: PlainDate): string {
  return `${WEEKDAYS[isoWeekday(onDate) - 1] ?? ''} ${formatPlainDate(onDate)}`;
}

/**
 * What the Notify template is filled with: the minimum a patient needs to turn up, nothing
 * clinical (no drug, dose or device), since a text or email can be read by others (hazard H-164).
 * Appointments are booked by day, so the time is the service's usual wording, not a clock time.
 */
export interface ReminderPersonalisation {
  readonly first_name: string;
  readonly appointment_date: string;
  readonly appointment_time: string;
  readonly place: string;
  readonly service_phone: string;
}

export function reminderPersonalisation(input: {
  readonly givenName: string;
  readonly onDate: PlainDate;
  readonly timeText: string;
  readonly place: string;
  readonly servicePhone: string;
}): ReminderPersonalisation {
  return {
    first_name: input.givenName.trim().split(/\s+/)[0] ?? '',
    appointment_date: reminderDateText(input.onDate),
    appointment_time: input.timeText,
    place: input.place,
    service_phone: input.servicePhone,
  };
}
