import { startingDose, type StartingDose } from '../domain/dose-change.ts';
import type { FieldError } from '../domain/field-error.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import { preCheckBlockers } from '../domain/test-dose.ts';
import {
  bolusVolumeMl,
  earliestNextBolusAt,
  nextLadderDoseMcg,
  testBolusErrors,
} from '../domain/test-dose-bolus.ts';
import { testDoseSuggestion, type TestDoseSuggestion } from '../domain/test-dose-result.ts';
import type { Trx } from '../storage/database.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { findOverrideForEpisode, type TestDoseOverride } from '../storage/test-dose-overrides.repository.ts';
import {
  latestBolusGivenAt,
  listBolusesForEpisode,
  listObservationsForBoluses,
  type TestDoseBolus,
  type TestDoseObservation,
} from '../storage/test-dose-boluses.repository.ts';
import type { TestDoseEpisode } from '../storage/test-doses.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { loadPatient } from './patient-service.ts';
import type { TestDoseServiceDeps } from './test-dose-support.ts';

/**
 * The episode as the pages and the API read it: its boluses with their observations and the
 * suggestion as it stands, what the next bolus would be while it is open, the starting dose a
 * positive result gives, the override it started on, and the names of the people on it.
 */

export interface BolusDetail extends TestDoseBolus {
  /** Observations by hour. */
  readonly observations: readonly TestDoseObservation[];
  /** The suggestion from the observations as they stand (the result keeps the one confirmed against). */
  readonly suggestion: TestDoseSuggestion;
}

/** What the next bolus would be, for an open episode. */
export interface NextBolusPlan {
  /** The ladder's next rung, or null beyond the ladder. */
  readonly ladderDoseMcg: number | null;
  /** Its volume at the screening strength. */
  readonly ladderVolumeMl: number | null;
  /** The earliest time the patient may have another bolus (null: no bolus yet). */
  readonly earliestAt: string | null;
  /** Why a bolus cannot be recorded now: unanswered or failed pre-checks, an unconfirmed result. */
  readonly blockers: readonly FieldError[];
}

export interface EpisodeOutcome {
  readonly bolus: BolusDetail;
  readonly effectHours: number;
  readonly adverseReactions: boolean;
  /**
   * Twice the effective test dose a day, or the same when the effect lasted long or there were
   * adverse reactions; null when the test dose is above the largest allowed bolus (a record from
   * before that limit), which no starting dose may be worked out from.
   */
  readonly startingDose: StartingDose | null;
  /** Why there is no starting dose, when there is none. */
  readonly startingDoseRefused: string | null;
}

export interface EpisodeDetail {
  readonly episode: TestDoseEpisode;
  readonly patient: Patient;
  readonly boluses: readonly BolusDetail[];
  /** Null once the episode is closed (closed episodes are read-only). */
  readonly plan: NextBolusPlan | null;
  /** The positive result and the starting dose it suggests; null otherwise. */
  readonly outcome: EpisodeOutcome | null;
  /** The override it was started with, if any (test-dose-gate.ts). */
  readonly override: TestDoseOverride | null;
  /** Display names of the people named on the episode, by user id. */
  readonly names: Readonly<Record<string, string>>;
}

export interface EpisodeSummary {
  readonly episode: TestDoseEpisode;
  readonly boluses: readonly TestDoseBolus[];
}

function planFor(
  deps: TestDoseServiceDeps,
  episode: TestDoseEpisode,
  boluses: readonly BolusDetail[],
  latestGivenAt: string | null,
): NextBolusPlan {
  const rules = deps.config.pumpRules.testDose;
  const last = boluses.at(-1);
  const blockers = [...preCheckBlockers(episode.preChecks)];
  if (last && last.result === null) {
    blockers.push({
      field: 'result',
      message: `Confirm the result of bolus ${last.sequence} before another bolus is given`,
    });
  }
  const ladderDoseMcg = nextLadderDoseMcg(rules.ladderMcg, last?.doseMcg ?? null);
  return {
    ladderDoseMcg,
    ladderVolumeMl:
      ladderDoseMcg === null ? null : bolusVolumeMl(ladderDoseMcg, rules.screeningConcentrationMcgPerMl),
    earliestAt: latestGivenAt === null ? null : earliestNextBolusAt(latestGivenAt, rules),
    blockers,
  };
}

/**
 * The starting dose from a positive test dose (F5), refused for a test dose above the largest
 * allowed bolus: such a figure is never entered now, and an older record of one gives no
 * starting dose to prescribe from [LABEL-SUM].
 */
function startingDoseFor(
  testDoseMcg: number,
  effectHours: number,
  adverseReactions: boolean,
  rules: PumpRules,
): Pick<EpisodeOutcome, 'startingDose' | 'startingDoseRefused'> {
  const refused = testBolusErrors('doseMcg', 'The effective test dose', testDoseMcg, {
    hardLimits: rules.hardLimits,
    testDose: rules.testDose,
  });
  if (refused.length > 0) {
    return {
      startingDose: null,
      startingDoseRefused: `No starting dose can be worked out from this test dose: ${refused.map((e) => e.message).join('; ')}`,
    };
  }
  return {
    startingDose: startingDose({ testDoseMcg, effectHours, adverseReactions }, rules),
    startingDoseRefused: null,
  };
}

export async function loadDetail(
  trx: Trx,
  deps: TestDoseServiceDeps,
  episode: TestDoseEpisode,
): Promise<EpisodeDetail> {
  const rules = deps.config.pumpRules.testDose;
  const patient = await loadPatient(trx, episode.patientId);
  const boluses = await listBolusesForEpisode(trx, episode.id);
  const observations = await listObservationsForBoluses(
    trx,
    boluses.map((b) => b.id),
  );
  const details: BolusDetail[] = boluses.map((b) => {
    const obs = observations.filter((o) => o.bolusId === b.id);
    return { ...b, observations: obs, suggestion: testDoseSuggestion(obs, rules) };
  });
  const plan =
    episode.state === 'open'
      ? planFor(deps, episode, details, await latestBolusGivenAt(trx, episode.patientId))
      : null;
  const positive =
    episode.state === 'positive' ? details.find((b) => b.id === episode.outcomeBolusId) : undefined;
  const effectHours = positive?.result?.effectHours ?? null;
  const outcome: EpisodeOutcome | null =
    positive && effectHours !== null
      ? {
          bolus: positive,
          effectHours,
          adverseReactions: positive.result?.adverseReactions === true,
          ...startingDoseFor(
            positive.doseMcg,
            effectHours,
            positive.result?.adverseReactions === true,
            deps.config.pumpRules,
          ),
        }
      : null;
  const override = (await findOverrideForEpisode(trx, episode.id)) ?? null;
  const ids = [
    episode.createdBy,
    episode.updatedBy,
    ...(episode.closedBy ? [episode.closedBy] : []),
    ...boluses.flatMap((b) => [b.givenBy, ...(b.result ? [b.result.decidedBy] : [])]),
    ...observations.map((o) => o.recordedBy),
    ...(override ? [override.createdBy] : []),
  ];
  const names = Object.fromEntries(await displayNames(trx, ids));
  return { episode, patient, boluses: details, plan, outcome, override, names };
}
