import { randomUUID } from 'node:crypto';
import { warningsForOutput } from '../domain/clinical-warning.ts';
import { preCheckBlockers } from '../domain/test-dose.ts';
import {
  bolusVolumeMl,
  nextLadderDoseMcg,
  offLadderWarnings,
  validateBolusInput,
} from '../domain/test-dose-bolus.ts';
import { validateObservationInput } from '../domain/test-dose-observation.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import {
  insertBolus,
  insertObservation,
  latestBolusGivenAt,
  listBolusesForEpisode,
  listObservationsForBoluses,
} from '../storage/test-dose-boluses.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { refused, validationError } from './app-error.ts';
import type { Actor } from './audit-service.ts';
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
 * The bedside steps of an open test-dose episode: each bolus (given by a prescriber, checked by
 * a second person) and the observations after it; the result the clinician confirms is in
 * test-dose-result-service.ts. Each loads, decides with the pure rules (domain/test-dose.ts) and
 * saves with its audit row in one transaction, so a refusal stores nothing.
 */

/**
 * Records a bolus given by the signed-in prescriber and checked by a second person. Refused,
 * with nothing stored, when a pre-check is unanswered or failed, the previous bolus has no
 * confirmed result, or the bolus breaks a rule in validateBolusInput (units, above the ladder's
 * top rung, future, 24 hours, off the ladder without a reason, no second checker or the giver
 * as their own checker). A dose off the ladder is kept with its reason and its warning.
 */
export async function recordBolus(
  deps: TestDoseServiceDeps,
  actor: Actor,
  episodeId: string,
  raw: unknown,
): Promise<EpisodeDetail> {
  requirePermission(actor, 'dose:prescribe', PRESCRIBERS_ONLY);
  const rules = deps.config.pumpRules.testDose;
  return deps.db.transaction().execute(async (trx) => {
    const episode = await loadOpenEpisode(trx, episodeId);
    const blockers = preCheckBlockers(episode.preChecks);
    if (blockers.length > 0) {
      throw refused(
        'PRE_CHECKS_INCOMPLETE',
        `A bolus cannot be recorded until the pre-checks are complete: ${blockers.map((b) => b.message).join('; ')}`,
        { fieldErrors: blockers },
      );
    }
    const boluses = await listBolusesForEpisode(trx, episode.id);
    const last = boluses.at(-1);
    if (last && last.result === null) {
      throw refused(
        'RESULT_NOT_CONFIRMED',
        `Confirm the result of bolus ${last.sequence} before another bolus is given`,
        { details: { bolusId: last.id } },
      );
    }
    const giverName = (await displayNames(trx, [actor.userId])).get(actor.userId) ?? actor.username;
    const input = validateBolusInput(raw, {
      giver: { displayName: giverName, username: actor.username },
      rules,
      hardLimits: deps.config.pumpRules.hardLimits,
      now: deps.clock.now().toISOString(),
      timeZone: deps.config.timeZone,
      previousDoseMcg: last?.doseMcg ?? null,
      latestGivenAt: await latestBolusGivenAt(trx, episode.patientId),
      episodeStartedAt: episode.startedAt,
    });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const v = input.value;
    const ladderDoseMcg = nextLadderDoseMcg(rules.ladderMcg, last?.doseMcg ?? null);
    const warnings = warningsForOutput(offLadderWarnings(v.doseMcg, ladderDoseMcg, rules));
    const id = randomUUID();
    const sequence = boluses.length + 1;
    try {
      await insertBolus(trx, {
        id,
        episodeId: episode.id,
        patientId: episode.patientId,
        sequence,
        doseMcg: v.doseMcg,
        concentrationMcgPerMl: v.concentrationMcgPerMl,
        concentrationReason: v.concentrationReason,
        volumeMl: bolusVolumeMl(v.doseMcg, v.concentrationMcgPerMl),
        ladderDoseMcg,
        // A reason is kept only for a dose off the ladder, as the check asked for it.
        offLadderReason: v.doseMcg === ladderDoseMcg ? null : v.offLadderReason,
        route: v.route,
        givenAt: v.givenAt,
        givenBy: actor.userId,
        checkedBy: v.checkedBy,
        note: v.note,
        recordedAt: deps.clock.now().toISOString(),
        result: null,
        warnings,
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw staleEpisode();
      }
      throw err;
    }
    await saveEpisode(trx, deps, actor, episode, {});
    await audit(trx, deps, actor, 'testdose.update', episode, {
      step: 'bolus',
      bolusId: id,
      sequence,
      doseMcg: v.doseMcg,
      concentrationMcgPerMl: v.concentrationMcgPerMl,
      offLadder: v.doseMcg !== ladderDoseMcg,
      warnings: warnings.map((w) => w.code),
      route: v.route,
    });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}

/**
 * The dose of the episode's latest bolus, or null before the first (read only, not audited): the
 * bolus form checks the ladder's next rung against it before the service is called.
 */
export async function lastBolusDoseMcg(deps: TestDoseServiceDeps, episodeId: string): Promise<number | null> {
  return (await listBolusesForEpisode(deps.db, episodeId)).at(-1)?.doseMcg ?? null;
}

/**
 * Records one observation of a bolus at a configured hour, once per hour, until its result is
 * confirmed, at a clock time that fits its hour (observationTimeError).
 */
export async function recordObservation(
  deps: TestDoseServiceDeps,
  actor: Actor,
  episodeId: string,
  bolusId: string,
  raw: unknown,
): Promise<EpisodeDetail> {
  requirePermission(actor, 'testdose:record', 'You cannot record test doses');
  return deps.db.transaction().execute(async (trx) => {
    const episode = await loadOpenEpisode(trx, episodeId);
    const bolus = await loadBolus(trx, episode, bolusId);
    if (bolus.result !== null) {
      throw refused(
        'OBSERVATIONS_CLOSED',
        `The result of bolus ${bolus.sequence} has been confirmed; observations can no longer be added to it`,
      );
    }
    const recorded = await listObservationsForBoluses(trx, [bolus.id]);
    const input = validateObservationInput(raw, {
      rules: deps.config.pumpRules.testDose,
      recordedHours: recorded.map((o) => o.hour),
      timing: {
        bolusGivenAt: bolus.givenAt,
        episodeStartedAt: episode.startedAt,
        now: deps.clock.now().toISOString(),
        timeZone: deps.config.timeZone,
      },
    });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const v = input.value;
    const id = randomUUID();
    try {
      await insertObservation(trx, {
        id,
        bolusId: bolus.id,
        hour: v.hour,
        observedAt: v.observedAt,
        mas: v.mas,
        pennFrequency: v.pennFrequency,
        heartRateBpm: v.heartRateBpm,
        systolicMmHg: v.systolicMmHg,
        diastolicMmHg: v.diastolicMmHg,
        respiratoryRatePerMin: v.respiratoryRatePerMin,
        spo2Percent: v.spo2Percent,
        sideEffects: v.sideEffects,
        sideEffectNote: v.sideEffectNote,
        note: v.note,
        recordedAt: deps.clock.now().toISOString(),
        recordedBy: actor.userId,
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw validationError([
          {
            field: 'hour',
            message: 'This observation time has just been recorded for this bolus by someone else',
          },
        ]);
      }
      throw err;
    }
    await saveEpisode(trx, deps, actor, episode, {});
    await audit(trx, deps, actor, 'testdose.update', episode, {
      step: 'observation',
      bolusId: bolus.id,
      hour: v.hour,
      sideEffects: v.sideEffects.length,
    });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}
