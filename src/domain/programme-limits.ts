import type { ClinicalWarning } from './clinical-warning.ts';
import {
  continuousDoseMcgPerDay,
  doseByWeekday,
  MINUTES_PER_DAY,
  planningDoseMcgPerDay,
  scheduleDoseMcg,
  stepMinutes,
  WEEKDAY_LABELS,
  type DoseProgramme,
  type FlexSchedule,
} from './dose-programme.ts';
import { formatAmount, usualDoseWarning } from './dose-range.ts';
import type { ProgrammeLimits, UsualRange } from './pump-rules.ts';
import { roundTo2 } from './rounding.ts';

/**
 * The usual-range checks on a programme (pump-rules.ts `usualRange` and `programme`): a daily
 * dose outside the usual range, a patient bolus that is a large share of the day, many boluses a
 * day, a short lock-out, a flex step that carries much of the day. Each is accepted only with a
 * written reason (the services), and reported as a warning by the CLI and the API. Run after
 * programmeErrors (the hard limits) has passed; fields are relative to the programme, as there.
 */

export interface ProgrammeWarningRules {
  readonly usualRange: UsualRange;
  readonly programme: ProgrammeLimits;
}

/** Shares are judged exactly; this only absorbs binary noise (25 ÷ 250 × 100 is 10.000000000000002). */
const NOISE = 1e-9;

function percent(part: number, whole: number): number {
  return (part / whole) * 100;
}

function daysText(schedule: FlexSchedule): string {
  return schedule.weekdays.length === 7
    ? 'every day'
    : schedule.weekdays.map((d) => WEEKDAY_LABELS[d - 1] ?? String(d)).join(', ');
}

function doseRangeWarnings(programme: DoseProgramme, range: UsualRange): ClinicalWarning[] {
  const warnings: (ClinicalWarning | null)[] = [];
  if (programme.mode === 'simple') {
    warnings.push(usualDoseWarning('doseMcgPerDay', 'Daily dose', programme.doseMcgPerDay ?? 0, range));
  } else {
    programme.schedules.forEach((s, i) => {
      const label =
        s.weekdays.length === 7 ? 'The day’s total dose' : `The day’s total dose (${daysText(s)})`;
      warnings.push(usualDoseWarning(`schedules.${i}.steps`, label, scheduleDoseMcg(s), range));
    });
  }
  // The most in a day with every bolus taken: only when that alone goes above the range (below
  // it, the continuous dose is below too and already warned about).
  const most = planningDoseMcgPerDay(programme);
  if (
    programme.bolus &&
    most > range.maxDoseMcgPerDay &&
    continuousDoseMcgPerDay(programme) <= range.maxDoseMcgPerDay
  ) {
    warnings.push(
      usualDoseWarning('bolus.maxPerDay', 'With every bolus taken, the most in a day', most, range),
    );
  }
  return warnings.filter((w): w is ClinicalWarning => w !== null);
}

function bolusWarnings(programme: DoseProgramme, limits: ProgrammeLimits): ClinicalWarning[] {
  const b = programme.bolus;
  if (!b) {
    return [];
  }
  const warnings: ClinicalWarning[] = [];
  // The day with the smallest continuous dose is where one bolus is the largest share [GAP].
  const days = doseByWeekday(programme);
  const smallest = Math.min(...days);
  const share = percent(b.doseMcg, smallest);
  if (smallest > 0 && share > limits.bolusMaxSharePercent + NOISE) {
    const day =
      programme.mode === 'flex' && new Set(days).size > 1
        ? ` on ${WEEKDAY_LABELS[days.indexOf(smallest)] ?? ''}`
        : '';
    warnings.push({
      code: 'BOLUS_LARGE_SHARE',
      field: 'bolus.doseMcg',
      message: `A bolus of ${formatAmount(b.doseMcg)} mcg is ${formatAmount(roundTo2(share))}% of the continuous daily dose of ${formatAmount(smallest)} mcg${day}, more than the usual ${limits.bolusMaxSharePercent}%`,
    });
  }
  if (b.maxPerDay > limits.maxBolusesPerDay) {
    warnings.push({
      code: 'BOLUSES_PER_DAY_HIGH',
      field: 'bolus.maxPerDay',
      message: `Up to ${b.maxPerDay} boluses a day is more than the usual ${limits.maxBolusesPerDay}`,
    });
  }
  if (b.lockoutMinutes < limits.minLockoutMinutes) {
    warnings.push({
      code: 'LOCKOUT_SHORT',
      field: 'bolus.lockoutMinutes',
      message: `A lock-out of ${b.lockoutMinutes} minutes between boluses is shorter than the usual ${limits.minLockoutMinutes} minutes`,
    });
  }
  return warnings;
}

/**
 * FLEX_STEP_LARGE_SHARE: a step whose rate × hours is more than the usual share of its
 * schedule's day total, at a rate above the day's mean (the day's dose ÷ 24 h). Worked example
 * 15's night step warns: 160 of 320 mcg (50 %) at 20 mcg/h against a mean of 13.33. A step at or
 * below the mean rate cannot concentrate the drug into part of the day, however long it runs
 * (LOCAL, arithmetic rather than a source): a flat day split into steps (22:00-24:00 and
 * 00:00-22:00 at 10 mcg/h) never warns, so a reason is asked for only where the dose really is
 * bunched. A single step running the whole day is the continuous rate itself.
 */
function flexStepWarnings(programme: DoseProgramme, limits: ProgrammeLimits): ClinicalWarning[] {
  if (programme.mode !== 'flex') {
    return [];
  }
  const warnings: ClinicalWarning[] = [];
  programme.schedules.forEach((s, i) => {
    const total = scheduleDoseMcg(s);
    const meanRateMcgPerHour = total / 24;
    const large = s.steps
      .filter((st) => stepMinutes(st) < MINUTES_PER_DAY)
      .filter((st) => st.rateMcgPerHour > meanRateMcgPerHour + NOISE)
      .map((st) => ({ st, dose: (st.rateMcgPerHour * stepMinutes(st)) / 60 }))
      .filter((x) => total > 0 && percent(x.dose, total) > limits.flexStepMaxSharePercent + NOISE);
    if (large.length === 0) {
      return;
    }
    const steps = large
      .map(
        (x) =>
          `the step from ${x.st.start} to ${x.st.end} gives ${formatAmount(x.dose)} mcg (${formatAmount(roundTo2(percent(x.dose, total)))}%) at ${formatAmount(x.st.rateMcgPerHour)} mcg/h`,
      )
      .join(' and ');
    const days = s.weekdays.length === 7 ? '' : ` (${daysText(s)})`;
    warnings.push({
      code: 'FLEX_STEP_LARGE_SHARE',
      field: `schedules.${i}.steps`,
      message: `Of the day’s ${formatAmount(total)} mcg${days}, ${steps}: more than the usual ${limits.flexStepMaxSharePercent}% for one step, at a rate above the day’s mean of ${formatAmount(meanRateMcgPerHour)} mcg/h`,
    });
  });
  return warnings;
}

/** Every usual-range warning on a programme that passed programmeErrors, each naming its field. */
export function programmeWarnings(programme: DoseProgramme, rules: ProgrammeWarningRules): ClinicalWarning[] {
  return [
    ...doseRangeWarnings(programme, rules.usualRange),
    ...bolusWarnings(programme, rules.programme),
    ...flexStepWarnings(programme, rules.programme),
  ];
}
