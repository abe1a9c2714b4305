import type { PumpModel } from '../domain/pump-device.ts';
import { needsWithdrawalCheck } from '../domain/refill-findings.ts';
import { workingDayOnOrBefore } from '../domain/working-days.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { findPrescriptionsByIds, type Prescription } from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { listAmendments, type RefillAmendment } from '../storage/refill-amendments.repository.ts';
import type { Refill } from '../storage/refills.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { withPrevious } from './prescription-service.ts';
import { closedDaysAround, loadPump, modelOf } from './pump-store.ts';
import { effectiveRefill, type EffectiveRefillFields } from './refill-amendment-service.ts';
import { loadRefill, type RefillServiceDeps } from './refill-common.ts';
import { needsReview } from '../domain/refill-actions.ts';

export interface RefillView {
  readonly patient: Patient;
  readonly pump: Pump;
  readonly model: PumpModel;
  readonly refill: Refill;
  readonly prescription: Prescription | null;
  /** The prescription before this refill's change, shown beside it; null when unchanged. */
  readonly previousPrescription: Prescription | null;
  /** Every amendment, oldest first, volume corrections with their state. */
  readonly amendments: readonly RefillAmendment[];
  /** The volume correction waiting for a second clinician, if any. */
  readonly pendingAmendment: RefillAmendment | null;
  readonly effective: EffectiveRefillFields;
  readonly names: ReadonlyMap<string, string>;
  readonly needsReview: boolean;
  /** The review must record that the patient was checked for signs of withdrawal. */
  readonly needsWithdrawalCheck: boolean;
  readonly dueOn: string;
}

/** A refill with everything its page and the API show, audited as a read of the record. */
export async function refillView(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
): Promise<RefillView> {
  const refill = await loadRefill(deps.db, refillId);
  const [pump, patient, amendments, prescriptions] = await Promise.all([
    loadPump(deps.db, refill.pumpId),
    loadPatient(deps.db, refill.patientId),
    listAmendments(deps.db, refill.id),
    findPrescriptionsByIds(deps.db, [refill.prescriptionId]),
  ]);
  const prescription = prescriptions[0] ?? null;
  const pair = prescription?.refillId === refill.id ? await withPrevious(deps, prescription) : null;
  const names = await displayNames(
    deps.db,
    [
      refill.performedBy,
      refill.checkedBy,
      refill.reviewedBy,
      refill.voidedBy,
      ...amendments.flatMap((a) => [a.amendedBy, a.decidedBy]),
    ].filter((x): x is string => x !== null),
  );
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'refill.view',
      outcome: 'success',
      entityType: 'refill',
      entityId: refill.id,
      patientId: refill.patientId,
    }),
  );
  return {
    patient,
    pump,
    model: modelOf(pump),
    refill,
    prescription,
    previousPrescription: pair?.previous ?? null,
    amendments,
    pendingAmendment: amendments.find((a) => a.state === 'pending') ?? null,
    effective: effectiveRefill(refill, amendments),
    names,
    needsReview: needsReview(refill),
    needsWithdrawalCheck: needsWithdrawalCheck(refill.flags),
    dueOn: workingDayOnOrBefore(refill.dueBy, closedDaysAround(deps, serviceToday(deps))),
  };
}
