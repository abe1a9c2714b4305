import { formatTScore, GAS_RHO, gasTScore, type WeightedScore } from '../domain/gas.ts';
import { CliError } from './commands.ts';

/** One `--goal WEIGHT:SCORE`: weight 1–9 (importance × difficulty), score −2 to +2 [GAS]. */
function parseGoal(text: string): WeightedScore {
  const m = /^\s*(\d+)\s*:\s*([+\-\u2212]?\d+)\s*$/.exec(text);
  if (!m) {
    throw new CliError(`--goal: give each goal as WEIGHT:SCORE, for example 2:1 or 1:-1, not "${text}"`, 2);
  }
  const weight = Number(m[1]);
  const score = Number((m[2] ?? '').replace('\u2212', '-'));
  if (weight < 1 || weight > 9) {
    throw new CliError(
      `--goal: the weight must be a whole number from 1 to 9 (importance 0–3 × difficulty 0–3), not ${m[1] ?? ''} in "${text}"`,
      2,
    );
  }
  if (score < -2 || score > 2) {
    throw new CliError(
      `--goal: the score must be a whole number from -2 to +2, not ${m[2] ?? ''} in "${text}"`,
      2,
    );
  }
  return { weight, score };
}

/**
 * `itb calc gas`: the GAS T-score of weighted goal scores, from the same pure function the
 * service uses (Turner-Stokes 2009, ρ = 0.3 [GAS]). Needs no database.
 */
export function calcGasCommand(opts: { goal?: readonly string[]; json?: boolean }): void {
  const goals = (opts.goal ?? []).map(parseGoal);
  if (goals.length === 0) {
    throw new CliError(
      '--goal: give at least one goal as WEIGHT:SCORE, for example --goal 2:1 --goal 1:2',
      2,
    );
  }
  const t = formatTScore(gasTScore(goals));
  // Written by hand so the score keeps two decimals ("50.00"), still a JSON number. `warnings` as
  // in every `itb calc … --json`: a goal score has no usual range to leave, so it is always empty.
  process.stdout.write(
    opts.json
      ? `{"tScore": ${t}, "warnings": []}\n`
      : `GAS T-score: ${t} (${goals.length} ${goals.length === 1 ? 'goal' : 'goals'}, rho ${GAS_RHO})\n`,
  );
}
