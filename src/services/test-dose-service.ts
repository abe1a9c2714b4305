import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { randomUUID } from 'node:crypto';
import type { FieldError } from '../domain/field-error.ts';
import { startingDose, type StartingDose } from '../domain/dose-change.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import {
  bolusVolumeMl,
  earliestNextBolusAt,
  episodeStateAfterResult,
  nextLadderDoseMcg,
  preCheckBlockers,
  testDoseSuggestion,
  validateAbandonInput,
  validateBolusInput,
  validateEpisodeInput,
  validateObservationInput,
  validatePreChecks,
  validateResultInput,
  type TestDoseSuggestion,
} from '../domain/test-dose.ts';
import type { Db, Trx } from '../storage/database.ts';
import { assessmentBelongsToPatient } from '../storage/measures.repository.ts';
import type { Patient } from '../storage/patients.repository.ts';
import {
  bit,
  findEpisodeById,
  findOpenEpisodeForPatient,
  insertBolus,
  insertEpisode,
  insertObservation,
  latestBolusGivenAt,
  listBolusesForEpisode,
  listBolusesForPatient,
  listEpisodesForPatient,
  listObservationsForBoluses,
  preCheckColumns,
  setBolusResultOnce,
  updateOpenEpisodeIfVersion,
  type EpisodeChanges,
  type TestDoseBolus,
  type TestDoseEpisode,
  type TestDoseObservation,
} from '../storage/test-doses.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { AppError, isUniqueViolation, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { dateIn, todayIn, type Clock } from './clock.ts';

export { latestPositiveTestDose, type PositiveTestDose } from '../storage/test-doses.repository.ts';

/**
 * Test-dose episodes (issue 5, item 1). Each use case loads, decides with the pure rules in
 * domain/test-dose.ts and saves with its audit row in one transaction, so a refusal stores
 * nothing. Every change moves the episode's version on: two people recording a bolus or a
 * result at once cannot both pass the checks against the same state.
 */
export interface TestDoseServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: { readonly timeZone: string; readonly pumpRules: PumpRules };
}

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
  /** Twice the effective test dose a day, or the same when the effect lasted long or there were adverse reactions. */
  readonly startingDose: StartingDose;
}

export interface EpisodeDetail {
  readonly episode: TestDoseEpisode;
  readonly patient: Patient;
  readonly boluses: readonly BolusDetail[];
  /** Null once the episode is closed (closed episodes are read-only). */
  readonly plan: NextBolusPlan | null;
  /** The positive result and the starting dose it suggests; null otherwise. */
  readonly outcome: EpisodeOutcome | null;
  /** Display names of the people named on the episode, by user id. */
  readonly names: Readonly<Record<string, string>>;
}

export interface EpisodeSummary {
  readonly episode: TestDoseEpisode;
  readonly boluses: readonly TestDoseBolus[];
}

const PRESCRIBERS_ONLY = 'Only clinicians who prescribe doses (consultants, nurse specialists) can do this';

async function loadEpisode(trx: Trx, episodeId: string): Promise<TestDoseEpisode> {
  const episode = await findEpisodeById(trx, episodeId);
  if (!episode) {
    throw new AppError('NOT_FOUND', 'Test dose not found');
  }
  return episode;
}

async function loadOpenEpisode(trx: Trx, episodeId: string): Promise<TestDoseEpisode> {
  const episode = await loadEpisode(trx, episodeId);
  if (episode.state !== 'open') {
    throw new AppError('INVALID_STATE', 'This test dose is closed and can no longer be changed', {
      details: { state: episode.state },
    });
  }
  return episode;
}

/** Moves the episode's version on with the change; refuses when someone changed it first. */
async function saveEpisode(
  trx: Trx,
  deps: TestDoseServiceDeps,
  actor: Actor,
  episode: TestDoseEpisode,
  changes: Omit<EpisodeChanges, 'updated_at' | 'updated_by'>,
): Promise<void> {
  const ok = await updateOpenEpisodeIfVersion(trx, episode.id, episode.version, {
    ...changes,
    updated_at: deps.clock.now().toISOString(),
    updated_by: actor.userId,
  });
  if (!ok) {
    throw staleEpisode();
  }
}

