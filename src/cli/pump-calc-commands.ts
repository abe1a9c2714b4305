import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { daysBetween, parsePlainDate, type PlainDate } from '../domain/calendar-date.ts';
import {
  doseChangeCheck,
  ORIGINS,
  PHASES,
  startingDose,
  type Origin,
  type Phase,
} from '../domain/dose-change.ts';
import {
  parseStep,
  programmeErrors,
  scheduleDoseMcg,
  type DoseProgramme,
  type FlexStep,
} from '../domain/dose-programme.ts';
import type { FieldError } from '../domain/field-error.ts';
import {
  concentrationErrors,
  dailyVolumeMl,
  doseErrors,
  expectedResidualMl,
  refillPlan,
  refillPlanErrors,
  residualCheck,
  round2,
} from '../domain/refill-arithmetic.ts';
import { workingDayOnOrBefore } from '../domain/refill-worklist.ts';
import { closedDaysBetween } from '../services/closed-days.ts';
import { CliError } from './commands.ts';

/**
 * `itb calc refill|residual|start-dose|dose-change|daily-dose`: the pump arithmetic of
 * clinical-reference.md (F1–F7, worked examples 4–15) from the same pure functions the pages,
 * the API and the worklist use, with the clinical numbers from configuration (config.pumpRules).
 * None needs a database. Bad input is refused on standard error, each line naming the option.
 */

/** Exit code for input the person must correct, as `calc target` and `calc gas` use. */
const BAD_INPUT = 2;

/** Domain field names as the options a person typed, so every message names one. */
const OPTION_FOR: Readonly<Record<string, string>> = {
  reservoirMl: '--reservoir-ml',
  fillMl: '--fill-ml',
  concentrationMcgPerMl: '--concentration',
  doseMcgPerDay: '--dose',
  alarmMl: '--alarm-ml',
  filledOn: '--filled-on',
  bufferDays: '--buffer-days',
  maxIntervalDays: '--max-interval-days',
  testDoseMcg: '--test-dose',
  effectHours: '--effect-hours',
  currentMcgPerDay: '--current',
  proposedMcgPerDay: '--proposed',
};

function optionFor(field: string): string {
  // programmeErrors names schedules.0.steps, schedules …: the CLI builds them all from --step.
  return field.startsWith('schedules') ? '--step' : (OPTION_FOR[field] ?? field);
}

function refuse(lines: readonly string[]): never {
  throw new CliError(lines.join('\n'), BAD_INPUT);
}

function refuseFieldErrors(errors: readonly FieldError[]): void {
  if (errors.length > 0) {
    refuse(errors.map((e) => `${optionFor(e.field)}: ${e.message}`));
  }
}

/**
 * Reads the options in one pass so a person sees every badly typed value at once. Numbers are
 * plain decimals only ("20", "0.25"): Number() would take "", "1e3" or "0x10", and a unit typed
 * after the number ("2mg") must be refused, not guessed at (hazard H-019, unit confusion).
 */
class OptionReader {
  readonly problems: string[] = [];

  decimal(option: string, raw: string, what: string): number {
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) {
      this.problems.push(
        `${option}: give ${what} as a plain number such as 20 or 0.25, with no unit, not "${raw}"`,
      );
      return Number.NaN;
    }
    return Number(raw.trim());
  }

  date(option: string, raw: string): PlainDate {
    const date = parsePlainDate(raw);
    if (!date) {
      this.problems.push(`${option}: must be a real date as YYYY-MM-DD, not "${raw}"`);
      return '' as PlainDate;
    }
    return date;
  }

  oneOf<T extends string>(option: string, raw: string, allowed: readonly T[]): T {
    const found = allowed.find((a) => a === raw.trim());
    if (found === undefined) {
      this.problems.push(`${option}: must be ${allowed.join(' or ')}, not "${raw}"`);
      return allowed[0] as T;
    }
    return found;
  }

  /** Stops here when anything could not be read, before the range checks run on NaN. */
  check(): void {
    if (this.problems.length > 0) {
      refuse(this.problems);
    }
  }
}

function roundTo(x: number, places: number): number {
  const f = 10 ** places;
  return Math.round((x + Number.EPSILON * Math.sign(x)) * f) / f;
}

