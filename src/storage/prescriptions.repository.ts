import type { PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import type { Phase } from '../domain/dose-change.ts';
import type { DoseProgramme } from '../domain/dose-programme.ts';
import { changedColumns } from './column-changes.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, PrescriptionsTable } from './database.ts';

/** A pump's prescriptions: proposed, confirmed by a second clinician, then superseded. */

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

/** What a decision changes: the new state and, when decided, who decided, when and why. */
export type PrescriptionChanges = Pick<Prescription, 'state'> &
  Partial<Pick<Prescription, 'decidedAt' | 'decidedBy' | 'decisionNote' | 'programmedOn'>>;

const CHANGE_COLUMNS = {
  state: 'state',
  decidedAt: 'decided_at',
  decidedBy: 'decided_by',
  decisionNote: 'decision_note',
  programmedOn: 'programmed_on',
} as const satisfies Record<keyof PrescriptionChanges, keyof PrescriptionsTable>;

function fromRow(r: PrescriptionsTable): Prescription {
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

function toRow(p: Prescription): PrescriptionsTable {
  return {
    id: p.id,
    pump_id: p.pumpId,
    patient_id: p.patientId,
    previous_id: p.previousId,
    drug: p.drug,
    concentration_mcg_per_ml: p.concentrationMcgPerMl,
    programme: JSON.stringify(p.programme),
    dose_mcg_per_day: p.doseMcgPerDay,
    planning_dose_mcg_per_day: p.planningDoseMcgPerDay,
    phase: p.phase,
    compared_dose_mcg_per_day: p.comparedDoseMcgPerDay,
    change_percent: p.changePercent,
    limit_percent: p.limitPercent,
    within_limit: p.withinLimit === null ? null : p.withinLimit ? 1 : 0,
    reason: p.reason,
    state: p.state,
    refill_id: p.refillId,
    proposed_at: p.proposedAt,
    proposed_by: p.proposedBy,
    decided_at: p.decidedAt,
    decided_by: p.decidedBy,
    decision_note: p.decisionNote,
    version: p.version,
    programmed_on: p.programmedOn,
    warnings: JSON.stringify(p.warnings),
    limit_phase: p.limitPhase,
  };
}

function changesToRow(changes: PrescriptionChanges): Partial<PrescriptionsTable> {
  return changedColumns(changes, CHANGE_COLUMNS) as Partial<PrescriptionsTable>;
}

export async function insertPrescription(db: DbOrTrx, prescription: Prescription): Promise<void> {
  await db.insertInto('prescriptions').values(toRow(prescription)).execute();
}

export async function findPrescriptionById(db: DbOrTrx, id: string): Promise<Prescription | null> {
  const row = await db.selectFrom('prescriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function findPrescriptionsByIds(db: DbOrTrx, ids: readonly string[]): Promise<Prescription[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('prescriptions').selectAll().where('id', 'in', ids).execute();
  return rows.map(fromRow);
}

export async function findActivePrescription(db: DbOrTrx, pumpId: string): Promise<Prescription | null> {
  const row = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function findPendingPrescription(db: DbOrTrx, pumpId: string): Promise<Prescription | null> {
  const row = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row ? fromRow(row) : null;
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
  return row ? fromRow(row) : null;
}

export async function listPrescriptions(db: DbOrTrx, pumpId: string): Promise<Prescription[]> {
  const rows = await db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('proposed_at', 'desc')
    .execute();
  return rows.map(fromRow);
}

/**
 * The prescriptions of every pump the patient has or had, in one query (the patient page's, compiled
 * once), in the same order as the per-pump list; the caller groups them by pump.
 */
const prescriptionsOfPatientPumps = compiledOnce((db, patientId) =>
  db
    .selectFrom('prescriptions')
    .selectAll()
    .where('pump_id', 'in', db.selectFrom('pumps').select('id').where('patient_id', '=', patientId))
    .orderBy('proposed_at', 'desc'),
);

export async function listPrescriptionsForPatientPumps(
  db: DbOrTrx,
  patientId: string,
): Promise<Prescription[]> {
  return (await prescriptionsOfPatientPumps(db, patientId)).map(fromRow);
}

/** Changes the prescription only while it is still in `fromState`; false when someone got there first. */
export async function updatePrescriptionIfState(
  db: DbOrTrx,
  id: string,
  fromState: PrescriptionState,
  changes: PrescriptionChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('prescriptions')
    .set((eb) => ({ ...changesToRow(changes), version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('state', '=', fromState)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
