import { addDays, daysBetween, formatPlainDate, isoWeekday, type PlainDate } from './calendar-date.ts';
import { isWorkingDay } from './working-days.ts';

/**
 * The first-appointment target for accepted referrals. The Leeds ITB page promises that an
 * accepted patient is seen within 6 weeks [LTH-SEED]; the number of days and the event that
 * starts the clock are service configuration (README, "Configuration"), defaulting to 42 days
 * from the date the referral was received.
 *
 * A referral the consultant accepts as urgent has a shorter target of its own. No source found
 * gives one for ITB (GAP: neither the Leeds pages [LTH-SEED] nor the NHS England policy [CBA]
 * names an urgent wait), so it is the service's own setting, WAIT_URGENT_TARGET_DAYS, defaulting
 * to 14 days (two weeks): without it an urgent patient would be measured against the routine
 * 6 weeks and shown as on time until then (hazard log).
 */
export interface WaitingRules {
  /** Calendar days from the clock start by which a routine first appointment must take place. */
  readonly targetDays: number;
  /** The same for a referral accepted as urgent (the service's own setting; see above). */
  readonly urgentTargetDays: number;
  /** An unbooked wait with this many days or fewer left is "due soon". */
  readonly dueSoonDays: number;
  /** What starts the clock: the date the referral was received, or the date it was accepted. */
  readonly clockStart: ClockStart;
}

export const CLOCK_STARTS = ['received', 'accepted'] as const;
export type ClockStart = (typeof CLOCK_STARTS)[number];

export const DEFAULT_WAITING_RULES: WaitingRules = {
  targetDays: 42,
  urgentTargetDays: 14,
  dueSoonDays: 7,
  clockStart: 'received',
};

/** The triage priority a target depends on; a referral accepted before priorities counts as routine. */
export type WaitPriority = 'routine' | 'urgent' | null;

/** The days to the first appointment for a referral of this priority. */
export function targetDaysFor(
  priority: WaitPriority,
  rules: Pick<WaitingRules, 'targetDays' | 'urgentTargetDays'>,
): number {
  return priority === 'urgent' ? rules.urgentTargetDays : rules.targetDays;
}

export type AppointmentState = 'booked' | 'cancelled' | 'attended';

export interface AppointmentFact {
  readonly date: PlainDate;
  readonly state: AppointmentState;
}

export interface WaitFacts {
  /** Urgent referrals have their own, shorter target (targetDaysFor). */
  readonly priority: WaitPriority;
  readonly receivedOn: PlainDate;
  /** The calendar date of the (latest) acceptance decision in the service's time zone. */
  readonly acceptedOn: PlainDate;
  readonly appointments: readonly AppointmentFact[];
}

/** Ordered by risk, most at risk first; the waiting list sorts on this order. */
export const WAIT_STATUSES = [
  'breached',
  'will-breach',
  'due-soon',
  'not-booked',
  'booked-within-target',
  'seen-after-target',
  'seen-within-target',
] as const;
export type WaitStatus = (typeof WAIT_STATUSES)[number];

/** Statuses of referrals still waiting for their first appointment (the waiting list). */
export const WAITING_STATUSES: readonly WaitStatus[] = [
  'breached',
  'will-breach',
  'due-soon',
  'not-booked',
  'booked-within-target',
];

export interface WaitAssessment {
  readonly status: WaitStatus;
  readonly clockStartOn: PlainDate;
  /** The days of the target applied (routine or urgent). */
  readonly targetDays: number;
  readonly targetDate: PlainDate;
  /** Days from the clock start to today, or to the day the patient was seen. */
  readonly daysWaited: number;
  /** Days from today to the target date; negative once it has passed. */
  readonly daysLeft: number;
  readonly bookedOn: PlainDate | null;
  readonly seenOn: PlainDate | null;
  /** A booked appointment whose date has passed with no outcome recorded. */
  readonly outcomeOverdue: boolean;
}

export function targetDateFor(clockStartOn: PlainDate, targetDays: number): PlainDate {
  return addDays(clockStartOn, targetDays);
}

/** When the referral's clock started and the day its first appointment must take place by. */
export function waitTarget(
  facts: Pick<WaitFacts, 'priority' | 'receivedOn' | 'acceptedOn'>,
  rules: WaitingRules,
): { readonly clockStartOn: PlainDate; readonly targetDays: number; readonly targetDate: PlainDate } {
  const clockStartOn = rules.clockStart === 'received' ? facts.receivedOn : facts.acceptedOn;
  const targetDays = targetDaysFor(facts.priority, rules);
  return { clockStartOn, targetDays, targetDate: targetDateFor(clockStartOn, targetDays) };
}

function earliest(facts: readonly AppointmentFact[], state: AppointmentState): PlainDate | null {
  let found: PlainDate | null = null;
  for (const a of facts) {
    if (a.state === state && (found === null || a.date < found)) {
      found = a.date;
    }
  }
  return found;
}

/**
 * Where an accepted referral stands against its target on `today` (a calendar date in
 * Europe/London). A pure function of the referral, its appointments and the date, so the page,
 * the API, the daily job and the figures always agree.
 *
 * A booked appointment on or before the target keeps the wait "booked within target" even
 * after the target date, until an outcome is recorded (flagged `outcomeOverdue`), because the
 * patient may well have been seen; a cancellation or non-attendance puts it back to unbooked.
 */
