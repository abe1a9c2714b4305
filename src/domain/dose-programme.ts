import { z } from 'zod';
import type { FieldError } from './field-error.ts';
import type { HardLimits } from './pump-rules.ts';
import { doseErrors, round2 } from './refill-arithmetic.ts';

/**
 * A pump programme (clinical-reference.md 5, "Dosing modes"): a simple continuous dose, or flex
 * with up to 13 timed steps a day [MDT-FLEX], optionally a different schedule per weekday, and
 * patient-activated boluses within limits. Refill planning uses the largest daily dose the
 * programme allows, every permitted bolus taken, so the alarm date is never later than it could be.
 */

export const PROGRAMME_MODES = ['simple', 'flex'] as const;
export type ProgrammeMode = (typeof PROGRAMME_MODES)[number];
export const PROGRAMME_MODE_LABELS: Readonly<Record<ProgrammeMode, string>> = {
  simple: 'Simple continuous',
  flex: 'Flex (timed steps)',
};

/** SynchroMed II allows up to 13 dose changes per day [MDT-FLEX]. */
export const MAX_FLEX_STEPS = 13;
export const MINUTES_PER_DAY = 1440;
export const WEEKDAY_LABELS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface FlexStep {
  /** HH:MM, the local time the rate starts (00:00–23:59). */
  readonly start: string;
  /**
   * HH:MM; earlier than start when the step runs past midnight. Equal to start only for a single
   * 24 h step. 24:00 is midnight at the end of the day, as clinicians write it (00:00-24:00 is a
   * whole day); it is kept as typed and joins a step starting at 00:00.
   */
  readonly end: string;
  readonly rateMcgPerHour: number;
}

export interface FlexSchedule {
  /** ISO weekdays this schedule runs on: 1 Monday … 7 Sunday. */
  readonly weekdays: readonly number[];
  readonly steps: readonly FlexStep[];
}

export interface BolusSettings {
  readonly doseMcg: number;
  readonly maxPerDay: number;
  readonly lockoutMinutes: number;
}

export interface DoseProgramme {
  readonly mode: ProgrammeMode;
  /** Simple mode only; null in flex. */
  readonly doseMcgPerDay: number | null;
  /** Flex mode only; empty in simple. */
  readonly schedules: readonly FlexSchedule[];
  readonly bolus: BolusSettings | null;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** A step's end: any time of day, or 24:00 (midnight at the end of the day). */
const END_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes after midnight; 24:00 is 1440, the end of the day. */
export function minutesOfDay(time: string): number {
  const m = END_TIME.exec(time);
  if (!m) {
    throw new RangeError(`not a time of day: ${time}`);
  }
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** Minutes a step runs: past midnight when the end is earlier, 24 h when end equals start. */
export function stepMinutes(step: FlexStep): number {
  const span = minutesOfDay(step.end) - minutesOfDay(step.start);
  return span > 0 ? span : span + MINUTES_PER_DAY;
}

/** Whether one step's end meets the next step's start: 24:00 meets 00:00. */
function joins(end: string, start: string): boolean {
  return minutesOfDay(end) % MINUTES_PER_DAY === minutesOfDay(start);
}

/** Sum of rate × hours over the steps: the schedule's 24 h total (worked example 15). */
export function scheduleDoseMcg(schedule: FlexSchedule): number {
  return schedule.steps.reduce((sum, s) => sum + (s.rateMcgPerHour * stepMinutes(s)) / 60, 0);
}

/** The programme's continuous daily dose; for flex, the largest of its weekdays' totals. */
export function continuousDoseMcgPerDay(programme: DoseProgramme): number {
  if (programme.mode === 'simple') {
    return programme.doseMcgPerDay ?? 0;
  }
  return Math.max(0, ...programme.schedules.map(scheduleDoseMcg));
}

/** Daily dose for each weekday (index 0 Monday), boluses not included. */
export function doseByWeekday(programme: DoseProgramme): number[] {
  return [1, 2, 3, 4, 5, 6, 7].map((day) => {
    if (programme.mode === 'simple') {
      return programme.doseMcgPerDay ?? 0;
    }
    const schedule = programme.schedules.find((s) => s.weekdays.includes(day));
    return schedule ? scheduleDoseMcg(schedule) : 0;
  });
}

/** The most the pump can give in a day: the largest continuous total plus every permitted bolus. */
export function planningDoseMcgPerDay(programme: DoseProgramme): number {
  const bolus = programme.bolus ? programme.bolus.doseMcg * programme.bolus.maxPerDay : 0;
  return continuousDoseMcgPerDay(programme) + bolus;
}

/** Parses the CLI's "HH:MM-HH:MM=RATE" (rate in mcg/h); the end may be 24:00, the start never. */
export function parseStep(text: string): FlexStep | null {
  const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})=(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m || !TIME.test(m[1] ?? '') || !END_TIME.test(m[2] ?? '')) {
    return null;
  }
  return { start: m[1] ?? '', end: m[2] ?? '', rateMcgPerHour: Number(m[3]) };
}

const stepSchema = z.object({
  start: z.string({ error: 'Enter the start time as HH:MM' }).regex(TIME, {
    error: 'Start must be a time from 00:00 to 23:59 (a step starting at midnight starts at 00:00)',
  }),
  end: z
    .string({ error: 'Enter the end time as HH:MM' })
    .regex(END_TIME, { error: 'End must be a time as HH:MM, from 00:00 to 24:00' }),
  rateMcgPerHour: z
    .number({ error: 'Rate must be a number of mcg per hour' })
    .positive({ error: 'Rate must be more than 0 mcg per hour' }),
});

