import { loadConfig } from '../config.ts';
import { formatPlainDate } from '../domain/calendar-date.ts';
import { refillFindings } from '../domain/refill-findings.ts';
import { residualFromHistory, sameEveryDay } from '../domain/residual-history.ts';
import { pumpSettingErrors } from './calc-limits.ts';
import { OptionReader, optionFor, print, refuse } from './calc-options.ts';
import { cliWarnings, warningLines } from './calc-warnings.ts';

export interface ResidualOptions {
  readonly fillMl: string;
  readonly filledOn: string;
  readonly dailyVolumeMl: string;
  readonly on: string;
  readonly withdrawnMl: string;
  readonly reservoirMl: string;
  readonly alarmMl?: string;
  readonly expectedMl?: string;
  readonly json?: boolean;
}

/** The refill's field names in the findings as this command's options. */
const RESIDUAL_OPTION_FOR: Readonly<Record<string, string>> = {
  withdrawnMl: '--withdrawn-ml',
  performedOn: '--on',
  expectedResidualMl: '--expected-ml',
};

function rangeErrors(o: {
  fillMl: number;
  volumePerDay: number;
  withdrawnMl: number;
  reservoirMl: number;
  alarmMl: number | null;
  expectedMl: number | null;
  filledOn: string;
  on: string;
}): string[] {
  const errors: string[] = [];
  const within = (option: string, label: string, value: number | null) => {
    if (value !== null && value > o.reservoirMl) {
      errors.push(
        `${option}: ${label} (${String(value)} mL) must not be more than the reservoir holds (${String(o.reservoirMl)} mL)`,
      );
    }
  };
  // A reservoir no pump model has and an alarm volume of 0 are refused as `calc refill` does.
  errors.push(...pumpSettingErrors(o).map((e) => `${optionFor(e.field)}: ${e.message}`));
  if (o.reservoirMl <= 0) {
    errors.push('--reservoir-ml: Reservoir size must be a number of mL greater than 0');
  } else {
    within('--fill-ml', 'Volume in the reservoir after the fill', o.fillMl);
    within('--withdrawn-ml', 'Volume withdrawn', o.withdrawnMl);
    within('--expected-ml', "The programmer's expected residual", o.expectedMl);
  }
  if (o.fillMl <= 0) {
    errors.push('--fill-ml: Volume in the reservoir after the fill must be a number of mL greater than 0');
  }
  if (o.alarmMl !== null && o.alarmMl >= o.fillMl) {
    errors.push(
      `--alarm-ml: Low-reservoir alarm volume (${String(o.alarmMl)} mL) must be less than the volume after the fill (${String(o.fillMl)} mL)`,
    );
  }
  if (o.volumePerDay <= 0) {
    errors.push('--daily-volume-ml: Daily volume must be a number of mL greater than 0');
  }
  if (o.on < o.filledOn) {
    errors.push(
      `--on: the day the residual was withdrawn (${o.on}) must not be before the fill (${o.filledOn})`,
    );
  }
  return errors;
}

/**
 * F2 and F7 (worked examples 11 and 12) with the refill's findings: the residual expected at a
 * refill against what came out (more than the mL threshold or the percentage either way is
 * flagged), whether the pump ran dry before the refill (RAN_DRY, with the day), whether the
 * refill came on or after the alarm date (AFTER_ALARM, with --alarm-ml), and whether the
 * programmer's figure (--expected-ml) differs from the computed one (EXPECTED_RESIDUAL_MISMATCH).
 */
export function calcResidualCommand(opts: ResidualOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const fillMl = read.decimal('--fill-ml', opts.fillMl, 'the volume in the reservoir after the fill in mL');
  const filledOn = read.date('--filled-on', opts.filledOn);
  const volumePerDay = read.decimal('--daily-volume-ml', opts.dailyVolumeMl, 'the daily volume in mL/day');
  const on = read.date('--on', opts.on);
  const withdrawnMl = read.decimal('--withdrawn-ml', opts.withdrawnMl, 'the volume withdrawn in mL');
  const reservoirMl = read.decimal('--reservoir-ml', opts.reservoirMl, 'the reservoir size in mL');
  const alarmMl =
    opts.alarmMl === undefined
      ? null
      : read.decimal('--alarm-ml', opts.alarmMl, 'the low-reservoir alarm volume in mL');
  const expectedMl =
    opts.expectedMl === undefined
      ? null
      : read.decimal('--expected-ml', opts.expectedMl, "the programmer's expected residual in mL");
  read.check();
  const errors = rangeErrors({
    fillMl,
    volumePerDay,
    withdrawnMl,
    reservoirMl,
    alarmMl,
    expectedMl,
    filledOn,
    on,
  });
  if (errors.length > 0) {
    refuse(errors);
  }
  const fill = { fillMl, filledOn, alarmMl, segments: [sameEveryDay(filledOn, volumePerDay)] };
  const findings = refillFindings(
    { on, reservoirMl, withdrawnMl, programmerExpectedMl: expectedMl, fill },
    rules.discrepancy,
  );
  const history = residualFromHistory({ fillMl, filledOn, on, segments: fill.segments });
  const check = findings.check;
  const warnings = cliWarnings(findings.flags, (field) => RESIDUAL_OPTION_FOR[field]);
  const result = {
    elapsedDays: history.elapsedDays,
    // The volume physically left: never below 0 (a reservoir that ran dry holds nothing).
    expectedMl: findings.softwareExpectedMl,
    programmerExpectedMl: expectedMl,
    discrepancyMl: check.discrepancyMl,
    discrepancyPercent: check.discrepancyPercent,
    thresholdMl: check.thresholdMl,
    percentThreshold: rules.discrepancy.percentThreshold,
    ranDryOn: findings.ranDryOn,
    alarmOn: findings.alarmOn,
    flags: warnings,
    warnings,
    flagged: findings.flagged,
  };
  const percent = check.discrepancyPercent === null ? '' : ` (${String(check.discrepancyPercent)}%)`;
  const from = expectedMl === null ? 'expected' : "the programmer's expected";
  print(
    opts.json,
    result,
    `Expected residual: ${String(result.expectedMl)} mL after ${String(result.elapsedDays)} days\n` +
      (findings.ranDryOn ? `Ran dry on: ${formatPlainDate(findings.ranDryOn)}\n` : '') +
      (findings.alarmOn ? `Low-reservoir alarm date: ${formatPlainDate(findings.alarmOn)}\n` : '') +
      `Discrepancy (withdrawn − ${from}): ${String(check.discrepancyMl)} mL${percent}\n` +
      (findings.flagged
        ? `Flagged: review before the refill is signed\n${warningLines(warnings)}`
        : `Within ${String(check.thresholdMl)} mL and ${String(rules.discrepancy.percentThreshold)}%: not flagged\n`),
  );
}