function staleEpisode(): AppError {
  return new AppError(
    'STALE_EDIT',
    'Someone else changed this test dose while you were working on it; nothing was saved. Reload it and try again.',
  );
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

async function loadDetail(
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
          startingDose: startingDose(
            {
              testDoseMcg: positive.doseMcg,
              effectHours,
              adverseReactions: positive.result?.adverseReactions === true,
            },
            deps.config.pumpRules.startDoseLongEffectHours,
          ),
        }
      : null;
  const ids = [
    episode.createdBy,
    episode.updatedBy,
    ...(episode.closedBy ? [episode.closedBy] : []),
    ...boluses.flatMap((b) => [b.givenBy, ...(b.result ? [b.result.decidedBy] : [])]),
    ...observations.map((o) => o.recordedBy),
  ];
  const names = Object.fromEntries(await displayNames(trx, ids));
  return { episode, patient, boluses: details, plan, outcome, names };
}

async function audit(
  trx: Trx,
  deps: TestDoseServiceDeps,
  actor: Actor,
  action: 'testdose.create' | 'testdose.update' | 'testdose.view',
  episode: { readonly id: string; readonly patientId: string },
  details: Readonly<Record<string, unknown>>,
): Promise<void> {
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action,
      outcome: 'success',
      entityType: 'test-dose-episode',
      entityId: episode.id,
      patientId: episode.patientId,
      details,
    }),
  );
}

/**
 * Starts a test-dose episode with its pre-checks. A patient has at most one open episode (the
 * ladder and the 24-hour rule read one sequence of boluses); an infection is recorded, and
 * then blocks every bolus until the pre-checks say it has cleared.
 */
