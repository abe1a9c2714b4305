import { randomUUID } from 'node:crypto';
import { validateOverrideInput, validateWithdrawOverrideInput } from '../domain/test-dose-gate.ts';
import type { DbOrTrx, Trx } from '../storage/database.ts';
import type { Patient } from '../storage/patients.repository.ts';
import {
  findAvailableOverride,
  findOverrideById,
  insertOverride,
  listOverridesForPatient,
  withdrawOverrideIfAvailable,
  type TestDoseOverride,
} from '../storage/test-dose-overrides.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { loadPatient, viewPatient, type PatientServiceDeps } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import type { TestDoseServiceDeps } from './test-dose-support.ts';

/**
 * The consultant's override of the bedside gate (test-dose-gate.ts) that lets a test dose start
 * without a decision to proceed, or despite an absolute contraindication. Recording and
 * withdrawing an override are audited, and the override is spent by the episode that uses it
 * (test-dose-service.ts createEpisode). The gate's reading of the assessments is in
 * test-dose-gate-service.ts.
 */

const CONSULTANTS_ONLY = 'Only consultants can record or withdraw an override for a test dose';

/** An override with the names of the people on it. */
export interface OverrideView extends TestDoseOverride {
  readonly createdByName: string;
  readonly withdrawnByName: string | null;
}

export async function overrideViews(
  db: DbOrTrx,
  overrides: readonly TestDoseOverride[],
): Promise<OverrideView[]> {
  const names = await displayNames(
    db,
    overrides.flatMap((o) => [o.createdBy, ...(o.withdrawnBy ? [o.withdrawnBy] : [])]),
  );
  return overrides.map((o) => ({
    ...o,
    createdByName: names.get(o.createdBy) ?? 'Unknown',
    withdrawnByName: o.withdrawnBy ? (names.get(o.withdrawnBy) ?? 'Unknown') : null,
  }));
}

/** A patient's overrides, newest first, with names (not audited: the caller's read is). */
export async function overrideViewsFor(db: DbOrTrx, patientId: string): Promise<OverrideView[]> {
  return overrideViews(db, await listOverridesForPatient(db, patientId));
}

async function auditOverride(
  trx: Trx,
  deps: TestDoseServiceDeps,
  actor: Actor,
  action: 'testdose.create' | 'testdose.update',
  override: { readonly id: string; readonly patientId: string },
  details: Readonly<Record<string, unknown>>,
): Promise<void> {
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action,
      outcome: 'success',
      entityType: 'test-dose-override',
      entityId: override.id,
      patientId: override.patientId,
      details,
    }),
  );
}

/** Audits an override's use by an episode, in the episode's transaction. */
export async function auditOverrideUsed(
  trx: Trx,
  deps: TestDoseServiceDeps,
  actor: Actor,
  override: TestDoseOverride,
  episodeId: string,
): Promise<void> {
  await auditOverride(trx, deps, actor, 'testdose.update', override, { step: 'override-used', episodeId });
}

function availableExists(existing: TestDoseOverride | null): AppError {
  return refused(
    'OVERRIDE_ALREADY_WAITING',
    'This patient already has an override waiting to be used: withdraw it before recording another',
    { details: existing ? { overrideId: existing.id } : {} },
  );
}

/**
 * A consultant records an override with a written reason, so that a test dose may start
 * without a selection decision to proceed, or despite an absolute contraindication. The
 * reason is kept with it (not in the audit trail, which holds no clinical free text).
 */
export async function recordOverride(
  deps: TestDoseServiceDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<OverrideView> {
  requirePermission(actor, 'assessment:decide', CONSULTANTS_ONLY);
  return deps.db.transaction().execute(async (trx) => {
    await loadPatient(trx, patientId);
    const input = validateOverrideInput(raw);
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const existing = await findAvailableOverride(trx, patientId);
    if (existing) {
      throw availableExists(existing);
    }
    const id = randomUUID();
    try {
      await insertOverride(trx, {
        id,
        patientId,
        reason: input.value.reason,
        state: 'available',
        createdAt: deps.clock.now().toISOString(),
        createdBy: actor.userId,
        episodeId: null,
        usedAt: null,
        usedBy: null,
        withdrawnAt: null,
        withdrawnBy: null,
        withdrawReason: null,
        version: 1,
      });
    } catch (err) {
      // Another consultant recorded one between our check and our insert.
      if (isUniqueViolation(err)) {
        throw availableExists(null);
      }
      throw err;
    }
    await auditOverride(trx, deps, actor, 'testdose.create', { id, patientId }, { step: 'override' });
    return overrideView(trx, id);
  });
}

async function overrideView(db: DbOrTrx, id: string): Promise<OverrideView> {
  const o = await findOverrideById(db, id);
  if (!o) {
    throw new AppError('NOT_FOUND', 'Override not found');
  }
  const [view] = await overrideViews(db, [o]);
  if (!view) {
    throw new Error('override vanished');
  }
  return view;
}

/** A consultant withdraws an override that has not been used, with a reason. */
export async function withdrawOverride(
  deps: TestDoseServiceDeps,
  actor: Actor,
  overrideId: string,
  raw: unknown,
): Promise<OverrideView> {
  requirePermission(actor, 'assessment:decide', CONSULTANTS_ONLY);
  return deps.db.transaction().execute(async (trx) => {
    const o = await findOverrideById(trx, overrideId);
    if (!o) {
      throw new AppError('NOT_FOUND', 'Override not found');
    }
    if (o.state !== 'available') {
      throw refused(
        'OVERRIDE_NOT_AVAILABLE',
        `This override has been ${o.state === 'used' ? 'used for a test dose' : 'withdrawn'} and can no longer be withdrawn`,
      );
    }
    const input = validateWithdrawOverrideInput(raw);
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const done = await withdrawOverrideIfAvailable(trx, o, {
      reason: input.value.reason,
      at: deps.clock.now().toISOString(),
      by: actor.userId,
    });
    if (!done) {
      throw new AppError(
        'STALE_EDIT',
        'Someone else used or withdrew this override a moment ago; nothing was saved. Reload the page.',
      );
    }
    await auditOverride(trx, deps, actor, 'testdose.update', o, { step: 'override-withdrawn' });
    return overrideView(trx, o.id);
  });
}

/** A patient's overrides, newest first, with names; the read is audited. */
export async function patientOverrides(
  deps: TestDoseServiceDeps,
  actor: Actor,
  patientId: string,
): Promise<{ readonly patient: Patient; readonly overrides: readonly OverrideView[] }> {
  return deps.db.transaction().execute(async (trx) => {
    const patient = await loadPatient(trx, patientId);
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
        details: { overrides: overrides.length },
      }),
    );
    return { patient, overrides };
  });
}

/** An override and its patient (the record's view audited), for the page that withdraws it. */
export async function viewOverride(
  deps: PatientServiceDeps,
  actor: Actor,
  overrideId: string,
): Promise<{ readonly override: TestDoseOverride; readonly patient: Patient }> {
  const override = await findOverrideById(deps.db, overrideId);
  if (!override) {
    throw new AppError('NOT_FOUND', 'Override not found');
  }
  return { override, patient: await viewPatient(deps, actor, override.patientId) };
}
