import type { PlainDate } from '../domain/calendar-date.ts';
import type { PumpModel } from '../domain/pump-device.ts';
import type { RefillContext } from '../domain/refill-input.ts';
import type { Patient } from '../storage/patients.repository.ts';
import { findActivePrescription, type Prescription } from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { latestRefillForPump, type Refill } from '../storage/refills.repository.ts';
import { actorEvent, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { loadPump, modelOf } from './pump-store.ts';
import type { RefillServiceDeps } from './refill-common.ts';

/**
 * What the refill form needs, and nothing more: the pump and its patient for the heading, the
 * active prescription it is filled in from, the refill still awaiting its check, and the rules
 * a new refill is checked against (the same as recordRefill's).
 */
export interface RefillFormContext {
  readonly patient: Patient;
  readonly pump: Pump;
  readonly model: PumpModel;
  readonly active: Prescription | null;
  /** The last refill recorded but not yet signed: no other is recorded until it is. */
  readonly awaitingCheck: Refill | null;
  readonly today: PlainDate;
  /** What a refill is checked against: today, the implant date, the reservoir, the last refill. */
  readonly check: RefillContext;
}

/**
 * The dates and volumes a new refill is checked against. A voided refill does not count: the
 * next is recorded in its place (latestRefillForPump leaves it out).
 */
export function refillInputContext(
  deps: Pick<RefillServiceDeps, 'clock' | 'config'>,
  pump: Pump,
  latest: Refill | null,
): RefillContext {
  return {
    today: serviceToday(deps),
    implantedOn: pump.implantedOn,
    reservoirMl: pump.reservoirMl,
    lastRefillOn: latest?.performedOn ?? null,
    ranges: deps.config.pumpRules.hardLimits,
  };
}

/**
 * The form's context, not audited: recording a refill (and showing the form again after a
 * mistake) is audited as the record, not as a view of the pump.
 */
export async function refillFormContext(
  deps: RefillServiceDeps,
  _actor: Actor,
  pumpId: string,
): Promise<RefillFormContext> {
  const pump = await loadPump(deps.db, pumpId);
  const [patient, active, latest] = await Promise.all([
    loadPatient(deps.db, pump.patientId),
    findActivePrescription(deps.db, pumpId),
    latestRefillForPump(deps.db, pumpId),
  ]);
  const check = refillInputContext(deps, pump, latest);
  return {
    patient,
    pump,
    model: modelOf(pump),
    active,
    awaitingCheck: latest?.state === 'recorded' ? latest : null,
    today: check.today,
    check,
  };
}

/** The empty form opened from the pump page: a view of the patient's pump, audited as one. */
export async function openRefillForm(
  deps: RefillServiceDeps,
  actor: Actor,
  pumpId: string,
): Promise<RefillFormContext> {
  const context = await refillFormContext(deps, actor, pumpId);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'pump.view',
      outcome: 'success',
      entityType: 'pump',
      entityId: pumpId,
      patientId: context.pump.patientId,
    }),
  );
  return context;
}
