import {
  episodeStateAfterResult,
  testDoseSuggestion,
  validateResultInput,
} from '../domain/test-dose-result.ts';
import {
  listBolusesForEpisode,
  listObservationsForBoluses,
  setBolusResultOnce,
} from '../storage/test-dose-boluses.repository.ts';
import { refused, validationError } from './app-error.ts';
import type { Actor } from './audit-service.ts';
import { dateIn } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { loadDetail, type EpisodeDetail } from './test-dose-detail.ts';
import {
  audit,
  loadBolus,
  loadEpisode,
  loadOpenEpisode,
  PRESCRIBERS_ONLY,
  saveEpisode,
  staleEpisode,
  type TestDoseServiceDeps,
} from './test-dose-support.ts';

/**
 * The clinician confirms a bolus's result. Positive closes the episode with the effective dose;
 * negative at the last rung closes it as not for implant [LABEL-SUM]; negative lower down
 * leaves it open for the next rung.
 */
export async function confirmResult(
  deps: TestDoseServiceDeps,
  actor: Actor,
  episodeId: string,
  bolusId: string,
  raw: unknown,
): Promise<EpisodeDetail> {
  requirePermission(actor, 'dose:prescribe', PRESCRIBERS_ONLY);
  const rules = deps.config.pumpRules.testDose;
  return deps.db.transaction().execute(async (trx) => {
    const episode = await loadOpenEpisode(trx, episodeId);
    const bolus = await loadBolus(trx, episode, bolusId);
    if (bolus.result !== null) {
      throw refused(
        'RESULT_ALREADY_CONFIRMED',
        `The result of bolus ${bolus.sequence} has already been confirmed`,
      );
    }
    // Every observation of the episode: "no adverse reactions" is checked against them all.
    const boluses = await listBolusesForEpisode(trx, episode.id);
    const episodeObservations = await listObservationsForBoluses(
      trx,
      boluses.map((b) => b.id),
    );
    const observations = episodeObservations.filter((o) => o.bolusId === bolus.id);
    const suggestion = testDoseSuggestion(observations, rules);
    const input = validateResultInput(raw, suggestion, {
      longEffectHours: deps.config.pumpRules.startDoseLongEffectHours,
      observed: episodeObservations.map((o) => ({
        sequence: boluses.find((b) => b.id === o.bolusId)?.sequence ?? 0,
        hour: o.hour,
        sideEffects: o.sideEffects,
      })),
    });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const v = input.value;
    const now = deps.clock.now();
    const decidedOn = dateIn(now, deps.config.timeZone);
    const written = await setBolusResultOnce(trx, bolus.id, {
      result: v.result,
      suggestion,
      reason: v.reason,
      effectHours: v.effectHours,
      adverseReactions: v.adverseReactions,
      adverseNote: v.adverseNote,
      note: v.note,
      decidedAt: now.toISOString(),
      decidedOn,
      decidedBy: actor.userId,
    });
    if (!written) {
      throw staleEpisode();
    }
    const state = episodeStateAfterResult(v.result, bolus.doseMcg, rules);
    await saveEpisode(
      trx,
      deps,
      actor,
      episode,
      state === 'open'
        ? {}
        : {
            state,
            outcomeBolusId: bolus.id,
            closedAt: now.toISOString(),
            closedOn: decidedOn,
            closedBy: actor.userId,
          },
    );
    await audit(trx, deps, actor, 'testdose.update', episode, {
      step: 'result',
      bolusId: bolus.id,
      result: v.result,
      suggested: suggestion.outcome,
      agreesWithSuggestion: v.result === suggestion.outcome,
      state,
    });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}
