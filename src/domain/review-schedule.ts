import { addDays, addMonths, daysBetween, type PlainDate } from './calendar-date.ts';
import type { ReviewScheduleRules } from './pump-rules.ts';

/**
 * Reviews after implant follow a template of offsets from the implant date (default 2 and 6
 * weeks, 3, 6 and 12 months, then yearly; LOCAL [BRIS-RF], [MEDSCAPE-2]). Each review held
 * counts against the next item of the template, so a missed review stays due, never skipped.
 */
export function scheduledReview(
  rules: ReviewScheduleRules,
  implantedOn: PlainDate,
  index: number,
): PlainDate {
  const offset = rules.offsets[index];
  if (offset) {
    return offset.unit === 'w'
      ? addDays(implantedOn, offset.amount * 7)
      : addMonths(implantedOn, offset.amount);
  }
  const last = rules.offsets[rules.offsets.length - 1];
  const lastMonths = last ? (last.unit === 'm' ? last.amount : 0) : 0;
  const lastDate = last ? scheduledReview(rules, implantedOn, rules.offsets.length - 1) : implantedOn;
  const beyond = index - rules.offsets.length + 1;
  return lastMonths > 0
    ? addMonths(implantedOn, lastMonths + beyond * rules.thenEveryMonths)
    : addMonths(lastDate, beyond * rules.thenEveryMonths);
}

/** The next review due: the template item after the reviews already held since the implant. */
export function nextReviewDue(
  rules: ReviewScheduleRules,
  implantedOn: PlainDate,
  reviewsHeldSinceImplant: number,
): { readonly dueOn: PlainDate; readonly index: number } {
  return {
    dueOn: scheduledReview(rules, implantedOn, reviewsHeldSinceImplant),
    index: reviewsHeldSinceImplant,
  };
}

/** "2 weeks", "3 months", "Yearly review 2": the name of the index-th review. */
export function reviewLabel(rules: ReviewScheduleRules, index: number): string {
  const offset = rules.offsets[index];
  if (offset) {
    const unit = offset.unit === 'w' ? 'week' : 'month';
    return `${offset.amount} ${unit}${offset.amount === 1 ? '' : 's'} review`;
  }
  return `Review ${index + 1} (every ${rules.thenEveryMonths} months)`;
}

/** The next review as the pump page and the worklist show it: when, which, and how late. */
export interface ReviewStanding {
  readonly dueOn: PlainDate;
  readonly index: number;
  readonly label: string;
  /** Days from today to the due date; negative once it has passed. */
  readonly daysLeft: number;
  /** Days past the due date with the review not yet held; 0 when not overdue. */
  readonly daysOverdue: number;
}

/**
 * The next review and how long it is overdue. A review is overdue the day after its due date:
 * it stays due until one is recorded as held, so an overdue review never drops off the pump page
 * or the worklist (hazard H-071).
 */
export function reviewStanding(
  rules: ReviewScheduleRules,
  implantedOn: PlainDate,
  reviewsHeldSinceImplant: number,
  today: PlainDate,
): ReviewStanding {
  const next = nextReviewDue(rules, implantedOn, reviewsHeldSinceImplant);
  const daysLeft = daysBetween(today, next.dueOn);
  return {
    dueOn: next.dueOn,
    index: next.index,
    label: reviewLabel(rules, next.index),
    daysLeft,
    daysOverdue: Math.max(0, -daysLeft),
  };
}
