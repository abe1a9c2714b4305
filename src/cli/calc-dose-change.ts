import { loadConfig } from '../config.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import {
  beyondChangeFactor,
  changeLimit,
  doseChangeCheck,
  limitBasisText,
  ORIGINS,
  PHASES,
  type Origin,
  type Phase,
} from '../domain/dose-change.ts';
import { formatAmount, usualDoseWarning } from '../domain/dose-range.ts';
import { MAX_AGE_YEARS } from '../domain/patient.ts';
import { doseErrors } from '../domain/refill-arithmetic.ts';
import { OptionReader, print, refuse, refuseFieldErrors } from './calc-options.ts';
import { cliWarnings, warningLines } from './calc-warnings.ts';

export interface DoseChangeOptions {
  readonly current: string;
  readonly proposed: string;
  readonly origin: string;
  readonly phase: string;
  readonly age?: string;
  readonly json?: boolean;
}

/**
 * F6 (worked examples 8–10): a change against the dose 24 h before and its limit, held also to
 * the paediatric limit when `--age` is under 18 and to +20 % from 500 mcg/day up [CMSC]. More
 * than ten times or under a tenth is refused (exit 2) as a slip.
 */
export function calcDoseChangeCommand(opts: DoseChangeOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const currentMcgPerDay = read.decimal('--current', opts.current, 'the current daily dose in mcg/day');
  const proposedMcgPerDay = read.decimal('--proposed', opts.proposed, 'the proposed daily dose in mcg/day');
  const origin: Origin = read.oneOf('--origin', opts.origin, ORIGINS);
  const phase: Phase = read.oneOf('--phase', opts.phase, PHASES);
  const age = opts.age === undefined ? null : read.decimal('--age', opts.age, "the patient's age in years");
  read.check();
  if (age !== null && age > MAX_AGE_YEARS) {
    refuse([`--age: must be ${MAX_AGE_YEARS} years or less, not ${age}`]);
  }
  refuseFieldErrors([
    ...doseErrors('currentMcgPerDay', 'Current daily dose', currentMcgPerDay, rules.hardLimits, 'mcg/day'),
    ...doseErrors('proposedMcgPerDay', 'Proposed daily dose', proposedMcgPerDay, rules.hardLimits, 'mcg/day'),
  ]);
  const factor = rules.titration.maxChangeFactor;
  if (beyondChangeFactor(currentMcgPerDay, proposedMcgPerDay, rules.titration)) {
    refuse([
      `--proposed: ${formatAmount(proposedMcgPerDay)} mcg/day is more than ${factor} times or less than a tenth of the current ${formatAmount(currentMcgPerDay)} mcg/day: check the dose and its unit; a reason cannot override this`,
    ]);
  }
  const child = age !== null && age < rules.childUnderYears;
  const input = { currentMcgPerDay, proposedMcgPerDay, origin, phase, child };
  const check = doseChangeCheck(input, rules.titration);
  const { basis } = changeLimit({ ...input, rising: check.changePercent >= 0 }, rules.titration);
  const limitText =
    basis === 'phase' ? `for ${origin} origin in ${phase}` : limitBasisText(basis, phase, origin, rules);
  const found: ClinicalWarning[] = [
    usualDoseWarning('currentMcgPerDay', 'Current daily dose', currentMcgPerDay, rules.usualRange),
    usualDoseWarning('proposedMcgPerDay', 'Proposed daily dose', proposedMcgPerDay, rules.usualRange),
  ].filter((w): w is ClinicalWarning => w !== null);
  if (!check.withinLimit) {
    found.push({
      code: 'DOSE_CHANGE_BEYOND_LIMIT',
      field: 'proposedMcgPerDay',
      message: `The daily dose changes by ${check.changePercent}% against the dose 24 hours ago, beyond the ${check.limitPercent}% limit ${limitText}`,
    });
  }
  const warnings = cliWarnings(found);
  print(
    opts.json,
    { ...check, warnings },
    `Change: ${check.changePercent}% (limit ${check.limitPercent}% ${limitText}): ` +
      `${check.withinLimit ? 'within the limit' : 'beyond the limit; needs a written reason'}\n` +
      warningLines(warnings),
  );
}
