import type { PlainDate } from '../domain/calendar-date.ts';
import {
  isOwnProposal,
  prescriptionDecisionSchema,
  validatePrescriptionInput,
} from '../domain/prescription-input.ts';
import { validateProgrammedOn } from '../domain/programmed-on.ts';
import { parseInput } from '../domain/schema-fields.ts';
import type { Trx } from '../storage/database.ts';
import {
  findActivePrescription,
  findPendingPrescription,
  findPrescriptionById,
  findPrescriptionsByIds,
  insertPrescription,
  updatePrescriptionIfState,
  type Prescription,
} from '../storage/prescriptions.repository.ts';
import { findRefillById, latestRefillForPump } from '../storage/refills.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { dateIn } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { draftPrescription, refuseHardLimits } from './prescription-draft.ts';
import { replanPump } from './pump-plan.ts';
import { loadPump, oneAtATime, type PumpServiceDeps } from './pump-store.ts';

/**
 * A pump's prescriptions outside a refill: proposed by one clinician, then confirmed (it becomes
 * the one that counts) or rejected by a different one (hazard H-018). A change made at a refill
 * is drafted the same way (prescription-draft.ts) and confirmed by signing the refill.
 */

/** The prescription as stored, read back inside the transaction that wrote it. */
async function reload(trx: Trx, id: string): Promise<Prescription> {
  const saved = await findPrescriptionById(trx, id);
  if (!saved) {
    throw new Error('prescription vanished inside its own transaction');
  }
  return saved;
}

/** A prescription by id, for the pump page's forms to find which pump it belongs to. */
export async function findPrescription(deps: PumpServiceDeps, prescriptionId: string): Promise<Prescription> {
  const p = await findPrescriptionById(deps.db, prescriptionId);
  if (!p) {
    throw new AppError('NOT_FOUND', 'Prescription not found');
  }
  return p;
}

async function refusePendingTwice(trx: Trx, pumpId: string): Promise<void> {
  const pending = await findPendingPrescription(trx, pumpId);
  if (pending) {
    throw refused(
      'PRESCRIPTION_CHANGE_PENDING',
      'A change to this pump’s prescription is already waiting to be checked: confirm or reject it first',
      { details: { pendingPrescriptionId: pending.id } },
    );
  }
}

/** Proposes a prescription or a change; it counts only once a second clinician confirms it. */
export async function proposePrescription(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<Prescription> {
  requirePermission(actor, 'dose:prescribe', 'Only clinicians who prescribe can propose a dose change');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      if (pump.state !== 'implanted') {
        throw refused('PUMP_NOT_IMPLANTED', 'This pump is no longer implanted');
      }
      const rules = deps.config.pumpRules;
      const result = validatePrescriptionInput(raw, rules.hardLimits);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      // The strength and delivery range first, so a strength the service does not stock is named
      // as such rather than as a change of strength outside a refill.
      refuseHardLimits(result.value, pump, rules);
      await refusePendingTwice(trx, pumpId);
      const lastRefill = await latestRefillForPump(trx, pumpId);
      if (lastRefill?.state === 'recorded') {
        throw refused(
          'PREVIOUS_REFILL_UNSIGNED',
          'A refill of this pump is waiting to be checked and signed: sign it first, or change the programme at the next refill',
        );
      }
      // The strength in the reservoir changes only at a refill (hazard H-020, wrong concentration).
      if (lastRefill && lastRefill.concentrationMcgPerMl !== result.value.concentrationMcgPerMl) {
        throw validationError([
          {
            field: 'concentrationMcgPerMl',
            message: `The pump holds ${lastRefill.concentrationMcgPerMl} mcg/mL since the refill on ${lastRefill.performedOn}: a new strength can only be set at a refill`,
          },
        ]);
      }
      const proposed = await draftPrescription(trx, deps, actor, pump, result.value, '', null);
      await insertPrescription(trx, proposed);
      // It may be programmed before it is checked: the dates come forward if it empties the pump sooner.
      await replanPump(trx, deps, actor, pumpId);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'prescription.propose',
          outcome: 'success',
          entityType: 'prescription',
          entityId: proposed.id,
          patientId: pump.patientId,
          details: {
            pumpId,
            planningDoseMcgPerDay: proposed.planningDoseMcgPerDay,
            concentrationMcgPerMl: proposed.concentrationMcgPerMl,
            // As stored: 1 or 0, null when nothing was compared.
            withinLimit: proposed.withinLimit === null ? null : Number(proposed.withinLimit),
            warnings: proposed.warnings.map((w) => w.code),
            limitPhase: proposed.limitPhase,
          },
        }),
      );
      return reload(trx, proposed.id);
    }),
  );
}

/**
 * Makes a pending prescription the one that counts, superseding the active one, and works the
 * pump's alarm and due dates out again from the last fill through every confirmed change since.
 * The checker must be a different clinician from the one who proposed it (hazard H-018).
 */
