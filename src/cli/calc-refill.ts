import { loadConfig } from '../config.ts';
import { daysBetween } from '../domain/calendar-date.ts';
import { usualDoseWarning } from '../domain/dose-range.ts';
import type { FieldError } from '../domain/field-error.ts';
import { refillPlan, refillPlanErrors, round2 } from '../domain/refill-arithmetic.ts';
import { workingDayOnOrBefore } from '../domain/working-days.ts';
import { closedDaysBetween } from '../services/closed-days.ts';
import { deliverableErrors, pumpSettingErrors, stockedStrengthErrors } from './calc-limits.ts';
import { OptionReader, print, refuseFieldErrors, roundTo } from './calc-options.ts';
import { cliWarnings, warningLines } from './calc-warnings.ts';

export interface RefillOptions {
  readonly reservoirMl: string;
  readonly fillMl: string;
  readonly concentration: string;
  readonly dose: string;
  readonly alarmMl: string;
  readonly filledOn: string;
  readonly bufferDays?: string;
  readonly maxIntervalDays?: string;
  readonly json?: boolean;
}

/** F1, F3, F4 (worked examples 4 and 5), then the due date moved to a working day. */
export function calcRefillCommand(opts: RefillOptions): void {
  const config = loadConfig(process.env);
  const rules = config.pumpRules;
  const read = new OptionReader();
  const input = {
    reservoirMl: read.decimal('--reservoir-ml', opts.reservoirMl, 'the reservoir size in mL'),
    fillMl: read.decimal('--fill-ml', opts.fillMl, 'the volume in the reservoir after the fill in mL'),
    concentrationMcgPerMl: read.decimal('--concentration', opts.concentration, 'the strength in mcg/mL'),
    doseMcgPerDay: read.decimal('--dose', opts.dose, 'the daily dose in mcg/day'),
    alarmMl: read.decimal('--alarm-ml', opts.alarmMl, 'the low-reservoir alarm volume in mL'),
    filledOn: read.date('--filled-on', opts.filledOn),
    // Defaults from configuration: the local buffer [GIL-RF2], [SVHM] and stability cap [STAB180].
    bufferDays:
      opts.bufferDays === undefined
        ? rules.refillBufferDays
        : read.decimal('--buffer-days', opts.bufferDays, 'the buffer in days'),
    maxIntervalDays:
      opts.maxIntervalDays === undefined
        ? rules.stabilityDays
        : read.decimal('--max-interval-days', opts.maxIntervalDays, 'the longest interval in days'),
  };
  read.check();
  // The plan itself allows no alarm volume (worked example 3); a pump always has one, so the
  // command refuses 0 as a slip rather than plan a fill to the last drop (as `calc residual`).
  const settings = pumpSettingErrors(input);
  const errors: FieldError[] = [
    ...settings,
    ...refillPlanErrors(input, rules.hardLimits, { stabilityDays: rules.stabilityDays }).filter(
      (e) => !settings.some((s) => s.field === e.field),
    ),
  ];
  // As a pump prescription in the service: a strength the service stocks, then a daily volume
  // some pump model can deliver (the command names no model).
  const failed = (field: string) => errors.some((e) => e.field === field);
  if (!failed('concentrationMcgPerMl')) {
    errors.push(...stockedStrengthErrors(input.concentrationMcgPerMl, rules));
  }
  if (!failed('concentrationMcgPerMl') && !failed('doseMcgPerDay')) {
    errors.push(
      ...deliverableErrors('doseMcgPerDay', input.doseMcgPerDay, input.concentrationMcgPerMl, rules),
    );
  }
  refuseFieldErrors(errors);
  const dose = usualDoseWarning('doseMcgPerDay', 'Daily dose', input.doseMcgPerDay, rules.usualRange);
  const warnings = cliWarnings(dose ? [dose] : []);
  const plan = refillPlan(input);
  // The due date can move back across 1 January, so the year before is included.
  const dueYear = Number(plan.refillDueBy.slice(0, 4));
  const closed = closedDaysBetween(dueYear - 1, dueYear, config.closedDays);
  const refillDueByWorkingDay = workingDayOnOrBefore(plan.refillDueBy, closed);
  const result = {
    dailyVolumeMl: roundTo(plan.dailyVolumeMl, 4),
    daysToAlarm: round2(plan.daysToAlarm),
    alarmDate: plan.alarmDate,
    refillDueBy: plan.refillDueBy,
    refillDueByWorkingDay,
    limitedBy: plan.limitedBy,
    bufferDays: input.bufferDays,
    maxIntervalDays: input.maxIntervalDays,
    warnings,
  };
  // A fill whose alarm falls within the buffer is due on the fill day itself (refillPlan).
  const dueOnFillDay = plan.limitedBy === 'alarm' && plan.refillDueBy === input.filledOn;
  const limit =
    plan.limitedBy === 'stability'
      ? `the ${input.maxIntervalDays}-day stability limit`
      : dueOnFillDay && daysBetween(plan.refillDueBy, plan.alarmDate) < input.bufferDays
        ? `the fill day: the alarm falls within the ${input.bufferDays}-day buffer`
        : `${input.bufferDays} days before the alarm`;
  const moved =
    refillDueByWorkingDay === plan.refillDueBy
      ? ''
      : ` (a closed day: the working day before is ${refillDueByWorkingDay})`;
  print(
    opts.json,
    result,
    `Daily volume: ${result.dailyVolumeMl} mL/day\n` +
      `Days to the low-reservoir alarm: ${result.daysToAlarm} (alarm on ${plan.alarmDate})\n` +
      `Refill due by: ${plan.refillDueBy}, ${limit}${moved}\n` +
      warningLines(warnings),
  );
}
