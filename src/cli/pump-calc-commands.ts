import type { Command } from 'commander';
import { calcDailyDoseCommand } from './calc-daily-dose.ts';
import { calcDoseChangeCommand } from './calc-dose-change.ts';
import { calcRefillCommand } from './calc-refill.ts';
import { calcResidualCommand } from './calc-residual.ts';
import { calcStartDoseCommand } from './calc-start-dose.ts';

/**
 * `itb calc refill|residual|start-dose|dose-change|daily-dose`: the pump arithmetic of
 * docs/clinical-reference.md (F1–F7, worked examples 4–15) from the same pure functions the
 * pages, the API and the worklist use, with the clinical numbers from configuration
 * (config.pumpRules). None needs a database. Bad input is refused on standard error, each line
 * naming the option; one command per file (calc-*.ts).
 */

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
    .requiredOption('--reservoir-ml <mL>', 'the reservoir size, mL: one a pump model has (20 or 40)')
    .requiredOption('--fill-ml <mL>', 'the volume in the reservoir after the fill, mL')
    .requiredOption(
      '--concentration <mcg/mL>',
      'the strength, mcg/mL: one the service stocks (CONCENTRATIONS_STOCKED_MCG_PER_ML, 500, 1000 or 2000 by default)',
    )
    .requiredOption(
      '--dose <mcg/day>',
      'the largest daily dose the programme allows, boluses included: 1 to 3000, at a daily volume some pump model ' +
        'can deliver; outside the usual 12–2000 a warning',
    )
    .requiredOption('--alarm-ml <mL>', "the pump's low-reservoir alarm volume, mL, more than 0")
    .requiredOption('--filled-on <YYYY-MM-DD>', 'the day of the fill')
    .option(
      '--buffer-days <days>',
      'days before the alarm date the refill is due (default REFILL_BUFFER_DAYS or 7)',
    )
    .option(
      '--max-interval-days <days>',
      'the longest a fill may stay in the pump, at most the stability limit (default REFILL_MAX_INTERVAL_DAYS or 180)',
    )
    .option(
      '--json',
      'print {"dailyVolumeMl" (4 decimals), "daysToAlarm" (2 decimals), "alarmDate", "refillDueBy", ' +
        '"refillDueByWorkingDay", "limitedBy" (alarm or stability), "bufferDays", "maxIntervalDays", ' +
        '"warnings" ([{code, message, field, didYouMean}], [] when none)} as JSON',
    )
    .action(calcRefillCommand);
  calc
    .command('residual')
    .description(
      'the residual volume expected at a refill against the volume withdrawn (F2, F7), and what the ' +
        'refill finds: RAN_DRY (the fill ran out before the refill, with the day), AFTER_ALARM (with ' +
        '--alarm-ml), RESIDUAL_DISCREPANCY (more than the mL threshold or DISCREPANCY_PCT either way) and ' +
        'EXPECTED_RESIDUAL_MISMATCH (with --expected-ml); any of them is flagged for review',
    )
    .requiredOption('--fill-ml <mL>', 'the volume in the reservoir after the last fill, mL')
    .requiredOption('--filled-on <YYYY-MM-DD>', 'the day of the last fill')
    .requiredOption('--daily-volume-ml <mL/day>', 'the daily volume the pump delivers, mL/day')
    .requiredOption('--on <YYYY-MM-DD>', 'the day the residual was withdrawn')
    .requiredOption('--withdrawn-ml <mL>', 'the volume withdrawn, mL')
    .requiredOption(
      '--reservoir-ml <mL>',
      'the reservoir size, mL: one a pump model has (20 or 40); sets the discrepancy threshold',
    )
    .option(
      '--alarm-ml <mL>',
      'the low-reservoir alarm volume set at the fill, more than 0: AFTER_ALARM when --on is on or after its date',
    )
    .option(
      '--expected-ml <mL>',
      "the programmer's expected residual as read: the discrepancy is measured from it, and more than the threshold from the computed figure is EXPECTED_RESIDUAL_MISMATCH",
    )
    .option(
      '--json',
      'print {"elapsedDays", "expectedMl" (never below 0), "programmerExpectedMl", "discrepancyMl" ' +
        '(withdrawn − expected), "discrepancyPercent" (null when nothing was expected), "thresholdMl", ' +
        '"percentThreshold", "ranDryOn" (or null), "alarmOn" (or null), "flags" and "warnings" ([{code, message, field}], ' +
        'field the option when one applies), ' +
        '"flagged"} as JSON (2 decimals)',
    )
    .action(calcResidualCommand);
  calc
    .command('start-dose')
    .description('the starting daily dose after implant from the effective test dose (F5)')
    .requiredOption(
      '--test-dose <mcg>',
      'the effective test dose, mcg: at most the top of the ladder (100 by default)',
    )
    .requiredOption('--effect-hours <hours>', 'how long its effect lasted, more than 0 and at most 48 hours')
    .option('--adverse-reactions', 'the test dose caused adverse reactions (start on the test dose itself)')
    .option(
      '--json',
      'print {"dailyDoseMcg", "rule" (double or same), "hourlyRateMcg" (2 decimals), "warnings" ' +
        '([{code, message, field}], [] when none)} as JSON',
    )
    .action(calcStartDoseCommand);
  calc
    .command('dose-change')
    .description(
      'a daily dose change against the limit for 24 hours (F6), held also to +15% for a child and ' +
        '+20% from 500 mcg/day; more than 10 times or under a tenth is refused',
    )
    .requiredOption('--current <mcg/day>', 'the daily dose 24 hours before')
    .requiredOption('--proposed <mcg/day>', 'the proposed daily dose')
    .requiredOption('--origin <origin>', 'spinal or cerebral')
    .requiredOption('--phase <phase>', 'titration or maintenance')
    .option(
      '--age <years>',
      "the patient's age on the day of the change; under 18 takes the paediatric limit",
    )
    .option(
      '--json',
      'print {"changePercent", "limitPercent", "withinLimit", "warnings" ([{code, message, field, didYouMean}], ' +
        '[] when none)} as JSON',
    )
    .action(calcDoseChangeCommand);
  calc
    .command('daily-dose')
    .description('the daily dose and volume of a flex programme: the sum of rate × hours over its steps')
    .requiredOption('--concentration <mcg/mL>', 'the strength, mcg/mL: one the service stocks')
    .option(
      '--step <HH:MM-HH:MM=MCG_PER_H>',
      'a step and its rate in mcg/h (repeat; the steps must cover 24 hours with no gap or overlap, at most ' +
        '13; a step may end at 24:00, as in 00:00-24:00=12.5)',
      collect,
      [],
    )
    .option('--bolus-mcg <mcg>', 'the patient-activated bolus dose, mcg (with the two options below)')
    .option('--boluses-per-day <n>', 'the most boluses the pump allows a day, a whole number from 1 to 24')
    .option('--lockout-minutes <min>', 'the lock-out between boluses, whole minutes from 0 to 1440')
    .option(
      '--json',
      'print {"dailyDoseMcg" (2 decimals), "dailyVolumeMl" (4 decimals), "steps", "bolus" ' +
        '({doseMcg, maxPerDay, lockoutMinutes, withEveryBolusMcgPerDay}, null when none), "warnings" ' +
        '([{code, message, field, didYouMean}], [] when none)} as JSON',
    )
    .action(calcDailyDoseCommand);
}
