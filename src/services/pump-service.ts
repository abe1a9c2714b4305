import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import { findPumpModel } from '../domain/pump-device.ts';
import { validatePumpEventInput } from '../domain/pump-event-input.ts';
import { validatePumpInput } from '../domain/pump-input.ts';
import { pumpSchedule } from '../domain/refill-worklist.ts';
import type { PumpEvent } from '../storage/pump-events.repository.ts';
import { findPumpById, findPumpBySerial, insertPump, type Pump } from '../storage/pumps.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { logPumpEvent } from './pump-event-log.ts';
import { findPendingEndRequest } from '../storage/pump-lifecycle.repository.ts';
import { requestReplacementEnd } from './pump-end-requests.ts';
import {
  closedDaysAround,
  loadPump,
  requireImplanted,
  savePump,
  type PumpServiceDeps,
} from './pump-store.ts';

/**
 * Registering pumps and recording their events. The other pump services live beside this one
 * (pump-store, pump-appointment-service, pump-overview, pump-end-requests, pump-end-decisions,
 * pump-pause-service), each imported from its own file.
 */

/**
 * Registers an implanted pump and its catheter; one pump per model and serial number. A pump
 * registered as replacing one of the patient's implanted pumps asks for that pump's end (kind
 * replacement), which a different clinician confirms or rejects.
 */
export async function registerPump(
  deps: PumpServiceDeps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<Pump> {
  requirePermission(actor, 'pump:manage', 'Only clinicians who manage pumps can register one');
  return registeredOnce(deps, raw, () =>
    deps.db.transaction().execute(async (trx) => {
      const patient = await loadPatient(trx, patientId);
      const result = validatePumpInput(raw, serviceToday(deps));
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      if (v.implantedOn < (patient.dateOfBirth as PlainDate)) {
        throw validationError([
          { field: 'implantedOn', message: "Implant date must be after the patient's date of birth" },
        ]);
      }
      const replaced = v.replacesPumpId === null ? null : await findPumpById(trx, v.replacesPumpId);
      if (v.replacesPumpId !== null) {
        if (!replaced || replaced.patientId !== patientId || replaced.state !== 'implanted') {
          throw validationError([
            { field: 'replacesPumpId', message: "Choose one of this patient's implanted pumps, or none" },
          ]);
        }
        if (v.implantedOn < replaced.implantedOn) {
          throw validationError([
            { field: 'implantedOn', message: 'The new pump cannot be implanted before the pump it replaces' },
          ]);
        }
        // A request to end the old pump waits for a second clinician's decision; replacing the
        // pump meanwhile would leave that decision hanging on a pump that has gone.
        if (await findPendingEndRequest(trx, replaced.id)) {
          throw refused(
            'END_REQUEST_PENDING',
            'A request to end the pump this one replaces is waiting for confirmation: confirm or reject it first',
          );
        }
      }
      const existing = await findPumpBySerial(trx, v.modelId, v.serialNumber);
      if (existing) {
        throw duplicateSerial(existing.id);
      }
      const id = randomUUID();
      const at = deps.clock.now().toISOString();
      const schedule = pumpSchedule(
        { refillDueBy: null, implantedOn: v.implantedOn, reviewsHeld: 0, eriOn: null },
        findPumpModel(v.modelId),
        deps.config.pumpRules.reviewSchedule,
        closedDaysAround(deps, serviceToday(deps)),
        deps.config.pumpRules.replacementMarginDays,
      );
      await insertPump(trx, {
        id,
        patientId,
        modelId: v.modelId,
        reservoirMl: v.reservoirMl,
        serialNumber: v.serialNumber,
        implantedOn: v.implantedOn,
        surgeon: v.surgeon,
        alarmMl: v.alarmMl,
        catheterModel: v.catheterModel,
        catheterTipLevel: v.catheterTipLevel,
        origin: v.origin,
        state: 'implanted',
        eriOn: null,
        endedOn: null,
        replacesPumpId: v.replacesPumpId,
        lastRefillId: null,
        alarmOn: null,
        refillDueBy: null,
        reviewsHeld: 0,
        ...schedule,
        pausedOn: null,
        resumeBy: null,
        updatedAt: at,
        updatedBy: actor.userId,
        version: 1,
      });
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'pump.create',
          outcome: 'success',
          entityType: 'pump',
          entityId: id,
          patientId,
          details: { modelId: v.modelId, reservoirMl: v.reservoirMl, replacesPumpId: v.replacesPumpId },
        }),
      );
      if (replaced) {
        // The old pump ends only when a different clinician confirms the replacement
        // (pump-end-decisions.ts): until then it stays implanted and on the worklist, marked
        // as ending, with its plan and bookings, so no pump leaves the list on one person's act.
        await requestReplacementEnd(trx, deps, actor, replaced, {
          id,
          serialNumber: v.serialNumber,
          implantedOn: v.implantedOn,
        });
      }
      return loadPump(trx, id);
    }),
  );
}

/**
 * A unique index refusing a registration: someone else registered the same pump, or asked to
 * end the pump it replaces, at the same moment (the checks before the inserts cannot see another
 * transaction's rows on PostgreSQL). A 409, never a 500.
 */
async function registeredOnce<T>(deps: PumpServiceDeps, raw: unknown, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err, 'pumps_serial_uq')) {
      const v = validatePumpInput(raw, serviceToday(deps));
      const existing = v.ok
        ? await findPumpBySerial(deps.db, v.value.modelId, v.value.serialNumber)
        : undefined;
      throw duplicateSerial(existing?.id ?? null);
    }
    if (isUniqueViolation(err, 'pump_end_requests_one_pending_uq')) {
      throw refused(
        'END_REQUEST_PENDING',
        'Someone else asked to end the pump this one replaces at the same moment. Reload the page and check.',
        { cause: err },
      );
    }
    throw err;
  }
}

/** One pump per model and serial number, whether the check or the unique index finds the other. */
function duplicateSerial(existingPumpId: string | null): AppError {
  const message = 'A pump of this model with this serial number is already registered';
  return new AppError('DUPLICATE_PUMP_SERIAL', message, {
    fieldErrors: [{ field: 'serialNumber', message }],
    details: existingPumpId ? { existingPumpId } : {},
  });
}

/** Records a revision, catheter revision, ERI, MRI or other event; an ERI dates the replacement. */
export async function recordPumpEvent(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<PumpEvent> {
  requirePermission(actor, 'pump:manage', 'Only clinicians who manage pumps can record pump events');
  return deps.db.transaction().execute(async (trx) => {
    const pump = await loadPump(trx, pumpId);
    requireImplanted(pump);
    const result = validatePumpEventInput(raw, pump.implantedOn, serviceToday(deps));
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    const event = await logPumpEvent(
      trx,
      actor,
      { pumpId, kind: v.kind, occurredOn: v.occurredOn, note: v.note },
      deps.clock.now().toISOString(),
    );
    // The first ERI counts: a later alarm must never move the replacement date later. Ending
    // kinds (explant, death, transfer, replacement) never reach here (validatePumpEventInput).
    if (v.kind === 'eri' && (pump.eriOn === null || v.occurredOn < pump.eriOn)) {
      await savePump(trx, deps, actor, pump, { eriOn: v.occurredOn });
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump.event',
        outcome: 'success',
        entityType: 'pump',
        entityId: pumpId,
        patientId: pump.patientId,
        details: { kind: v.kind, occurredOn: v.occurredOn },
      }),
    );
    return event;
  });
}