export const doseProgrammeSchema = z.object({
  mode: z.enum(PROGRAMME_MODES, { error: 'Choose simple continuous or flex' }),
  doseMcgPerDay: z.number({ error: 'Daily dose must be a number of mcg' }).nullish().default(null),
  schedules: z
    .array(
      z.object({
        weekdays: z.array(z.number().int().min(1).max(7), {
          error: 'Weekdays must be numbers 1 (Monday) to 7',
        }),
        steps: z.array(stepSchema),
      }),
    )
    .default([]),
  bolus: z
    .object({
      doseMcg: z.number({ error: 'Bolus dose must be a number of mcg' }),
      maxPerDay: z
        .number({ error: 'Boluses per day must be a whole number' })
        .int({ error: 'Boluses per day must be a whole number' })
        .min(1, { error: 'Boluses per day must be 1 or more' })
        .max(24, { error: 'Boluses per day must be 24 or fewer' }),
      lockoutMinutes: z
        .number({ error: 'Lock-out must be a whole number of minutes' })
        .int({ error: 'Lock-out must be a whole number of minutes' })
        .min(0, { error: 'Lock-out must be 0 minutes or more' })
        .max(1440, { error: 'Lock-out must be 1440 minutes (24 h) or fewer' }),
    })
    .nullish()
    .default(null),
});

/** Steps sorted by start must join end to start all round the clock, covering exactly 24 h. */
function stepCoverageErrors(field: string, steps: readonly FlexStep[]): FieldError[] {
  if (steps.length === 0) {
    return [{ field, message: 'Add at least one step' }];
  }
  if (steps.length > MAX_FLEX_STEPS) {
    return [{ field, message: `A day can have at most ${MAX_FLEX_STEPS} steps` }];
  }
  // A step at 0 mcg/h stops the drug: abrupt withdrawal can kill (clinical-reference.md 8).
  const stopped = steps.find((s) => !(s.rateMcgPerHour > 0));
  if (stopped) {
    return [
      {
        field,
        message: `Every step needs a rate above 0 mcg per hour: the step from ${stopped.start} has none`,
      },
    ];
  }
  const sorted = [...steps].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
  const total = sorted.reduce((sum, s) => sum + stepMinutes(s), 0);
  for (let i = 0; i < sorted.length; i += 1) {
    const step = sorted[i];
    const next = sorted[(i + 1) % sorted.length];
    if (step && next && !joins(step.end, next.start)) {
      return [
        {
          field,
          message: `Steps must follow each other with no gap or overlap: the step from ${step.start} ends at ${step.end} but the next starts at ${next.start}`,
        },
      ];
    }
  }
  if (total !== MINUTES_PER_DAY) {
    return [{ field, message: 'Steps must cover the whole day, 24 hours, once' }];
  }
  return [];
}

/** Every rule on a programme, each error naming its field (schedules.0.steps, bolus.doseMcg …). */
export function programmeErrors(programme: DoseProgramme, ranges: HardLimits): FieldError[] {
  const errors: FieldError[] = [];
  if (programme.mode === 'simple') {
    errors.push(
      ...doseErrors('doseMcgPerDay', 'Daily dose', programme.doseMcgPerDay ?? Number.NaN, ranges, 'mcg/day'),
    );
  } else {
    if (programme.schedules.length === 0) {
      errors.push({ field: 'schedules', message: 'Add the flex steps' });
    }
    const seen = new Map<number, number>();
    programme.schedules.forEach((s, i) => {
      const coverage = stepCoverageErrors(`schedules.${i}.steps`, s.steps);
      errors.push(...coverage);
      for (const d of s.weekdays) {
        if (seen.has(d)) {
          errors.push({
            field: `schedules.${i}.weekdays`,
            message: `${WEEKDAY_LABELS[d - 1] ?? d} is in more than one schedule`,
          });
        }
        seen.set(d, i);
      }
      if (coverage.length === 0) {
        errors.push(
          ...doseErrors(
            `schedules.${i}.steps`,
            'The day’s total dose',
            scheduleDoseMcg(s),
            ranges,
            'mcg/day',
          ),
        );
      }
    });
    if (programme.schedules.length > 0 && seen.size !== 7) {
      const missing = [1, 2, 3, 4, 5, 6, 7].filter((d) => !seen.has(d)).map((d) => WEEKDAY_LABELS[d - 1]);
      errors.push({
        field: 'schedules',
        message: `Every weekday needs a schedule: missing ${missing.join(', ')}`,
      });
    }
  }
  if (programme.bolus) {
    errors.push(...doseErrors('bolus.doseMcg', 'Bolus dose', programme.bolus.doseMcg, ranges));
  }
  // The most the pump can give in a day, every bolus taken, is held to the same plausible range.
  if (errors.length === 0 && planningDoseMcgPerDay(programme) > ranges.maxDoseMcgPerDay) {
    errors.push({
      field: programme.bolus ? 'bolus.maxPerDay' : 'doseMcgPerDay',
      message: `With every bolus taken the pump could give ${round2(planningDoseMcgPerDay(programme))} mcg a day, more than ${ranges.maxDoseMcgPerDay} mcg: check the doses and their units`,
    });
  }
  return errors;
}

/** One line for summaries: "Simple continuous, 400 mcg/day; boluses 25 mcg, up to 3 a day, 120 min lock-out". */
export function describeProgramme(programme: DoseProgramme): string {
  const base =
    programme.mode === 'simple'
      ? `Simple continuous, ${round2(programme.doseMcgPerDay ?? 0)} mcg/day`
      : `Flex, ${programme.schedules.map((s) => s.steps.length).join(' and ')} steps, up to ${round2(continuousDoseMcgPerDay(programme))} mcg/day`;
  const b = programme.bolus;
  return b
    ? `${base}; boluses ${round2(b.doseMcg)} mcg, up to ${b.maxPerDay} a day, ${b.lockoutMinutes} min lock-out`
    : base;
}