function print(json: boolean | undefined, data: object, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data)}\n` : text);
}

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
  refuseFieldErrors(refillPlanErrors(input, rules.hardLimits));
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
  };
  const limit =
    plan.limitedBy === 'alarm'
      ? `${input.bufferDays} days before the alarm`
      : `the ${input.maxIntervalDays}-day stability limit`;
  const moved =
    refillDueByWorkingDay === plan.refillDueBy
      ? ''
      : ` (a closed day: the working day before is ${refillDueByWorkingDay})`;
  print(
    opts.json,
    result,
    `Daily volume: ${result.dailyVolumeMl} mL/day\n` +
      `Days to the low-reservoir alarm: ${result.daysToAlarm} (alarm on ${plan.alarmDate})\n` +
      `Refill due by: ${plan.refillDueBy}, ${limit}${moved}\n`,
  );
}

export interface ResidualOptions {
  readonly fillMl: string;
  readonly filledOn: string;
  readonly dailyVolumeMl: string;
  readonly on: string;
  readonly withdrawnMl: string;
  readonly reservoirMl: string;
  readonly json?: boolean;
}

/** F2 and F7 (worked examples 11 and 12): the residual expected at a refill against what came out. */
export function calcResidualCommand(opts: ResidualOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const fillMl = read.decimal('--fill-ml', opts.fillMl, 'the volume in the reservoir after the fill in mL');
  const filledOn = read.date('--filled-on', opts.filledOn);
  const volumePerDay = read.decimal('--daily-volume-ml', opts.dailyVolumeMl, 'the daily volume in mL/day');
  const on = read.date('--on', opts.on);
  const withdrawnMl = read.decimal('--withdrawn-ml', opts.withdrawnMl, 'the volume withdrawn in mL');
  const reservoirMl = read.decimal('--reservoir-ml', opts.reservoirMl, 'the reservoir size in mL');
  read.check();
  const errors: string[] = [];
  if (reservoirMl <= 0) {
    errors.push('--reservoir-ml: Reservoir size must be a number of mL greater than 0');
  } else {
    if (fillMl > reservoirMl) {
      errors.push(
        `--fill-ml: Volume in the reservoir after the fill (${fillMl} mL) must not be more than the reservoir holds (${reservoirMl} mL)`,
      );
    }
    if (withdrawnMl > reservoirMl) {
      errors.push(
        `--withdrawn-ml: Volume withdrawn (${withdrawnMl} mL) must not be more than the reservoir holds (${reservoirMl} mL)`,
      );
    }
  }
  if (volumePerDay <= 0) {
    errors.push('--daily-volume-ml: Daily volume must be a number of mL greater than 0');
  }
  if (on < filledOn) {
    errors.push(`--on: the day the residual was withdrawn (${on}) must not be before the fill (${filledOn})`);
  }
  if (errors.length > 0) {
    refuse(errors);
  }
  const expectedMl = expectedResidualMl({ fillMl, filledOn, dailyVolumeMl: volumePerDay, on });
  const check = residualCheck({ expectedMl, withdrawnMl, reservoirMl }, rules.discrepancy);
  const result = {
    elapsedDays: daysBetween(filledOn, on),
    expectedMl: check.expectedMl,
    discrepancyMl: check.discrepancyMl,
    discrepancyPercent: check.discrepancyPercent,
    thresholdMl: check.thresholdMl,
    flagged: check.flagged,
  };
  const percent = check.discrepancyPercent === null ? '' : ` (${check.discrepancyPercent}%)`;
  print(
    opts.json,
    result,
    `Expected residual: ${check.expectedMl} mL after ${result.elapsedDays} days\n` +
      `Discrepancy (withdrawn − expected): ${check.discrepancyMl} mL${percent}\n` +
      (check.flagged
        ? `Flagged: more than ${check.thresholdMl} mL either way; review before the refill is signed\n`
        : `Within ${check.thresholdMl} mL: not flagged\n`),
  );
}

export interface StartDoseOptions {
  readonly testDose: string;
  readonly effectHours: string;
  readonly adverseReactions?: boolean;
  readonly json?: boolean;
}

/** F5 (worked example 7): the starting daily dose after implant, and its hourly rate [CHEO]. */
export function calcStartDoseCommand(opts: StartDoseOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const testDoseMcg = read.decimal('--test-dose', opts.testDose, 'the effective test dose in mcg');
  const effectHours = read.decimal('--effect-hours', opts.effectHours, 'how long the effect lasted in hours');
  read.check();
  const errors = doseErrors('testDoseMcg', 'Test dose', testDoseMcg, rules.hardLimits);
  if (effectHours > 48) {
    errors.push({
      field: 'effectHours',
      message: `The effect must have lasted from 0 to 48 hours, not ${effectHours}`,
    });
  }
  refuseFieldErrors(errors);
  const start = startingDose(
    { testDoseMcg, effectHours, adverseReactions: opts.adverseReactions === true },
    rules.startDoseLongEffectHours,
  );
  const result = {
    dailyDoseMcg: start.dailyDoseMcg,
    rule: start.rule,
    hourlyRateMcg: round2(start.dailyDoseMcg / 24),
  };
  const why =
    start.rule === 'double'
      ? 'twice the test dose'
      : opts.adverseReactions === true
        ? 'the test dose itself, after adverse reactions'
        : `the test dose itself, the effect lasted more than ${rules.startDoseLongEffectHours} hours`;
  print(
    opts.json,
    result,
    `Starting dose: ${result.dailyDoseMcg} mcg/day (${why}), ${result.hourlyRateMcg} mcg/h\n`,
  );
}

export interface DoseChangeOptions {
  readonly current: string;
  readonly proposed: string;
  readonly origin: string;
  readonly phase: string;
  readonly json?: boolean;
}

/** F6 (worked examples 8–10): a change against the dose 24 h before and its limit. */
export function calcDoseChangeCommand(opts: DoseChangeOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const currentMcgPerDay = read.decimal('--current', opts.current, 'the current daily dose in mcg/day');
  const proposedMcgPerDay = read.decimal('--proposed', opts.proposed, 'the proposed daily dose in mcg/day');
  const origin: Origin = read.oneOf('--origin', opts.origin, ORIGINS);
  const phase: Phase = read.oneOf('--phase', opts.phase, PHASES);
  read.check();
  refuseFieldErrors([
    ...doseErrors('currentMcgPerDay', 'Current daily dose', currentMcgPerDay, rules.hardLimits),
    ...doseErrors('proposedMcgPerDay', 'Proposed daily dose', proposedMcgPerDay, rules.hardLimits),
  ]);
  const check = doseChangeCheck({ currentMcgPerDay, proposedMcgPerDay, origin, phase }, rules.titration);
  print(
    opts.json,
    check,
    `Change: ${check.changePercent}% (limit ${check.limitPercent}% for ${origin} origin in ${phase}): ` +
      `${check.withinLimit ? 'within the limit' : 'beyond the limit; needs a written reason'}\n`,
  );
}

export interface DailyDoseOptions {
  readonly concentration: string;
  readonly step?: readonly string[];
  readonly json?: boolean;
}

/** Sum of rate × hours over a flex day, then F1 (worked example 15) [MDT-FLEX]. */
export function calcDailyDoseCommand(opts: DailyDoseOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const concentrationMcgPerMl = read.decimal('--concentration', opts.concentration, 'the strength in mcg/mL');
  const steps: FlexStep[] = [];
  for (const text of opts.step ?? []) {
    const step = parseStep(text);
    if (!step) {
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
  read.check();
  const programme: DoseProgramme = {
    mode: 'flex',
    schedules: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], steps }],
    doseMcgPerDay: null,
    bolus: null,
  };
  refuseFieldErrors([
    ...concentrationErrors('concentrationMcgPerMl', concentrationMcgPerMl, rules.hardLimits),
    ...programmeErrors(programme, rules.hardLimits),
  ]);
  const doseMcg = scheduleDoseMcg({ weekdays: [1, 2, 3, 4, 5, 6, 7], steps });
  const result = {
    dailyDoseMcg: round2(doseMcg),
    dailyVolumeMl: roundTo(dailyVolumeMl(doseMcg, concentrationMcgPerMl), 4),
    steps,
  };
  print(
    opts.json,
    result,
    `Daily dose: ${result.dailyDoseMcg} mcg/day over ${steps.length} ${steps.length === 1 ? 'step' : 'steps'}\n` +
      `Daily volume: ${result.dailyVolumeMl} mL/day at ${concentrationMcgPerMl} mcg/mL\n`,
  );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds the five pump commands under `itb calc`. */
export function addPumpCalcCommands(calc: Command): void {
  calc
    .command('refill')
    .summary('the refill due date from the fill, dose, concentration and alarm volume')
    .description(
      'the refill due date: daily volume, days to the low-reservoir alarm, and the earlier of ' +
        '(alarm date − buffer) and (fill date + longest interval), moved to a working day ' +
        '(F1, F3, F4); daily volume is shown to 4 decimals and days to alarm to 2',
    )
    .requiredOption('--reservoir-ml <mL>', 'the reservoir size, mL')
    .requiredOption('--fill-ml <mL>', 'the volume in the reservoir after the fill, mL')
    .requiredOption('--concentration <mcg/mL>', 'the strength, mcg/mL')
    .requiredOption('--dose <mcg/day>', 'the largest daily dose the programme allows, boluses included')
    .requiredOption('--alarm-ml <mL>', "the pump's low-reservoir alarm volume, mL")
    .requiredOption('--filled-on <YYYY-MM-DD>', 'the day of the fill')
    .option(
      '--buffer-days <days>',
      'days before the alarm date the refill is due (default REFILL_BUFFER_DAYS or 7)',
    )
    .option(
      '--max-interval-days <days>',
      'the longest a fill may stay in the pump (default REFILL_MAX_INTERVAL_DAYS or 180)',
    )
    .option(
      '--json',
      'print {"dailyVolumeMl" (4 decimals), "daysToAlarm" (2 decimals), "alarmDate", "refillDueBy", ' +
        '"refillDueByWorkingDay", "limitedBy" (alarm or stability), "bufferDays", "maxIntervalDays"} as JSON',
    )
    .action(calcRefillCommand);
  calc
    .command('residual')
    .description('the residual volume expected at a refill against the volume withdrawn (F2, F7)')
    .requiredOption('--fill-ml <mL>', 'the volume in the reservoir after the last fill, mL')
    .requiredOption('--filled-on <YYYY-MM-DD>', 'the day of the last fill')
    .requiredOption('--daily-volume-ml <mL/day>', 'the daily volume the pump delivers, mL/day')
    .requiredOption('--on <YYYY-MM-DD>', 'the day the residual was withdrawn')
    .requiredOption('--withdrawn-ml <mL>', 'the volume withdrawn, mL')
    .requiredOption('--reservoir-ml <mL>', 'the reservoir size, mL (sets the discrepancy threshold)')
    .option(
      '--json',
      'print {"elapsedDays", "expectedMl", "discrepancyMl" (withdrawn − expected), "discrepancyPercent" ' +
        '(null when nothing was expected), "thresholdMl", "flagged"} as JSON (2 decimals)',
    )
    .action(calcResidualCommand);
  calc
    .command('start-dose')
    .description('the starting daily dose after implant from the effective test dose (F5)')
    .requiredOption('--test-dose <mcg>', 'the effective test dose, mcg')
    .requiredOption('--effect-hours <hours>', 'how long its effect lasted, 0 to 48 hours')
    .option('--adverse-reactions', 'the test dose caused adverse reactions (start on the test dose itself)')
    .option('--json', 'print {"dailyDoseMcg", "rule" (double or same), "hourlyRateMcg" (2 decimals)} as JSON')
    .action(calcStartDoseCommand);
  calc
    .command('dose-change')
    .description('a daily dose change against the limit for 24 hours (F6)')
    .requiredOption('--current <mcg/day>', 'the daily dose 24 hours before')
    .requiredOption('--proposed <mcg/day>', 'the proposed daily dose')
    .requiredOption('--origin <origin>', 'spinal or cerebral')
    .requiredOption('--phase <phase>', 'titration or maintenance')
    .option('--json', 'print {"changePercent", "limitPercent", "withinLimit"} as JSON')
    .action(calcDoseChangeCommand);
  calc
    .command('daily-dose')
    .description('the daily dose and volume of a flex programme: the sum of rate × hours over its steps')
    .requiredOption('--concentration <mcg/mL>', 'the strength, mcg/mL')
    .option(
      '--step <HH:MM-HH:MM=MCG_PER_H>',
      'a step and its rate in mcg/h (repeat; the steps must cover 24 hours with no gap or overlap, at most 13)',
      collect,
      [],
    )
    .option('--json', 'print {"dailyDoseMcg" (2 decimals), "dailyVolumeMl" (4 decimals), "steps"} as JSON')
    .action(calcDailyDoseCommand);
}
