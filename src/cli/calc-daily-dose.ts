import { loadConfig } from '../config.ts';
import {
  parseStep,
  planningDoseMcgPerDay,
  programmeErrors,
  scheduleDoseMcg,
  type BolusSettings,
  type DoseProgramme,
  type FlexStep,
} from '../domain/dose-programme.ts';
import { programmeWarnings } from '../domain/programme-limits.ts';
import { dailyVolumeMl, round2 } from '../domain/refill-arithmetic.ts';
import { deliverableErrors, stockedStrengthErrors } from './calc-limits.ts';
import { OptionReader, print, refuseFieldErrors, roundTo } from './calc-options.ts';
import { cliWarnings, warningLines } from './calc-warnings.ts';

export interface DailyDoseOptions {
  readonly concentration: string;
  readonly step?: readonly string[];
  readonly bolusMcg?: string;
  readonly bolusesPerDay?: string;
  readonly lockoutMinutes?: string;
  readonly json?: boolean;
}

/**
 * Sum of rate × hours over a flex day, then F1 (worked example 15) [MDT-FLEX]. A step may end at
 * 24:00 (00:00-24:00=12.5 is a whole day), never start there. The day's total outside the usual
 * range, or one step carrying more than the usual share of it, is reported in `warnings`. With
 * the patient's boluses (all three options, as a pump is programmed), the bolus warnings of a
 * prescription are reported too: a bolus over the usual share of the day, too many a day, a short
 * lock-out, or a day above the usual range with every bolus taken.
 */
export function calcDailyDoseCommand(opts: DailyDoseOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const concentrationMcgPerMl = read.decimal('--concentration', opts.concentration, 'the strength in mcg/mL');
  const steps: FlexStep[] = [];
  for (const text of opts.step ?? []) {
    const step = parseStep(text);
    if (/^\s*24:00-/.test(text)) {
      read.problems.push(
        `--step: a step cannot start at 24:00; a step starting at midnight starts at 00:00, not "${text}"`,
      );
    } else if (!step) {
      read.problems.push(
        `--step: give each step as HH:MM-HH:MM=MCG_PER_H, for example 22:00-06:00=20, not "${text}"`,
      );
    } else if (step.rateMcgPerHour <= 0) {
      // As the API's programme schema: a step's rate must be more than 0 mcg/h.
      read.problems.push(`--step: the rate must be more than 0 mcg per hour, not "${text}"`);
    } else {
      steps.push(step);
    }
  }
  const bolus = readBolus(read, opts);
  read.check();
  const programme: DoseProgramme = {
    mode: 'flex',
    schedules: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], steps }],
    doseMcgPerDay: null,
    bolus,
  };
  // As a pump prescription in the service: a strength the service stocks, then (below) a day's
  // volume some pump model can deliver, named as the steps that set the day's dose.
  refuseFieldErrors([
    ...stockedStrengthErrors(concentrationMcgPerMl, rules),
    ...programmeErrors(programme, rules.hardLimits),
  ]);
  const doseMcg = scheduleDoseMcg({ weekdays: [1, 2, 3, 4, 5, 6, 7], steps });
  refuseFieldErrors(deliverableErrors('schedules.0.steps', doseMcg, concentrationMcgPerMl, rules));
  const warnings = cliWarnings(programmeWarnings(programme, rules));
  const result = {
    dailyDoseMcg: round2(doseMcg),
    dailyVolumeMl: roundTo(dailyVolumeMl(doseMcg, concentrationMcgPerMl), 4),
    steps,
    bolus: bolus && { ...bolus, withEveryBolusMcgPerDay: round2(planningDoseMcgPerDay(programme)) },
    warnings,
  };
  print(
    opts.json,
    result,
    `Daily dose: ${result.dailyDoseMcg} mcg/day over ${steps.length} ${steps.length === 1 ? 'step' : 'steps'}\n` +
      `Daily volume: ${result.dailyVolumeMl} mL/day at ${concentrationMcgPerMl} mcg/mL\n` +
      (result.bolus
        ? `Boluses: ${round2(result.bolus.doseMcg)} mcg, up to ${result.bolus.maxPerDay} a day, ` +
          `${result.bolus.lockoutMinutes} min lock-out; with every bolus taken ` +
          `${result.bolus.withEveryBolusMcgPerDay} mcg/day\n`
        : '') +
      warningLines(warnings),
  );
}

/** The boluses as the pump is programmed: all three options or none, so none is guessed at. */
function readBolus(read: OptionReader, opts: DailyDoseOptions): BolusSettings | null {
  const { bolusMcg, bolusesPerDay, lockoutMinutes } = opts;
  if (bolusMcg === undefined && bolusesPerDay === undefined && lockoutMinutes === undefined) {
    return null;
  }
  const missing = (option: string): number => {
    read.problems.push(
      `${option}: give --bolus-mcg, --boluses-per-day and --lockout-minutes together, as the pump is programmed`,
    );
    return Number.NaN;
  };
  return {
    doseMcg:
      bolusMcg === undefined
        ? missing('--bolus-mcg')
        : read.decimal('--bolus-mcg', bolusMcg, 'the bolus dose in mcg'),
    maxPerDay:
      bolusesPerDay === undefined
        ? missing('--boluses-per-day')
        : read.wholeNumber('--boluses-per-day', bolusesPerDay, 'the boluses a day', 1, 24),
    lockoutMinutes:
      lockoutMinutes === undefined
        ? missing('--lockout-minutes')
        : read.wholeNumber('--lockout-minutes', lockoutMinutes, 'the lock-out in minutes', 0, 1440),
  };
}
