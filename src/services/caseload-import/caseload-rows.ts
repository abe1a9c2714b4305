import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../../domain/calendar-date.ts';
import type { CaseloadRecord } from '../../domain/caseload-import/row-checks.ts';
import { planningDoseMcgPerDay } from '../../domain/dose-programme.ts';
import { findPumpModel } from '../../domain/pump-device.ts';
import type { PumpRules } from '../../domain/pump-rules.ts';
import { discrepancyThresholdMl } from '../../domain/refill-arithmetic.ts';
import { pumpSchedule } from '../../domain/refill-worklist.ts';
import { nextReviewDue } from '../../domain/review-schedule.ts';
import { patientSearchTerms } from '../../domain/patient-search-key.ts';
import { patientInputToRow } from '../../storage/patients.repository.ts';
import type {
  CaseloadImportRecordsTable,
  PatientSearchTermsTable,
  PatientsTable,
  PrescriptionsTable,
  PumpAppointmentsTable,
  PumpsTable,
  RefillsTable,
} from '../../storage/database.ts';

/** What the import writes as the surgeon when the sheet has no such column. */
export const IMPORTED_SURGEON = 'Not recorded (imported from a caseload file)';
/** The batch of an imported fill: the sheet does not say, and the refill page must not look as if it did. */
export const IMPORTED_BATCH = 'IMPORTED: not recorded';

export interface CaseloadRows {
  readonly patients: PatientsTable[];
  readonly searchTerms: PatientSearchTermsTable[];
  readonly pumps: PumpsTable[];
  readonly prescriptions: PrescriptionsTable[];
  readonly refills: RefillsTable[];
  readonly appointments: PumpAppointmentsTable[];
  readonly records: CaseloadImportRecordsTable[];
}

/** The most reviews counted as held before an import. */
const REVIEWS_BEFORE_LIMIT = 500;

/**
 * How many scheduled reviews fell before the import day: the previous service's reviews are not
 * known, so the pump's next review is the first one due from the import on, rather than every
 * review since the implant showing as overdue at once and hiding the ones that matter.
 */

