import { daysBetween, type PlainDate } from './calendar-date.ts';
import { pumpLifeDates, type PumpModel } from './pump-device.ts';
import type { ReviewScheduleRules } from './pump-rules.ts';
import { nextReviewDue } from './review-schedule.ts';
import { workingDayOnOrBefore } from './working-days.ts';

/**
 * The refill worklist's status rules. Every implanted pump is on the list whatever its state:
 * a pump the service cannot plan for (no fill recorded) is escalated, second only to overdue
 * pumps, so nothing falls off the list (hazard H-017, missed refill). A paused pump (emptied or
 * stopped for an MRI scan or surgery) stays on the list with a status of its own; once its
 * resume date is reached without the pause being ended it is escalated first of all, as the
 * patient may be without drug (hazard H-037).
 */

/** Most at risk first; the worklist sorts on this order, then on the working due date. */
export const REFILL_STATUSES = [
  'resume-overdue',
  'overdue',
  'no-plan',
  'booked-late',
  'not-booked',
  'paused',
  'due-soon',
  'booked',
] as const;
export type RefillStatus = (typeof REFILL_STATUSES)[number];

export const REFILL_STATUS_LABELS: Readonly<Record<RefillStatus, string>> = {
  'resume-overdue': 'Paused past its resume date',
  overdue: 'Overdue',
  'no-plan': 'No fill recorded',
  'booked-late': 'Booked after due date',
  'not-booked': 'Not booked',
  paused: 'Paused',
  'due-soon': 'Due this week',
  booked: 'Booked in time',
};

/** Statuses that need someone to act today: shown first and sent in the daily digest. */
export const ESCALATED: ReadonlySet<RefillStatus> = new Set([
  'resume-overdue',
  'overdue',
  'no-plan',
  'booked-late',
  'not-booked',
]);

export interface RefillFacts {
  /** From the latest fill; null when the pump has no fill the service can plan from. */
  readonly alarmDate: PlainDate | null;
  readonly refillDueBy: PlainDate | null;
  /**
   * The earliest refill appointment still booked. One dated before today was missed but not
   * recorded as such: it does not count, and it hides no later booking either (the pump is
   * escalated until someone settles it), so a stale booking can never make a pump look safe.
   */
  readonly bookedOn: PlainDate | null;
  /**
   * Set while the pump is paused: the date it is due to resume. A paused pump's stored plan does
   * not apply (it was emptied or stopped); absent or null when the pump is running.
   */
  readonly resumeBy?: PlainDate | null;
}

export interface RefillStanding {
  readonly status: RefillStatus;
  readonly escalated: boolean;
  /** The due date moved to a working day; null with no plan. */
  readonly dueOn: PlainDate | null;
  /** Days from today to the working due date (negative when overdue). */
  readonly daysLeft: number | null;
  readonly daysToAlarm: number | null;
  /** A paused pump's resume date (then `daysLeft` counts the days to it); null when running. */
  readonly resumeBy: PlainDate | null;
}

export function refillStanding(
  facts: RefillFacts,
  today: PlainDate,
  closedDays: ReadonlySet<string>,
  dueSoonDays: number,
): RefillStanding {
  const resumeBy = facts.resumeBy ?? null;
  if (resumeBy !== null) {
    // Reaching the resume date with the pause still open escalates: nobody has said it restarted.
    const status: RefillStatus = resumeBy <= today ? 'resume-overdue' : 'paused';
    return {
      status,
      escalated: ESCALATED.has(status),
      dueOn: null,
      daysLeft: daysBetween(today, resumeBy),
      daysToAlarm: null,
      resumeBy,
    };
  }
  if (facts.refillDueBy === null || facts.alarmDate === null) {
    return {
      status: 'no-plan',
      escalated: true,
      dueOn: null,
      daysLeft: null,
      daysToAlarm: null,
      resumeBy: null,
    };
  }
  const dueOn = workingDayOnOrBefore(facts.refillDueBy, closedDays);
  const daysLeft = daysBetween(today, dueOn);
  let status: RefillStatus;
  if (daysLeft < 0) {
    status = 'overdue';
  } else if (facts.bookedOn === null || facts.bookedOn < today) {
    status = 'not-booked';
  } else if (facts.bookedOn > dueOn) {
    status = 'booked-late';
  } else if (daysLeft <= dueSoonDays) {
    status = 'due-soon';
  } else {
    status = 'booked';
  }
  return {
    status,
    escalated: ESCALATED.has(status),
    dueOn,
    daysLeft,
    daysToAlarm: daysBetween(today, facts.alarmDate),
    resumeBy: null,
  };
}