export async function activatePrescription(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  prescription: Prescription,
  note: string | null,
  programmedOn: PlainDate | null,
): Promise<void> {
  const pump = await loadPump(trx, prescription.pumpId);
  if (pump.state !== 'implanted') {
    throw refused('PUMP_NOT_IMPLANTED', `This pump was ${pump.state}: its prescription can no longer change`);
  }
  if (isOwnProposal(prescription, actor.userId)) {
    throw validationError(
      [
        {
          field: 'checkedBy',
          message: 'The second check must be made by a different clinician from the one who proposed it',
        },
      ],
      'CHECKER_IS_PROPOSER',
    );
  }
  const at = deps.clock.now().toISOString();
  if (prescription.previousId !== null) {
    const superseded = await updatePrescriptionIfState(trx, prescription.previousId, 'active', {
      state: 'superseded',
    });
    if (!superseded) {
      throw new AppError(
        'STALE_EDIT',
        'The prescription this change replaces has changed. Reload and check again.',
      );
    }
  } else if (await findActivePrescription(trx, prescription.pumpId)) {
    throw new AppError('STALE_EDIT', 'Another prescription became active meanwhile. Reload and check again.');
  }
  const confirmed = await updatePrescriptionIfState(trx, prescription.id, 'pending', {
    state: 'active',
    decidedAt: at,
    decidedBy: actor.userId,
    decisionNote: note,
    // A change made at a refill was programmed on the refill's date when it was recorded.
    ...(programmedOn === null ? {} : { programmedOn }),
  });
  if (!confirmed) {
    throw new AppError('STALE_EDIT', 'This change was confirmed or rejected by someone else meanwhile.');
  }
  if (prescription.refillId === null) {
    await replanPump(trx, deps, actor, prescription.pumpId);
  }
}

async function loadPending(trx: Trx, prescriptionId: string): Promise<Prescription> {
  const p = await findPrescriptionById(trx, prescriptionId);
  if (!p) {
    throw new AppError('NOT_FOUND', 'Prescription not found');
  }
  if (p.state !== 'pending') {
    throw refused('PRESCRIPTION_NOT_PENDING', `This prescription is ${p.state}, not waiting to be checked`);
  }
  if (p.refillId !== null) {
    throw refused(
      'PRESCRIPTION_MADE_AT_REFILL',
      'This change was made at a refill: it is confirmed by checking and signing that refill',
    );
  }
  return p;
}

/** A decision's body: its note trimmed to the first 2000 characters ('' when none). */
function parseDecision(raw: unknown): { note: string; programmedOn: string | null | undefined } {
  const parsed = parseInput(prescriptionDecisionSchema, raw);
  if (!parsed.ok) {
    throw validationError(parsed.errors);
  }
  return { note: (parsed.value.note ?? '').trim().slice(0, 2000), programmedOn: parsed.value.programmedOn };
}

/**
 * The second clinician confirms a change made outside a refill, with the date the pump was
 * reprogrammed (`programmedOn`, YYYY-MM-DD, today when not given): never in the future, never
 * before the last signed refill, never before the change was proposed.
 */
export async function confirmPrescription(
  deps: PumpServiceDeps,
  actor: Actor,
  prescriptionId: string,
  raw: unknown,
): Promise<Prescription> {
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can confirm a change');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const p = await loadPending(trx, prescriptionId);
      const decision = parseDecision(raw);
      const note = decision.note === '' ? null : decision.note;
      // Confirming now would plan from the last signed fill, dropping the earlier dates of the
      // refill awaiting its check, and leave that refill unsignable: settle the refill first.
      if ((await latestRefillForPump(trx, p.pumpId))?.state === 'recorded') {
        throw refused(
          'PREVIOUS_REFILL_UNSIGNED',
          'A refill of this pump is waiting to be checked and signed: sign or reject it before confirming a change',
        );
      }
      const pump = await loadPump(trx, p.pumpId);
      const lastSigned = pump.lastRefillId ? await findRefillById(trx, pump.lastRefillId) : null;
      const programmedOn = validateProgrammedOn(decision.programmedOn, {
        today: dateIn(deps.clock.now(), deps.config.timeZone),
        lastSignedRefillOn: lastSigned?.performedOn ?? null,
        proposedOn: dateIn(new Date(p.proposedAt), deps.config.timeZone),
      });
      if (!programmedOn.ok) {
        throw validationError(programmedOn.errors);
      }
      await activatePrescription(trx, deps, actor, p, note, programmedOn.value);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'prescription.confirm',
          outcome: 'success',
          entityType: 'prescription',
          entityId: p.id,
          patientId: p.patientId,
          details: { pumpId: p.pumpId, proposedBy: p.proposedBy, programmedOn: programmedOn.value },
        }),
      );
      return reload(trx, p.id);
    }),
  );
}

/** Rejects (or the proposer withdraws) a pending change, with a reason; the active one stays. */
export async function rejectPrescription(
  deps: PumpServiceDeps,
  actor: Actor,
  prescriptionId: string,
  raw: unknown,
): Promise<Prescription> {
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can reject a change');
  return deps.db.transaction().execute(async (trx) => {
    const p = await loadPending(trx, prescriptionId);
    const note = parseDecision(raw).note;
    if (note === '') {
      throw validationError([{ field: 'note', message: 'Enter why the change is rejected' }]);
    }
    const done = await updatePrescriptionIfState(trx, p.id, 'pending', {
      state: 'rejected',
      decidedAt: deps.clock.now().toISOString(),
      decidedBy: actor.userId,
      decisionNote: note,
    });
    if (!done) {
      throw new AppError('STALE_EDIT', 'This change was confirmed or rejected by someone else meanwhile.');
    }
    // Never programmed: the dates it brought forward go back to the confirmed programme's.
    await replanPump(trx, deps, actor, p.pumpId);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'prescription.reject',
        outcome: 'success',
        entityType: 'prescription',
        entityId: p.id,
        patientId: p.patientId,
        details: { pumpId: p.pumpId },
      }),
    );
    return reload(trx, p.id);
  });
}

/** A prescription with the one it replaces, for the side-by-side view. */
export async function withPrevious(
  deps: PumpServiceDeps,
  prescription: Prescription,
): Promise<{ current: Prescription; previous: Prescription | null }> {
  const [previous] = prescription.previousId
    ? await findPrescriptionsByIds(deps.db, [prescription.previousId])
    : [];
  return { current: prescription, previous: previous ?? null };
}
