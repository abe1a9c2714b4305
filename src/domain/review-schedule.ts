import { addDays, addMonths, type PlainDate } from './calendar-date.ts';
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