export async function createEpisode(
  deps: TestDoseServiceDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<EpisodeDetail> {
  requirePermission(actor, 'testdose:record', 'You cannot record test doses');
  return deps.db.transaction().execute(async (trx) => {
    await loadPatient(trx, patientId);
    const input = validateEpisodeInput(raw, { today: todayIn(deps.clock, deps.config.timeZone) });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const { assessmentId, preChecks } = input.value;
    if (assessmentId !== null && !(await assessmentBelongsToPatient(trx, assessmentId, patientId))) {
      throw validationError([
        {
          field: 'assessmentId',
          message: "The selection assessment must be one of this patient's assessments",
        },
      ]);
    }
    const open = await findOpenEpisodeForPatient(trx, patientId);
    if (open) {
      throw openEpisodeExists(open.id);
    }
    const id = randomUUID();
    const now = deps.clock.now().toISOString();
    try {
      await insertEpisode(trx, {
        id,
        patient_id: patientId,
        assessment_id: assessmentId,
        state: 'open',
        ...preCheckColumns(preChecks),
        outcome_bolus_id: null,
        abandon_reason: null,
        closed_at: null,
        closed_on: null,
        closed_by: null,
        created_at: now,
        created_by: actor.userId,
        updated_at: now,
        updated_by: actor.userId,
        version: 1,
      });
    } catch (err) {
      // Another request opened one between our check and our insert.
      if (isUniqueViolation(err)) {
        throw openEpisodeExists(null);
      }
      throw err;
    }
    await audit(
      trx,
      deps,
      actor,
      'testdose.create',
      { id, patientId },
      {
        assessmentLinked: assessmentId !== null,
        preChecksComplete: preCheckBlockers(preChecks).length === 0,
      },
    );
    return loadDetail(trx, deps, await loadEpisode(trx, id));
  });
}

function openEpisodeExists(episodeId: string | null): AppError {
  return new AppError(
    'INVALID_STATE',
    'This patient already has a test dose in progress: continue it, or abandon it before starting another',
    { details: episodeId ? { episodeId } : {} },
  );
}

/** Records the pre-checks again (for example when an infection has cleared). */
export async function updatePreChecks(
  deps: TestDoseServiceDeps,
  actor: Actor,
  episodeId: string,
  raw: unknown,
): Promise<EpisodeDetail> {
  requirePermission(actor, 'testdose:record', 'You cannot record test doses');
  return deps.db.transaction().execute(async (trx) => {
    const episode = await loadOpenEpisode(trx, episodeId);
    const input = validatePreChecks(raw, { today: todayIn(deps.clock, deps.config.timeZone) });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    await saveEpisode(trx, deps, actor, episode, preCheckColumns(input.value));
    await audit(trx, deps, actor, 'testdose.update', episode, {
      step: 'pre-checks',
      preChecksComplete: preCheckBlockers(input.value).length === 0,
    });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}

/**
 * Records a bolus given by the signed-in prescriber. Refused, with nothing stored, when a
 * pre-check is unanswered or failed, the previous bolus has no confirmed result, or the bolus
 * breaks a rule in validateBolusInput (units, future, 24 hours, ladder).
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
      throw new AppError(
        'INVALID_STATE',
        `A bolus cannot be recorded until the pre-checks are complete: ${blockers.map((b) => b.message).join('; ')}`,
        { fieldErrors: blockers },
      );
    }
    const boluses = await listBolusesForEpisode(trx, episode.id);
    const last = boluses.at(-1);
    if (last && last.result === null) {
      throw new AppError(
        'INVALID_STATE',
        `Confirm the result of bolus ${last.sequence} before another bolus is given`,
        { details: { bolusId: last.id } },
      );
    }
    const input = validateBolusInput(raw, {
      rules,
      hardLimits: deps.config.pumpRules.hardLimits,
      now: deps.clock.now().toISOString(),
      timeZone: deps.config.timeZone,
      previousDoseMcg: last?.doseMcg ?? null,
      latestGivenAt: await latestBolusGivenAt(trx, episode.patientId),
    });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const v = input.value;
    const ladderDoseMcg = nextLadderDoseMcg(rules.ladderMcg, last?.doseMcg ?? null);
    const id = randomUUID();
    const sequence = boluses.length + 1;
    try {
      await insertBolus(trx, {
        id,
        episode_id: episode.id,
        patient_id: episode.patientId,
        sequence,
        dose_mcg: v.doseMcg,
        concentration_mcg_per_ml: v.concentrationMcgPerMl,
        concentration_reason: v.concentrationReason,
        volume_ml: bolusVolumeMl(v.doseMcg, v.concentrationMcgPerMl),
        ladder_dose_mcg: ladderDoseMcg,
        // A reason is kept only for a dose off the ladder, as the check asked for it.
        off_ladder_reason: v.doseMcg === ladderDoseMcg ? null : v.offLadderReason,
        route: v.route,
        given_at: v.givenAt,
        given_by: actor.userId,
        checked_by: v.checkedBy,
        note: v.note,
        recorded_at: deps.clock.now().toISOString(),
        result: null,
        suggestion: null,
        result_reason: null,
        effect_hours: null,
        adverse_reactions: null,
        adverse_note: null,
        result_note: null,
        decided_at: null,
        decided_on: null,
        decided_by: null,
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
      route: v.route,
    });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}

async function loadBolus(trx: Trx, episode: TestDoseEpisode, bolusId: string): Promise<TestDoseBolus> {
  const bolus = (await listBolusesForEpisode(trx, episode.id)).find((b) => b.id === bolusId);
  if (!bolus) {
    throw new AppError('NOT_FOUND', 'Bolus not found in this test dose');
  }
  return bolus;
}

/** Records one observation of a bolus at a configured hour, once per hour, until its result is confirmed. */
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
      throw new AppError(
        'INVALID_STATE',
        `The result of bolus ${bolus.sequence} has been confirmed; observations can no longer be added to it`,
      );
    }
    const recorded = await listObservationsForBoluses(trx, [bolus.id]);
    const input = validateObservationInput(raw, {
      rules: deps.config.pumpRules.testDose,
      recordedHours: recorded.map((o) => o.hour),
    });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const v = input.value;
    const id = randomUUID();
    try {
      await insertObservation(trx, {
        id,
        bolus_id: bolus.id,
        hour: v.hour,
        mas: JSON.stringify(v.mas),
        penn_frequency: v.pennFrequency,
        heart_rate_bpm: v.heartRateBpm,
        systolic_mmhg: v.systolicMmHg,
        diastolic_mmhg: v.diastolicMmHg,
        respiratory_rate_per_min: v.respiratoryRatePerMin,
        spo2_percent: v.spo2Percent,
        side_effects: JSON.stringify(v.sideEffects),
        side_effect_note: v.sideEffectNote,
        note: v.note,
        recorded_at: deps.clock.now().toISOString(),
        recorded_by: actor.userId,
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
      throw new AppError('INVALID_STATE', `The result of bolus ${bolus.sequence} has already been confirmed`);
    }
    const observations = await listObservationsForBoluses(trx, [bolus.id]);
    const suggestion = testDoseSuggestion(observations, rules);
    const input = validateResultInput(raw, suggestion);
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const v = input.value;
    const now = deps.clock.now();
    const decidedOn = dateIn(now, deps.config.timeZone);
    const written = await setBolusResultOnce(trx, bolus.id, {
      result: v.result,
      suggestion: JSON.stringify(suggestion),
      result_reason: v.reason,
      effect_hours: v.effectHours,
      adverse_reactions: bit(v.adverseReactions),
      adverse_note: v.adverseNote,
      result_note: v.note,
      decided_at: now.toISOString(),
      decided_on: decidedOn,
      decided_by: actor.userId,
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
            outcome_bolus_id: bolus.id,
            closed_at: now.toISOString(),
            closed_on: decidedOn,
            closed_by: actor.userId,
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

/** Stops an open episode with a reason; it becomes read-only. */
export async function abandonEpisode(
  deps: TestDoseServiceDeps,
  actor: Actor,
  episodeId: string,
  raw: unknown,
): Promise<EpisodeDetail> {
  requirePermission(actor, 'testdose:record', 'You cannot record test doses');
  return deps.db.transaction().execute(async (trx) => {
    const episode = await loadOpenEpisode(trx, episodeId);
    const input = validateAbandonInput(raw);
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const now = deps.clock.now();
    await saveEpisode(trx, deps, actor, episode, {
      state: 'abandoned',
      abandon_reason: input.value.reason,
      closed_at: now.toISOString(),
      closed_on: dateIn(now, deps.config.timeZone),
      closed_by: actor.userId,
    });
    await audit(trx, deps, actor, 'testdose.update', episode, { step: 'abandon' });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}

/** One episode with everything worked out from it; the read is audited. */
export async function viewEpisode(
  deps: TestDoseServiceDeps,
  actor: Actor,
  episodeId: string,
  purpose: string | null = null,
): Promise<EpisodeDetail> {
  return deps.db.transaction().execute(async (trx) => {
    const episode = await loadEpisode(trx, episodeId);
    await audit(trx, deps, actor, 'testdose.view', episode, purpose ? { for: purpose } : {});
    return loadDetail(trx, deps, episode);
  });
}

/** A patient's episodes, newest first, with their boluses; the read is audited. */
export async function patientTestDoses(
  deps: TestDoseServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<{ readonly patient: Patient; readonly episodes: readonly EpisodeSummary[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
    const episodes = await listEpisodesForPatient(trx, patientId);
    const boluses = await listBolusesForPatient(trx, patientId);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'testdose.view',
        outcome: 'success',
        entityType: 'patient',
        entityId: patientId,
        patientId,
        details: { list: true, episodes: episodes.length },
      }),
    );
    return {
      patient,
      episodes: episodes.map((episode) => ({
        episode,
        boluses: boluses.filter((b) => b.episodeId === episode.id),
      })),
    };
  });
}
