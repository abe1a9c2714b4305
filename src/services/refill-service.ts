import { randomUUID } from 'node:crypto';
import { warningsForOutput } from '../domain/clinical-warning.ts';
import { describeProgramme } from '../domain/dose-programme.ts';
import { validateRefillInput, type RefillInput } from '../domain/refill-input.ts';
import { dailyVolumeMl, refillPlan, refillPlanErrors, type RefillPlan } from '../domain/refill-arithmetic.ts';
import { refillFindings } from '../domain/refill-findings.ts';
import { patientRefillSummary } from '../domain/refill-summary.ts';
import { workingDayOnOrBefore } from '../domain/working-days.ts';
import type { Trx } from '../storage/database.ts';
import {
  findActivePrescription,
  findPendingPrescription,
  insertPrescription,
  type Prescription,
} from '../storage/prescriptions.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { insertRefill, latestRefillForPump, type Refill } from '../storage/refills.repository.ts';
import { refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { loadFillToJudge } from './fill-history.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { draftPrescription } from './prescription-draft.ts';
import { closedDaysAround, loadPump, oneAtATime, savePump } from './pump-store.ts';
import { loadRefill, type RefillServiceDeps } from './refill-common.ts';
import { refillInputContext } from './refill-form-service.ts';

/**
 * Refills: recording one (its findings, its plan, any programme change). The second clinician's
 * signature is in refill-sign-service.ts, the review and the checker's rejection in
 * refill-review-service.ts, corrections in refill-amendment-service.ts, the page's view in
 * refill-view-service.ts; the registry (registry/refills.ts) gathers them for callers.
 */

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
      throw refused(
        'REFILL_PRESCRIPTION_PENDING',
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
      const rules = deps.config.pumpRules;
      const result = validateRefillInput(raw, refillInputContext(deps, pump, latest));
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
        pumpId,
        patientId: pump.patientId,
        performedOn: v.performedOn,
        expectedResidualMl: v.expectedResidualMl,
        withdrawnMl: v.withdrawnMl,
        discrepancyMl: check.discrepancyMl,
        discrepancyPercent: check.discrepancyPercent,
        thresholdMl: check.thresholdMl,
        flagged: findings.flagged,
        reviewNote: null,
        reviewedAt: null,
        reviewedBy: null,
        drug: v.drug,
        concentrationMcgPerMl: v.concentrationMcgPerMl,
        batch: v.batch,
        expiresOn: v.expiresOn,
        instilledMl: v.instilledMl,
        prescriptionId: prescription.id,
        alarmMl: v.alarmMl,
        dailyVolumeMl: dailyVolumeMl(prescription.planning, v.concentrationMcgPerMl),
        alarmOn: plan.alarmDate,
        dueBy: plan.refillDueBy,
        limitedBy: plan.limitedBy,
        complications: v.complications,
        complicationNote: v.complicationNote,
        patientNote: v.patientNote,
        patientSummary: patientRefillSummary({
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
        recordedAt: at,
        performedBy: actor.userId,
        signedAt: null,
        checkedBy: null,
        version: 1,
        flags: warningsForOutput(findings.flags),
        ranDryOn: findings.ranDryOn,
        softwareExpectedMl: findings.softwareExpectedMl,
        softwareExpectedWithBolusesMl: findings.softwareExpectedWithBolusesMl,
        withdrawalSignsChecked: null,
        withdrawalSignsFound: null,
        voidedAt: null,
        voidedBy: null,
        voidReason: null,
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