export function reviewsBefore(rules: PumpRules, implantedOn: PlainDate, today: PlainDate): number {
  const schedule = rules.reviewSchedule;
  const before = (n: number) => nextReviewDue(schedule, implantedOn, n).dueOn < today;
  // The template's few reviews one by one (its offsets are not assumed to be in order)...
  const templateLength = Math.min(schedule.offsets.length, REVIEWS_BEFORE_LIMIT);
  for (let n = 0; n < templateLength; n += 1) {
    if (!before(n)) {
      return n;
    }
  }
  if (schedule.thenEveryMonths <= 0) {
    let n = templateLength;
    while (n < REVIEWS_BEFORE_LIMIT && before(n)) {
      n += 1;
    }
    return n;
  }
  // ...then the repeating reviews, which fall later with each one: the first not before today
  // by halving (a pump implanted decades ago took hundreds of date sums a row one by one).
  let low = templateLength;
  let high = REVIEWS_BEFORE_LIMIT;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (before(mid)) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/**
 * The rows one committed import writes: each patient (or the registered one matched), the pump
 * with the plan of its last fill as the worklist reads it, the prescription in force (active,
 * programmed on the fill day), the last fill as a signed refill that the residual arithmetic
 * counts from (fill-history.ts), and the booked refill. Imported clinical values are marked as
 * imported: the refill's batch and the import record, which the pump page shows.
 */
export function caseloadRows(
  importId: string,
  records: readonly CaseloadRecord[],
  ctx: {
    readonly userId: string;
    readonly at: string;
    readonly today: PlainDate;
    readonly rules: PumpRules;
    readonly closedDays: ReadonlySet<string>;
  },
): CaseloadRows {
  const out: CaseloadRows = {
    patients: [],
    searchTerms: [],
    pumps: [],
    prescriptions: [],
    refills: [],
    appointments: [],
    records: [],
  };
  const { userId: by, at, rules } = ctx;
  // Reviews held by implant date: many pumps of a caseload share one, and each count is a
  // search of date sums.
  const reviewsByImplant = new Map<PlainDate, number>();
  const reviewsHeldFor = (implantedOn: PlainDate): number => {
    let n = reviewsByImplant.get(implantedOn);
    if (n === undefined) {
      n = reviewsBefore(rules, implantedOn, ctx.today);
      reviewsByImplant.set(implantedOn, n);
    }
    return n;
  };
  for (const r of records) {
    const patientId = r.existingPatientId ?? randomUUID();
    if (r.existingPatientId === null) {
      const p = r.patient;
      out.patients.push({
        id: patientId,
        ...patientInputToRow(p),
        created_at: at,
        created_by: by,
        updated_at: at,
        updated_by: by,
        version: 1,
      });
      for (const t of patientSearchTerms(p)) {
        out.searchTerms.push({ patient_id: patientId, part: t.part, term: t.term });
      }
    }
    const pumpId = randomUUID();
    const prescriptionId = randomUUID();
    const refillId = randomUUID();
    const plan = r.fill.plan;
    const reviewsHeld = r.pump.implantDateGiven ? reviewsHeldFor(r.pump.implantedOn) : 0;
    const schedule = pumpSchedule(
      { refillDueBy: plan.refillDueBy, implantedOn: r.pump.implantedOn, reviewsHeld, eriOn: null },
      findPumpModel(r.pump.modelId),
      rules.reviewSchedule,
      ctx.closedDays,
      rules.replacementMarginDays,
    );
    out.pumps.push({
      id: pumpId,
      patient_id: patientId,
      model_id: r.pump.modelId,
      reservoir_ml: r.pump.reservoirMl,
      serial_number: r.pump.serialNumber,
      implanted_on: r.pump.implantedOn,
      surgeon: IMPORTED_SURGEON,
      alarm_ml: r.pump.alarmMl,
      catheter_model: null,
      catheter_tip_level: null,
      origin: r.pump.origin,
      state: 'implanted',
      eri_on: null,
      ended_on: null,
      replaces_pump_id: null,
      last_refill_id: refillId,
      alarm_on: plan.alarmDate,
      refill_due_by: plan.refillDueBy,
      reviews_held: reviewsHeld,
      refill_due_on: schedule.refillDueOn,
      next_review_on: schedule.nextReviewOn,
      replace_by: schedule.replaceBy,
      refill_booked_on: r.nextRefillOn,
      paused_on: null,
      resume_by: null,
      created_at: at,
      created_by: by,
      updated_at: at,
      updated_by: by,
      version: 1,
    });
    const rx = r.prescription;
    out.prescriptions.push({
      id: prescriptionId,
      pump_id: pumpId,
      patient_id: patientId,
      previous_id: null,
      drug: 'baclofen',
      concentration_mcg_per_ml: rx.concentrationMcgPerMl,
      programme: JSON.stringify(rx.programme),
      dose_mcg_per_day: rx.doseMcgPerDay,
      planning_dose_mcg_per_day: planningDoseMcgPerDay(rx.programme),
      // Imported pumps are in maintenance: a pump in titration would be changing dose daily,
      // which a caseload sheet cannot carry (hazard H-216).
      phase: 'maintenance',
      compared_dose_mcg_per_day: null,
      change_percent: null,
      limit_percent: null,
      within_limit: null,
      reason: 'Imported from a caseload file: not yet checked by a second clinician',
      state: 'active',
      refill_id: null,
      proposed_at: at,
      proposed_by: by,
      decided_at: at,
      decided_by: by,
      decision_note: 'Imported from a caseload file',
      version: 1,
      programmed_on: r.fill.filledOn,
      warnings: '[]',
      limit_phase: null,
    });
    out.refills.push({
      id: refillId,
      pump_id: pumpId,
      patient_id: patientId,
      performed_on: r.fill.filledOn,
      // The sheet has no residual: none is claimed (0 withdrawn, 0 expected, nothing flagged).
      expected_residual_ml: 0,
      withdrawn_ml: 0,
      discrepancy_ml: 0,
      discrepancy_percent: null,
      threshold_ml: discrepancyThresholdMl(r.pump.reservoirMl, rules.discrepancy),
      flagged: 0,
      review_note: null,
      reviewed_at: null,
      reviewed_by: null,
      drug: 'baclofen',
      concentration_mcg_per_ml: rx.concentrationMcgPerMl,
      batch: IMPORTED_BATCH,
      expires_on: r.fill.filledOn,
      instilled_ml: r.fill.fillMl,
      prescription_id: prescriptionId,
      alarm_ml: r.pump.alarmMl,
      daily_volume_ml: plan.dailyVolumeMl,
      alarm_on: plan.alarmDate,
      due_by: plan.refillDueBy,
      limited_by: plan.limitedBy,
      complications: '[]',
      complication_note: null,
      patient_note: null,
      patient_summary: null,
      state: 'signed',
      recorded_at: at,
      performed_by: by,
      signed_at: at,
      checked_by: by,
      version: 1,
      flags: '[]',
      ran_dry_on: null,
      software_expected_ml: null,
      software_expected_with_boluses_ml: null,
      withdrawal_signs_checked: null,
      withdrawal_signs_found: null,
      voided_at: null,
      voided_by: null,
      void_reason: null,
    });
    let appointmentId: string | null = null;
    if (r.nextRefillOn !== null) {
      appointmentId = randomUUID();
      out.appointments.push({
        id: appointmentId,
        pump_id: pumpId,
        patient_id: patientId,
        kind: 'refill',
        on_date: r.nextRefillOn,
        state: 'booked',
        note: 'Imported from a caseload file',
        created_at: at,
        created_by: by,
        updated_at: at,
        updated_by: by,
        version: 1,
      });
    }
    out.records.push({
      import_id: importId,
      row_number: r.rowNumber,
      patient_id: patientId,
      patient_created: r.existingPatientId === null ? 1 : 0,
      pump_id: pumpId,
      prescription_id: prescriptionId,
      refill_id: refillId,
      appointment_id: appointmentId,
    });
  }
  return out;
}
