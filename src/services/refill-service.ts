import { today as serviceToday } from './clock.ts';
import { randomUUID } from 'node:crypto';
import { formatPlainDate } from '../domain/calendar-date.ts';
import { warningsForOutput } from '../domain/clinical-warning.ts';
import { describeProgramme } from '../domain/dose-programme.ts';
import { validateRefillInput, type RefillInput } from '../domain/refill-input.ts';
import { dailyVolumeMl, refillPlan, refillPlanErrors, type RefillPlan } from '../domain/refill-arithmetic.ts';
import { refillFindings } from '../domain/refill-findings.ts';
import { patientRefillSummary } from '../domain/refill-summary.ts';
import { workingDayOnOrBefore } from '../domain/working-days.ts';
import type { Trx } from '../storage/database.ts';
import {
  bookedRefillsOnOrBefore,
  refreshBookedRefill,
  updateAppointmentIfVersion,
} from '../storage/pump-appointments.repository.ts';
import {
  findActivePrescription,
  findPendingPrescription,
  findPrescriptionById,
  insertPrescription,
  type Prescription,
} from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import {
  findRefillById,
  insertRefill,
  latestRefillForPump,
  updateRefillIfVersion,
  type Refill,
} from '../storage/refills.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { loadFillToJudge } from './fill-history.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { draftPrescription } from './prescription-draft.ts';
import { activatePrescription } from './prescription-service.ts';
import { closedDaysAround, loadPump, oneAtATime, savePump } from './pump-service.ts';
import {
  loadRefill,
  needsReview,
  requireUnsigned,
  reviewNeededMessage,
  type RefillServiceDeps,
} from './refill-common.ts';

/**
 * Refills: recording one (its findings, its plan, any programme change) and the second
 * clinician's signature. The review and the checker's rejection are in refill-review-service.ts,
 * corrections in refill-amendment-service.ts, the page's view in refill-view-service.ts; they are
 * exported from here too, so callers keep one place to import refills from.
 */
export { needsReview, type RefillServiceDeps } from './refill-common.ts';
export { rejectRefill, reviewRefill } from './refill-review-service.ts';
export {
  amendRefill,
  confirmRefillAmendment,
  rejectRefillAmendment,
  type EffectiveRefillFields,
} from './refill-amendment-service.ts';
export { refillView, type RefillView } from './refill-view-service.ts';

/** The refill field names the plan's errors map to (fillMl is the volume instilled). */
const PLAN_FIELDS: Readonly<Record<string, string>> = {
  fillMl: 'instilledMl',
  reservoirMl: 'instilledMl',
  concentrationMcgPerMl: 'concentrationMcgPerMl',
  alarmMl: 'alarmMl',
};

async function prescriptionAfterRefill(
  trx: Trx,
  deps: RefillServiceDeps,
  actor: Actor,
  pump: Pump,
  v: RefillInput,
  refillId: string,
): Promise<{
  row: Prescription | null;
  prescription: { planning: number; description: string; id: string };
}> {
  if (v.newPrescription !== null) {
    if (await findPendingPrescription(trx, pump.id)) {
      throw new AppError(
        'INVALID_STATE',
        'A change to this pump’s prescription is already waiting to be checked: confirm or reject it before changing the programme at a refill',
      );
    }
    const row = await draftPrescription(trx, deps, actor, pump, v.newPrescription, 'newPrescription.', {
      id: refillId,
      performedOn: v.performedOn,
    });
    return {
      row,
      prescription: {
        planning: row.planningDoseMcgPerDay,
        description: describeProgramme(v.newPrescription.programme),
        id: row.id,
      },
    };
  }
  const active = await findActivePrescription(trx, pump.id);
  if (!active) {
    throw validationError([
      {
        field: 'newPrescription',
        message: 'This pump has no confirmed prescription: enter the programme set at this refill',
      },
    ]);
  }
  // A refill at another strength without reprogramming the pump is an overdose or withdrawal
  // waiting to happen (hazard H-020, wrong concentration).
  if (active.concentrationMcgPerMl !== v.concentrationMcgPerMl) {
    throw validationError([
      {
        field: 'concentrationMcgPerMl',
        message: `Concentration ${v.concentrationMcgPerMl} mcg/mL differs from the prescription's ${active.concentrationMcgPerMl} mcg/mL: enter the new programme for the new concentration, or correct the concentration`,
      },
    ]);
  }
  return {
    row: null,
    prescription: {
      planning: active.planningDoseMcgPerDay,
      description: describeProgramme(active.programme),
      id: active.id,
    },
  };
}

