import { loadConfig } from '../config.ts';
import { startingDose } from '../domain/dose-change.ts';
import { doseErrors, round2 } from '../domain/refill-arithmetic.ts';
import { OptionReader, print, refuseFieldErrors } from './calc-options.ts';

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