export function assessWait(facts: WaitFacts, today: PlainDate, rules: WaitingRules): WaitAssessment {
  const { clockStartOn, targetDays, targetDate } = waitTarget(facts, rules);
  const daysLeft = daysBetween(today, targetDate);
  const seenOn = earliest(facts.appointments, 'attended');
  const bookedOn = earliest(facts.appointments, 'booked');
  const base = { clockStartOn, targetDays, targetDate, daysLeft, bookedOn, seenOn };

  if (seenOn !== null) {
    return {
      ...base,
      status: seenOn <= targetDate ? 'seen-within-target' : 'seen-after-target',
      daysWaited: daysBetween(clockStartOn, seenOn),
      outcomeOverdue: false,
    };
  }
  const daysWaited = daysBetween(clockStartOn, today);
  if (bookedOn !== null) {
    if (bookedOn <= targetDate) {
      return { ...base, status: 'booked-within-target', daysWaited, outcomeOverdue: bookedOn < today };
    }
    return {
      ...base,
      status: today > targetDate ? 'breached' : 'will-breach',
      daysWaited,
      outcomeOverdue: bookedOn < today,
    };
  }
  if (today > targetDate) {
    return { ...base, status: 'breached', daysWaited, outcomeOverdue: false };
  }
  return {
    ...base,
    status: daysLeft <= rules.dueSoonDays ? 'due-soon' : 'not-booked',
    daysWaited,
    outcomeOverdue: false,
  };
}

/** What the waiting list says, e.g. "Not booked – 12 days left". */
export function waitStatusText(a: Pick<WaitAssessment, 'status' | 'daysLeft'>): string {
  switch (a.status) {
    case 'breached':
      return 'Breached';
    case 'will-breach':
      return 'Will breach';
    case 'due-soon':
      return `Due soon – ${a.daysLeft} ${a.daysLeft === 1 ? 'day' : 'days'} left`;
    case 'not-booked':
      return `Not booked – ${a.daysLeft} days left`;
    case 'booked-within-target':
      return 'Booked within target';
    case 'seen-after-target':
      return 'Seen after target';
    case 'seen-within-target':
      return 'Seen within target';
  }
}

export interface RankedWait {
  readonly assessment: WaitAssessment;
  readonly priority: 'routine' | 'urgent';
  readonly receivedOn: PlainDate;
}

/**
 * Most at risk first: by status, then urgent before routine, then the fewest days left, then
 * the longest wait, so that equal cases keep a stable, explainable order.
 */
export function compareByRisk(a: RankedWait, b: RankedWait): number {
  return (
    WAIT_STATUSES.indexOf(a.assessment.status) - WAIT_STATUSES.indexOf(b.assessment.status) ||
    (a.priority === b.priority ? 0 : a.priority === 'urgent' ? -1 : 1) ||
    a.assessment.daysLeft - b.assessment.daysLeft ||
    (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0)
  );
}

/** Why a target date is not a working day. */
export type NonWorkingKind = 'weekend' | 'bank-holiday' | 'closed';

export interface TargetDayNote {
  readonly kind: NonWorkingKind;
  /** The last working day before the target date: book the first appointment by then. */
  readonly bookBy: PlainDate;
  /** What the waiting list says beside the date, e.g. "Saturday: not a working day; book by …". */
  readonly text: string;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "Friday 4 December 2026". */
export function formatWithWeekday(date: PlainDate): string {
  return `${WEEKDAYS[isoWeekday(date) - 1] ?? ''} ${formatPlainDate(date)}`;
}

/**
 * When the target date falls on a weekend, an England bank holiday or a day the service is
 * closed, a clinic cannot be held on it: the list says so beside the date and names the last
 * working day before it. The target itself stays the 42nd day (the promise is 6 weeks
 * [LTH-SEED]; moving the date would hide a breach). Null on a working day. The sets of days are
 * worked out outside the domain (services/closed-days.ts, SERVICE_CLOSED_DAYS).
 */
export function targetDayNote(
  targetDate: PlainDate,
  days: { readonly bankHolidays: ReadonlySet<string>; readonly closedDays: ReadonlySet<string> },
): TargetDayNote | null {
  const weekday = isoWeekday(targetDate);
  let kind: NonWorkingKind;
  if (weekday > 5) {
    kind = 'weekend';
  } else if (days.bankHolidays.has(targetDate)) {
    kind = 'bank-holiday';
  } else if (days.closedDays.has(targetDate)) {
    kind = 'closed';
  } else {
    return null;
  }
  const closed = new Set([...days.bankHolidays, ...days.closedDays]);
  let bookBy = addDays(targetDate, -1);
  // A year of closed days in a row is impossible; the bound stops a bad setting looping forever.
  for (let i = 0; i < 366 && !isWorkingDay(bookBy, closed); i += 1) {
    bookBy = addDays(bookBy, -1);
  }
  const why =
    kind === 'weekend'
      ? (WEEKDAYS[weekday - 1] ?? '')
      : kind === 'bank-holiday'
        ? 'Bank holiday'
        : 'Service closed';
  return { kind, bookBy, text: `${why}: not a working day; book by ${formatWithWeekday(bookBy)}` };
}