/**
 * Records a refill as done: the residual check, the new plan (alarm and due dates) and any
 * programme change, all in one transaction. It does not count until a second clinician signs it.
 */
export async function recordRefill(
  deps: RefillServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<Refill> {
  requirePermission(actor, 'refill:record', 'Only clinicians who refill pumps can record a refill');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      if (pump.state !== 'implanted') {
        throw refused('PUMP_NOT_IMPLANTED', 'This pump is no longer implanted');
      }
      const latest = await latestRefillForPump(trx, pumpId);
      if (latest?.state === 'recorded') {
        throw refused(
          'PREVIOUS_REFILL_UNSIGNED',
          'The last refill of this pump has not been checked and signed yet',
        );
      }
      const today = serviceToday(deps);
      const rules = deps.config.pumpRules;
      const result = validateRefillInput(raw, {
        today,
        implantedOn: pump.implantedOn,
        reservoirMl: pump.reservoirMl,
        lastRefillOn: latest?.performedOn ?? null,
        ranges: rules.hardLimits,
      });
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      const id = randomUUID();
      const { row, prescription } = await prescriptionAfterRefill(trx, deps, actor, pump, v, id);
      const planInput = {
        reservoirMl: pump.reservoirMl,
        fillMl: v.instilledMl,
        concentrationMcgPerMl: v.concentrationMcgPerMl,
        doseMcgPerDay: prescription.planning,
        alarmMl: v.alarmMl,
        filledOn: v.performedOn,
        bufferDays: rules.refillBufferDays,
        maxIntervalDays: rules.stabilityDays,
      };
      const planErrors = refillPlanErrors(planInput, rules.hardLimits);
      if (planErrors.length > 0) {
        // The dose comes from the new programme when one was entered, else from the prescription
        // the concentration was checked against.
        const doseField = v.newPrescription
          ? 'newPrescription.programme.doseMcgPerDay'
          : 'concentrationMcgPerMl';
        throw validationError(
          planErrors.map((e) => ({
            ...e,
            field: e.field === 'doseMcgPerDay' ? doseField : (PLAN_FIELDS[e.field] ?? e.field),
          })),
        );
      }
      const plan: RefillPlan = refillPlan(planInput);
      // The fill this refill completes, through every programme since, each from the day the
      // pump was programmed: the software's own expected residual, whether the pump ran dry or
      // was refilled after its alarm, and the programmer's figure checked against it. A pause
      // that only stopped the pump (a SynchroMed for an MRI scan) delivers nothing from its date
      // to its resume date and is followed through; one that emptied the reservoir (a Prometra
      // before a scan) ended that fill, so only the programmer's figure is compared with what
      // came out. The pauses are on the record for the reviewer.
      const judged = await loadFillToJudge(trx, pump, v.performedOn, deps.config.timeZone);
      const findings = refillFindings(
        {
          on: v.performedOn,
          reservoirMl: pump.reservoirMl,
          withdrawnMl: v.withdrawnMl,
          programmerExpectedMl: v.expectedResidualMl,
          fill: judged.fill,
        },
        rules.discrepancy,
      );
      const check = findings.check;
      const patient = await loadPatient(trx, pump.patientId);
      const at = deps.clock.now().toISOString();
      if (row) {
        // A change made at a refill is programmed into the pump at the refill.
        await insertPrescription(trx, { ...row, programmedOn: v.performedOn });
      }
      await insertRefill(trx, {
        id,
        pump_id: pumpId,
        patient_id: pump.patientId,
        performed_on: v.performedOn,
        expected_residual_ml: v.expectedResidualMl,
        withdrawn_ml: v.withdrawnMl,
        discrepancy_ml: check.discrepancyMl,
        discrepancy_percent: check.discrepancyPercent,
        threshold_ml: check.thresholdMl,
        flagged: findings.flagged ? 1 : 0,
        review_note: null,
        reviewed_at: null,
        reviewed_by: null,
        drug: v.drug,
        concentration_mcg_per_ml: v.concentrationMcgPerMl,
        batch: v.batch,
        expires_on: v.expiresOn,
        instilled_ml: v.instilledMl,
        prescription_id: prescription.id,
        alarm_ml: v.alarmMl,
        daily_volume_ml: dailyVolumeMl(prescription.planning, v.concentrationMcgPerMl),
        alarm_on: plan.alarmDate,
        due_by: plan.refillDueBy,
        limited_by: plan.limitedBy,
        complications: JSON.stringify(v.complications),
        complication_note: v.complicationNote,
        patient_note: v.patientNote,
        patient_summary: patientRefillSummary({
          performedOn: v.performedOn,
          instilledMl: v.instilledMl,
          concentrationMcgPerMl: v.concentrationMcgPerMl,
          doseDescription: prescription.description,
          alarmOn: plan.alarmDate,
          dueOn: workingDayOnOrBefore(plan.refillDueBy, closedDaysAround(deps, v.performedOn)),
          bookedOn: null,
          adviceLine: deps.config.service.adviceLine,
          note: v.patientNote,
        }),
        state: 'recorded',
        recorded_at: at,
        performed_by: actor.userId,
        signed_at: null,
        checked_by: null,
        version: 1,
        flags: JSON.stringify(warningsForOutput(findings.flags)),
        ran_dry_on: findings.ranDryOn,
        software_expected_ml: findings.softwareExpectedMl,
        software_expected_with_boluses_ml: findings.softwareExpectedWithBolusesMl,
        withdrawal_signs_checked: null,
        withdrawal_signs_found: null,
        voided_at: null,
        voided_by: null,
        void_reason: null,
      });
      // Until the refill is signed the worklist keeps whichever plan runs out sooner: the fill
      // happened, but its record is not yet checked (the pump page marks it awaiting check).
      if (pump.refillDueBy === null || plan.refillDueBy < pump.refillDueBy) {
        await savePump(trx, deps, actor, pump, {
          refillDueBy: plan.refillDueBy,
          alarmOn: pump.alarmOn !== null && pump.alarmOn < plan.alarmDate ? pump.alarmOn : plan.alarmDate,
        });
      }
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'refill.record',
          outcome: 'success',
          entityType: 'refill',
          entityId: id,
          patientId: patient.id,
          details: {
            pumpId,
            flagged: findings.flagged,
            flags: findings.flags.map((f) => f.code),
            ranDryOn: findings.ranDryOn,
            softwareExpectedMl: findings.softwareExpectedMl,
            emptiedOn: judged.emptiedOn,
            stopped: judged.stopped,
            discrepancyMl: check.discrepancyMl,
            programmeChanged: row !== null,
            dueBy: plan.refillDueBy,
          },
        }),
      );
      return loadRefill(trx, id);
    }),
  );
}

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
  requirePermission(actor, 'dose:check', 'Only clinicians who check doses can sign a refill');
  return oneAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const refill = await loadRefill(trx, refillId);
      requireUnsigned(refill);
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
      if (refill.performedBy === actor.userId) {
        throw validationError([
          {
            field: 'checkedBy',
            message: 'The refill must be checked and signed by a different clinician from the one who did it',
          },
        ]);
      }
      if (needsReview(refill) && refill.reviewNote === null) {
        throw new AppError('INVALID_STATE', reviewNeededMessage(refill));
      }
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
        !(await updateRefillIfVersion(trx, refill.id, refill.version, {
          state: 'signed',
          signed_at: at,
          checked_by: actor.userId,
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
