import { loadConfig } from '../config.ts';
import { daysBetween } from '../domain/calendar-date.ts';
import { expectedResidualMl, residualCheck } from '../domain/refill-arithmetic.ts';
import { OptionReader, print, refuse } from './calc-options.ts';

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