const RANK: ReadonlyMap<RefillStatus, number> = new Map(REFILL_STATUSES.map((s, i) => [s, i]));

/** Sort key: status rank, then the earliest resume date (paused), due date, then alarm. */
export function compareStandings(a: RefillStanding, b: RefillStanding): number {
  const rank = (RANK.get(a.status) ?? 0) - (RANK.get(b.status) ?? 0);
  if (rank !== 0) {
    return rank;
  }
  if (a.resumeBy !== b.resumeBy) {
    return (a.resumeBy ?? '') < (b.resumeBy ?? '') ? -1 : 1;
  }
  // Plain comparison: YYYY-MM-DD sorts as text, and localeCompare is slow over a caseload.
  const ad = a.dueOn ?? '';
  const bd = b.dueOn ?? '';
  if (ad !== bd) {
    return ad < bd ? -1 : 1;
  }
  return (a.daysToAlarm ?? 0) - (b.daysToAlarm ?? 0);
}

export type DateStatus = 'overdue' | 'due-soon' | 'later';

/** For reviews and replacements: overdue after the date, due soon within `dueSoonDays`. */
export function dateStatus(dueOn: PlainDate, today: PlainDate, dueSoonDays: number): DateStatus {
  const left = daysBetween(today, dueOn);
  if (left < 0) {
    return 'overdue';
  }
  return left <= dueSoonDays ? 'due-soon' : 'later';
}

/** What the worklist ranks on, kept on the pump row whenever the pump, its plan or its reviews change. */
export interface PumpSchedule {
  /** The refill due date moved to a working day; null with no fill recorded, or while paused. */
  readonly refillDueOn: PlainDate | null;
  readonly nextReviewOn: PlainDate;
  readonly replaceBy: PlainDate;
}

/**
 * The dates the caseload-wide worklist sorts and counts on, worked out once when they change so
 * the database can rank 100,000 pumps without the application reading each one
 * (docs/performance.md). The page still works each shown pump's standing out with refillStanding.
 * `replacementMarginDays` is pump-rules.ts's margin before a pump stops after its ERI. A paused
 * pump is ranked on its resume date, not its plan (refillStanding), so it has no working due
 * date while paused: the worklist's due-date statuses then leave it out by their own conditions.
 */
export function pumpSchedule(
  pump: {
    readonly refillDueBy: PlainDate | null;
    readonly implantedOn: PlainDate;
    readonly reviewsHeld: number;
    readonly eriOn: PlainDate | null;
    /** Set while the pump is paused. */
    readonly resumeBy?: PlainDate | null;
  },
  model: PumpModel | undefined,
  rules: ReviewScheduleRules,
  closedDays: ReadonlySet<string>,
  replacementMarginDays: number,
): PumpSchedule {
  return {
    refillDueOn:
      pump.refillDueBy === null || (pump.resumeBy ?? null) !== null
        ? null
        : workingDayOnOrBefore(pump.refillDueBy, closedDays),
    nextReviewOn: nextReviewDue(rules, pump.implantedOn, pump.reviewsHeld).dueOn,
    // An unknown model has no service life to count from: replacement is shown as due at once.
    replaceBy: model
      ? pumpLifeDates(model, pump.implantedOn, pump.eriOn, replacementMarginDays).replaceBy
      : pump.implantedOn,
  };
}
