import { loadConfig } from '../config.ts';
import { doseChangeCheck, ORIGINS, PHASES, type Origin, type Phase } from '../domain/dose-change.ts';
import { doseErrors } from '../domain/refill-arithmetic.ts';
import { OptionReader, print, refuseFieldErrors } from './calc-options.ts';

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
