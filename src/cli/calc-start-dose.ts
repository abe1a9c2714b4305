import { loadConfig } from '../config.ts';
import { startingDose } from '../domain/dose-change.ts';
import { round2 } from '../domain/refill-arithmetic.ts';
import { notOnLadderWarnings, testBolusErrors } from '../domain/test-dose-bolus.ts';
import { MAX_EFFECT_HOURS } from '../domain/test-dose-result.ts';
import { OptionReader, print, refuseFieldErrors } from './calc-options.ts';
import { cliWarnings } from './calc-warnings.ts';

export interface StartDoseOptions {
  readonly testDose: string;
  readonly effectHours: string;
  readonly adverseReactions?: boolean;
  readonly json?: boolean;
}

/**
 * F5 (worked example 7): the starting daily dose after implant, and its hourly rate [CHEO]. A
 * test dose above the ladder's top rung (100 mcg by default) is refused (hard limit, exit 2),
 * so the result is never more than twice it; one off the ladder (60 mcg) is worked out and
 * reported with a BOLUS_OFF_LADDER warning.
 */
export function calcStartDoseCommand(opts: StartDoseOptions): void {
  const rules = loadConfig(process.env).pumpRules;
  const read = new OptionReader();
  const testDoseMcg = read.decimal('--test-dose', opts.testDose, 'the effective test dose in mcg');
  const effectHours = read.decimal('--effect-hours', opts.effectHours, 'how long the effect lasted in hours');
  read.check();
  const errors = testBolusErrors('testDoseMcg', 'Test dose', testDoseMcg, rules);
  if (effectHours <= 0 || effectHours > MAX_EFFECT_HOURS) {
    errors.push({
      field: 'effectHours',
      message: `The effect must have lasted more than 0 and at most ${MAX_EFFECT_HOURS} hours, not ${effectHours}`,
    });
  }
  refuseFieldErrors(errors);
  const start = startingDose(
    { testDoseMcg, effectHours, adverseReactions: opts.adverseReactions === true },
    rules,
  );
  // The field is the option, --test-dose, as in every `itb calc` warning.
  const warnings = cliWarnings(notOnLadderWarnings(testDoseMcg, rules.testDose));
  const result = {
    dailyDoseMcg: start.dailyDoseMcg,
    rule: start.rule,
    hourlyRateMcg: round2(start.dailyDoseMcg / 24),
    warnings,
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
    `Starting dose: ${result.dailyDoseMcg} mcg/day (${why}), ${result.hourlyRateMcg} mcg/h\n` +
      warnings.map((w) => `Warning (${w.code}): ${w.message}\n`).join(''),
  );
}
