import { randomUUID } from 'node:crypto';
import {
  preCheckBlockers,
  startedAtCorrection,
  validateAbandonInput,
  validateEpisodeInput,
  validatePreChecks,
} from '../domain/test-dose.ts';
import { testDoseGate } from '../domain/test-dose-gate.ts';
import { formatInstant } from '../domain/test-dose-time.ts';
import type { Trx } from '../storage/database.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { findOverrideById, useOverrideIfAvailable } from '../storage/test-dose-overrides.repository.ts';
import {
  listBolusesForEpisode,
  listBolusesForPatient,
  listObservationsForBoluses,
} from '../storage/test-dose-boluses.repository.ts';
import {
  findOpenEpisodeForPatient,
  insertEpisode,
  listEpisodesForPatient,
} from '../storage/test-doses.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { dateIn, todayIn } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { gateAssessmentFor } from './test-dose-gate-service.ts';
import { auditOverrideUsed, overrideViewsFor, type OverrideView } from './test-dose-override-service.ts';
import { loadDetail, type EpisodeDetail, type EpisodeSummary } from './test-dose-detail.ts';
import {
  audit,
  loadEpisode,
  loadOpenEpisode,
  saveEpisode,
  type TestDoseServiceDeps,
} from './test-dose-support.ts';

/**
 * Test-dose episodes. Each use case loads, decides with the pure rules in
 * domain/test-dose.ts and saves with its audit row in one transaction, so a refusal stores
 * nothing. Every change moves the episode's version on: two people recording a bolus or a
 * result at once cannot both pass the checks against the same state. The bedside steps are in
 * test-dose-bolus-service.ts and test-dose-result-service.ts, the gate in
 * test-dose-gate-service.ts and its override in test-dose-override-service.ts.
 */

/**
 * Starts a test-dose episode with its pre-checks, at the bedside gate (test-dose-gate.ts): it
 * needs a selection assessment of this patient whose standing decision is to proceed to a test
 * dose and whose answers meet no absolute contraindication, or an override recorded by a
 * second consultant, which this episode then spends. A patient has at most one open episode
 * (the ladder and the 24-hour rule read one sequence of boluses); an infection is recorded, and
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
    const input = validateEpisodeInput(raw, {
      today: todayIn(deps.clock, deps.config.timeZone),
      now: deps.clock.now().toISOString(),
    });
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const { assessmentId, overrideId, startedAt, preChecks } = input.value;
    const assessment = assessmentId === null ? null : await gateAssessmentFor(trx, assessmentId, patientId);
    if (assessmentId !== null && assessment === null) {
      throw validationError([
        {
          field: 'assessmentId',
          message: "The selection assessment must be one of this patient's assessments",
        },
      ]);
    }
    const override = overrideId === null ? null : ((await findOverrideById(trx, overrideId)) ?? null);
    if (overrideId !== null && override?.patientId !== patientId) {
      throw validationError([
        { field: 'overrideId', message: 'The override must be one recorded for this patient' },
      ]);
    }
    const gate = testDoseGate({ assessment, override, starterUserId: actor.userId });
    if (!gate.ok) {
      throw validationError(gate.errors);
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
        patientId,
        assessmentId,
        state: 'open',
        preChecks,
        outcomeBolusId: null,
        abandonReason: null,
        closedAt: null,
        closedOn: null,
        closedBy: null,
        startedAt: startedAt ?? now,
        createdAt: now,
        createdBy: actor.userId,
        updatedAt: now,
        updatedBy: actor.userId,
        version: 1,
      });
    } catch (err) {
      // Another request opened one between our check and our insert.
      if (isUniqueViolation(err)) {
        throw openEpisodeExists(null);
      }
      throw err;
    }
    if (override !== null) {
      const spent = await useOverrideIfAvailable(trx, override, { episodeId: id, at: now, by: actor.userId });
      if (!spent) {
        throw new AppError(
          'STALE_EDIT',
          'Someone else used or withdrew the override a moment ago; nothing was saved. Reload the page.',
        );
      }
      await auditOverrideUsed(trx, deps, actor, override, id);
    }
    await audit(
      trx,
      deps,
      actor,
      'testdose.create',
      { id, patientId },
      {
        assessmentLinked: assessmentId !== null,
        startedOn: gate.value.basis,
        ...(override === null ? {} : { overrideId: override.id }),
        preChecksComplete: preCheckBlockers(preChecks).length === 0,
      },
    );
    return loadDetail(trx, deps, await loadEpisode(trx, id));
  });
}

function openEpisodeExists(episodeId: string | null): AppError {
  return refused(
    'EPISODE_ALREADY_OPEN',
    'This patient already has a test dose in progress: continue it, or abandon it before starting another',
    { details: episodeId ? { episodeId } : {} },
  );
}

/** The patient's open episode's id, or null (read only, not audited: the start page redirects to it). */
export async function openEpisodeIdFor(deps: TestDoseServiceDeps, patientId: string): Promise<string | null> {
  return (await findOpenEpisodeForPatient(deps.db, patientId))?.id ?? null;
}

/**
 * Records the pre-checks again (for example when an infection has cleared), and corrects when
 * the test dose started when `startedAt` is given: never in the future, nor after its first
 * bolus or observation.
 */
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
    const startedAt = await correctedStart(trx, deps, episode.id, raw);
    await saveEpisode(trx, deps, actor, episode, {
      preChecks: input.value,
      ...(startedAt === null ? {} : { startedAt }),
    });
    await audit(trx, deps, actor, 'testdose.update', episode, {
      step: 'pre-checks',
      preChecksComplete: preCheckBlockers(input.value).length === 0,
      ...(startedAt === null ? {} : { startedAt }),
    });
    return loadDetail(trx, deps, await loadEpisode(trx, episodeId));
  });
}

/** A corrected start from the pre-checks' input, or null when none is given. */
async function correctedStart(
  trx: Trx,
  deps: TestDoseServiceDeps,
  episodeId: string,
  raw: unknown,
): Promise<string | null> {
  const given = startedAtCorrection(raw, deps.clock.now().toISOString());
  if (!given.ok) {
    throw validationError(given.errors);
  }
  if (given.value === null) {
    return null;
  }
  const boluses = await listBolusesForEpisode(trx, episodeId);
  const observations = await listObservationsForBoluses(
    trx,
    boluses.map((b) => b.id),
  );
  const times = [...boluses.map((b) => b.givenAt), ...observations.flatMap((o) => o.observedAt ?? [])];
  const first = times.sort()[0];
  if (first !== undefined && Date.parse(given.value) > Date.parse(first)) {
    throw validationError([
      {
        field: 'startedAt',
        message: `Time the test dose started must not be after its first bolus or observation (${formatInstant(first, deps.config.timeZone)})`,
      },
    ]);
  }
  return given.value;
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
      abandonReason: input.value.reason,
      closedAt: now.toISOString(),
      closedOn: dateIn(now, deps.config.timeZone),
      closedBy: actor.userId,
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

/** A patient's episodes, newest first, with their boluses, and the gate's overrides; the read is audited. */
export async function patientTestDoses(
  deps: TestDoseServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<{
  readonly patient: Patient;
  readonly episodes: readonly EpisodeSummary[];
  readonly overrides: readonly OverrideView[];
}> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
    const episodes = await listEpisodesForPatient(trx, patientId);
    const boluses = await listBolusesForPatient(trx, patientId);
    const overrides = await overrideViewsFor(trx, patientId);
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
      overrides,
    };
  });
}
