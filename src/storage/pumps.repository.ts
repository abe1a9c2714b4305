import type { PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import type { Origin, Phase } from '../domain/dose-change.ts';
import type { DoseProgramme } from '../domain/dose-programme.ts';
import type { AppointmentKind, PumpAppointmentState } from '../domain/pump-appointment-input.ts';
import type { PumpEventKind } from '../domain/pump-event-input.ts';
import type { PumpState } from '../domain/pump-lifecycle.ts';
import type {
  DbOrTrx,
  PrescriptionsTable,
  PumpAppointmentsTable,
  PumpEventsTable,
  PumpsTable,
} from './database.ts';

export type { PumpState };

export interface Pump {
  readonly id: string;
  readonly patientId: string;
  readonly modelId: string;
  readonly reservoirMl: number;
  readonly serialNumber: string;
  readonly implantedOn: PlainDate;
  readonly surgeon: string;
  readonly alarmMl: number;
  readonly catheterModel: string | null;
  readonly catheterTipLevel: string | null;
  readonly origin: Origin;
  readonly state: PumpState;
  readonly eriOn: PlainDate | null;
  readonly endedOn: PlainDate | null;
  readonly replacesPumpId: string | null;
  readonly lastRefillId: string | null;
  readonly alarmOn: PlainDate | null;
  readonly refillDueBy: PlainDate | null;
  readonly reviewsHeld: number;
  readonly refillDueOn: PlainDate | null;
  readonly nextReviewOn: PlainDate;
  readonly replaceBy: PlainDate;
  /** While a pause is open: the date it began and the date the pump is due to resume. */
  readonly pausedOn: PlainDate | null;
  readonly resumeBy: PlainDate | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

// Only validated input is ever stored (the domain input files run before every insert), so the
// enumerations and dates hold what their types say.
export function rowToPump(r: PumpsTable): Pump {
  return {
    id: r.id,
    patientId: r.patient_id,
    modelId: r.model_id,
    reservoirMl: r.reservoir_ml,
    serialNumber: r.serial_number,
    implantedOn: r.implanted_on as PlainDate,
    surgeon: r.surgeon,
    alarmMl: r.alarm_ml,
    catheterModel: r.catheter_model,
    catheterTipLevel: r.catheter_tip_level,
    origin: r.origin as Origin,
    state: r.state as PumpState,
    eriOn: r.eri_on as PlainDate | null,
    endedOn: r.ended_on as PlainDate | null,
    replacesPumpId: r.replaces_pump_id,
    lastRefillId: r.last_refill_id,
    alarmOn: r.alarm_on as PlainDate | null,
    refillDueBy: r.refill_due_by as PlainDate | null,
    reviewsHeld: r.reviews_held,
    refillDueOn: r.refill_due_on as PlainDate | null,
    nextReviewOn: r.next_review_on as PlainDate,
    replaceBy: r.replace_by as PlainDate,
    pausedOn: (r.paused_on ?? null) as PlainDate | null,
    resumeBy: (r.resume_by ?? null) as PlainDate | null,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

export async function insertPump(db: DbOrTrx, row: PumpsTable): Promise<void> {
  await db.insertInto('pumps').values(row).execute();
}

export async function findPumpById(db: DbOrTrx, id: string): Promise<Pump | null> {
  const row = await db.selectFrom('pumps').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToPump(row) : null;
}

export async function findPumpBySerial(db: DbOrTrx, modelId: string, serial: string): Promise<Pump | null> {
  const row = await db
    .selectFrom('pumps')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('serial_number', '=', serial)
    .executeTakeFirst();
  return row ? rowToPump(row) : null;
}

export async function listPumpsForPatient(db: DbOrTrx, patientId: string): Promise<Pump[]> {
  const rows = await db
    .selectFrom('pumps')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('implanted_on', 'desc')
    .execute();
  return rows.map(rowToPump);
}

/** Updates the pump only if nobody else has since (optimistic locking); false when stale. */
export async function updatePumpIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<PumpsTable>,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('pumps')
    .set({ ...changes, updated_by: by, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface PumpEvent {
  readonly id: string;
  readonly pumpId: string;
  readonly kind: PumpEventKind;
  readonly occurredOn: PlainDate;
  readonly note: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export async function insertPumpEvent(db: DbOrTrx, row: PumpEventsTable): Promise<void> {
  await db.insertInto('pump_events').values(row).execute();
}

export async function listPumpEvents(db: DbOrTrx, pumpId: string): Promise<PumpEvent[]> {
  const rows = await db
    .selectFrom('pump_events')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('occurred_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pumpId: r.pump_id,
    kind: r.kind as PumpEventKind,
    occurredOn: r.occurred_on as PlainDate,
    note: r.note,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  }));
}

export type PrescriptionState = 'pending' | 'active' | 'superseded' | 'rejected';

export interface Prescription {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly previousId: string | null;
  readonly drug: string;
  readonly concentrationMcgPerMl: number;
  readonly programme: DoseProgramme;
  readonly doseMcgPerDay: number;
  readonly planningDoseMcgPerDay: number;
  readonly phase: Phase;
  readonly comparedDoseMcgPerDay: number | null;
  readonly changePercent: number | null;
  readonly limitPercent: number | null;
  readonly withinLimit: boolean | null;
  readonly reason: string | null;
  readonly state: PrescriptionState;
  readonly refillId: string | null;
  readonly proposedAt: string;
  readonly proposedBy: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
  readonly version: number;
  /** The day the pump was programmed with it; null while a change outside a refill is pending. */
  readonly programmedOn: PlainDate | null;
  /** The clinical warnings it was accepted with (the reason explains them); [] when none. */
  readonly warnings: readonly ClinicalWarning[];
  /** Whose titration limits the change was held to; null against the test dose or when not recorded. */
  readonly limitPhase: Phase | null;
}

function rowToPrescription(r: PrescriptionsTable): Prescription {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    previousId: r.previous_id,
    drug: r.drug,
    concentrationMcgPerMl: r.concentration_mcg_per_ml,
    programme: JSON.parse(r.programme) as DoseProgramme,
    doseMcgPerDay: r.dose_mcg_per_day,
    planningDoseMcgPerDay: r.planning_dose_mcg_per_day,
    phase: r.phase as Phase,
    comparedDoseMcgPerDay: r.compared_dose_mcg_per_day,
    changePercent: r.change_percent,
    limitPercent: r.limit_percent,
    withinLimit: r.within_limit === null ? null : r.within_limit === 1,
    reason: r.reason,
    state: r.state as PrescriptionState,
    refillId: r.refill_id,
    proposedAt: r.proposed_at,
    proposedBy: r.proposed_by,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    decisionNote: r.decision_note,
    version: r.version,
    programmedOn: (r.programmed_on ?? null) as PlainDate | null,
    warnings: JSON.parse(r.warnings) as ClinicalWarning[],
    limitPhase: r.limit_phase as Phase | null,
  };
}

export async function insertPrescription(db: DbOrTrx, row: PrescriptionsTable): Promise<void> {
  await db.insertInto('prescriptions').values(row).execute();
}

export async function findPrescriptionById(db: DbOrTrx, id: string): Promise<Prescription | null> {
  const row = await db.selectFrom('prescriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToPrescription(row) : null;
}

export async function findPrescriptionsByIds(db: DbOrTrx, ids: readonly string[]): Promise<Prescription[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('prescriptions').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToPrescription);
}

export async function findActivePrescription(db: DbOrTrx, pumpId: string): Promise<Prescription | null> {
  const row = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return row ? rowToPrescription(row) : null;
}

export async function findPendingPrescription(db: DbOrTrx, pumpId: string): Promise<Prescription | null> {
  const row = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row ? rowToPrescription(row) : null;
}

/**
 * The confirmed prescription that was running at `instant` (ISO): confirmed by then and not yet
 * replaced by then. The dose-change guardrail compares with the dose 24 h before [CMSC].
 */
export async function findPrescriptionInEffectAt(
  db: DbOrTrx,
  pumpId: string,
  instant: string,
): Promise<Prescription | null> {
  const rows = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', 'in', ['active', 'superseded'])
    .where('decided_at', '<=', instant)
    .orderBy('decided_at', 'desc')
    .limit(1)
    .execute();
  const row = rows[0];
  return row ? rowToPrescription(row) : null;
}

export async function listPrescriptions(db: DbOrTrx, pumpId: string): Promise<Prescription[]> {
  const rows = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('proposed_at', 'desc')
    .execute();
  return rows.map(rowToPrescription);
}

export async function updatePrescriptionIfState(
  db: DbOrTrx,
  id: string,
  fromState: PrescriptionState,
  changes: Partial<PrescriptionsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('prescriptions')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', fromState)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface PumpAppointment {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly kind: AppointmentKind;
  readonly onDate: PlainDate;
  readonly state: PumpAppointmentState;
  readonly note: string | null;
  readonly createdBy: string;
  readonly version: number;
}

function rowToAppointment(r: PumpAppointmentsTable): PumpAppointment {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    kind: r.kind as AppointmentKind,
    onDate: r.on_date as PlainDate,
    state: r.state as PumpAppointmentState,
    note: r.note,
    createdBy: r.created_by,
    version: r.version,
  };
}

export async function insertPumpAppointment(db: DbOrTrx, row: PumpAppointmentsTable): Promise<void> {
  await db.insertInto('pump_appointments').values(row).execute();
}

export async function findPumpAppointment(db: DbOrTrx, id: string): Promise<PumpAppointment | null> {
  const row = await db.selectFrom('pump_appointments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToAppointment(row) : null;
}

export async function listPumpAppointments(db: DbOrTrx, pumpId: string): Promise<PumpAppointment[]> {
  const rows = await db
    .selectFrom('pump_appointments')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('on_date', 'desc')
    .execute();
  return rows.map(rowToAppointment);
}

export async function updateAppointmentIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<PumpAppointmentsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('pump_appointments')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Keeps the pump's earliest booked refill date in step with its appointments; called in the same
 * transaction as every booking, update and settlement. Derived, so the version is left alone.
 */
export async function refreshBookedRefill(db: DbOrTrx, pumpId: string): Promise<void> {
  const row = await db
    .selectFrom('pump_appointments')
    .select((eb) => eb.fn.min<string | null>('on_date').as('first_on'))
    .where('pump_id', '=', pumpId)
    .where('kind', '=', 'refill')
    .where('state', '=', 'booked')
    .executeTakeFirst();
  await db
    .updateTable('pumps')
    .set({ refill_booked_on: row?.first_on ?? null })
    .where('id', '=', pumpId)
    .execute();
}

/** Cancels every appointment still booked for a pump that has ended (explant, death, transfer, replacement). */
export async function cancelBookedAppointments(
  db: DbOrTrx,
  pumpId: string,
  note: string,
  by: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('pump_appointments')
    .set((eb) => ({
      state: 'cancelled',
      note,
      updated_at: at,
      updated_by: by,
      version: eb('version', '+', 1),
    }))
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'booked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Booked refill appointments on or before `date`: settled when a refill on `date` is signed. */
export async function bookedRefillsOnOrBefore(
  db: DbOrTrx,
  pumpId: string,
  date: PlainDate,
): Promise<PumpAppointment[]> {
  const rows = await db
    .selectFrom('pump_appointments')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('kind', '=', 'refill')
    .where('state', '=', 'booked')
    .where('on_date', '<=', date)
    .execute();
  return rows.map(rowToAppointment);
}
