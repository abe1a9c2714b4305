import { formatPlainDate } from '../domain/calendar-date.ts';
import {
  bookedRefillsOnOrBefore,
  refreshBookedRefill,
  updateAppointmentIfVersion,
} from '../storage/pump-appointments.repository.ts';
import { findPrescriptionById } from '../storage/prescriptions.repository.ts';
import { findRefillById, updateRefillIfVersion, type Refill } from '../storage/refills.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { activatePrescription } from './prescription-service.ts';
import { loadPump, oneAtATime, savePump } from './pump-store.ts';
import {
  loadRefill,
  refuseUnlessAllowed,
  requireRefillPermission,
  type RefillServiceDeps,
} from './refill-common.ts';

/**
 * The second clinician checks and signs. Only then does the refill count: the pump's alarm and
 * due dates move to this fill, a programme change made at the refill becomes active, and the
 * booked refill appointment is settled. The checker is never the person who did the refill.
 */
export async function signRefill(
  deps: RefillServiceDeps,
  actor: Actor,
  refillId: string,
  raw: { version?: unknown },
): Promise<Refill> {
  requireRefillPermission(actor, 'sign');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const refill = await loadRefill(trx, refillId);
      refuseUnlessAllowed('sign', refill, actor, { only: ['VOIDED', 'SIGNED'] });
      // The signer must have seen the record as it stands, review included.
      if (typeof raw.version !== 'number') {
        throw validationError([{ field: 'version', message: 'Give the version of the refill you checked' }]);
      }
      if (raw.version !== refill.version) {
        throw new AppError(
          'STALE_EDIT',
          'This refill changed after you opened it (a review was added). Check it again.',
        );
      }
      // Then the four-eyes rule, and the review a finding needs.
      refuseUnlessAllowed('sign', refill, actor);
      const prescription = await findPrescriptionById(trx, refill.prescriptionId);
      if (prescription?.state === 'pending' && prescription.refillId === refill.id) {
        await activatePrescription(trx, deps, actor, prescription, null, null);
        await appendAudit(
          trx,
          deps.clock,
          actorEvent(actor, {
            action: 'prescription.confirm',
            outcome: 'success',
            entityType: 'prescription',
            entityId: prescription.id,
            patientId: prescription.patientId,
            details: {
              pumpId: prescription.pumpId,
              proposedBy: prescription.proposedBy,
              refillId: refill.id,
            },
          }),
        );
      } else if (prescription?.state !== 'active') {
        throw new AppError(
          'STALE_EDIT',
          'The prescription this refill was recorded against has changed since. Record the refill again.',
        );
      }
      const at = deps.clock.now().toISOString();
      if (
        !(await updateRefillIfVersion(trx, refill, {
          state: 'signed',
          signedAt: at,
          checkedBy: actor.userId,
        }))
      ) {
        throw new AppError(
          'STALE_EDIT',
          'This refill was changed by someone else. Reload it and check it again.',
        );
      }
      const pump = await loadPump(trx, refill.pumpId);
      const previousLastRefill = pump.lastRefillId ? await findRefillById(trx, pump.lastRefillId) : null;
      await savePump(trx, deps, actor, pump, {
        lastRefillId: refill.id,
        alarmOn: refill.alarmOn,
        refillDueBy: refill.dueBy,
      });
      // Bookings for the cycle this refill completes are settled: the one on the day attended,
      // earlier ones missed, later ones up to the old due date cancelled (done early), so none
      // of them counts as the next refill's booking.
      const cycleEnd =
        previousLastRefill && previousLastRefill.dueBy > refill.performedOn
          ? previousLastRefill.dueBy
          : refill.performedOn;
      const settled: { id: string; state: string }[] = [];
      for (const appt of await bookedRefillsOnOrBefore(trx, pump.id, cycleEnd)) {
        const state =
          appt.onDate === refill.performedOn
            ? 'attended'
            : appt.onDate < refill.performedOn
              ? 'missed'
              : 'cancelled';
        const note =
          state === 'cancelled' ? `Refilled earlier, on ${formatPlainDate(refill.performedOn)}` : appt.note;
        await updateAppointmentIfVersion(trx, appt.id, appt.version, { state, note }, actor.userId, at);
        settled.push({ id: appt.id, state });
      }
      await refreshBookedRefill(trx, pump.id);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'refill.sign',
          outcome: 'success',
          entityType: 'refill',
          entityId: refill.id,
          patientId: refill.patientId,
          details: {
            pumpId: refill.pumpId,
            performedBy: refill.performedBy,
            prescriptionId: refill.prescriptionId,
            alarmOn: refill.alarmOn,
            dueBy: refill.dueBy,
            appointmentsSettled: settled,
          },
        }),
      );
      return loadRefill(trx, refill.id);
    }),
  );
}
