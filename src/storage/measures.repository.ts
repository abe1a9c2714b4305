import type { PlainDate } from '../domain/calendar-date.ts';
import type { GasGoal, GmfcsLevel, MasEntry, Occasion } from '../domain/outcome-measures.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, OutcomeMeasureSetsTable } from './database.ts';

/** One occasion's outcome measures, as stored. */
export interface MeasureSet {
  readonly id: string;
  readonly patientId: string;
  readonly recordedOn: PlainDate;
  readonly occasion: Occasion;
  readonly assessmentId: string | null;
  readonly mas: readonly MasEntry[];
  readonly pennFrequency: number | null;
  readonly pennSeverity: number | null;
  readonly gasGoals: readonly GasGoal[];
  readonly gmfcsLevel: GmfcsLevel | null;
  readonly painNrs: number | null;
  readonly note: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}

function measureSetFromRow(r: OutcomeMeasureSetsTable): MeasureSet {
  return {
    id: r.id,
    patientId: r.patient_id,
    recordedOn: r.recorded_on as PlainDate,
    // Only validated sets are ever stored (validateMeasureSetInput runs before every insert),
    // so the enums and the JSON lists hold what their types say.
    occasion: r.occasion as Occasion,
    assessmentId: r.assessment_id,
    mas: JSON.parse(r.mas) as MasEntry[],
    pennFrequency: r.penn_frequency,
    pennSeverity: r.penn_severity,
    gasGoals: JSON.parse(r.gas_goals) as GasGoal[],
    gmfcsLevel: r.gmfcs_level as GmfcsLevel | null,
    painNrs: r.pain_nrs,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

function measureSetToRow(s: MeasureSet): OutcomeMeasureSetsTable {
  return {
    id: s.id,
    patient_id: s.patientId,
    recorded_on: s.recordedOn,
    occasion: s.occasion,
    assessment_id: s.assessmentId,
    mas: JSON.stringify(s.mas),
    penn_frequency: s.pennFrequency,
    penn_severity: s.pennSeverity,
    gas_goals: JSON.stringify(s.gasGoals),
    gmfcs_level: s.gmfcsLevel,
    pain_nrs: s.painNrs,
    note: s.note,
    created_at: s.createdAt,
    created_by: s.createdBy,
  };
}

export async function insertMeasureSet(db: DbOrTrx, s: MeasureSet): Promise<void> {
  await db.insertInto('outcome_measure_sets').values(measureSetToRow(s)).execute();
}

/** Compiled once: the patient page runs it on every view. */
const measureSetsOfPatient = compiledOnce((db, patientId) =>
  db
    .selectFrom('outcome_measure_sets')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('recorded_on', 'asc')
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc'),
);

/** A patient's sets, oldest first (by the date taken, then the time entered), as charts read them. */
export async function listMeasureSetsForPatient(db: DbOrTrx, patientId: string): Promise<MeasureSet[]> {
  return (await measureSetsOfPatient(db, patientId)).map(measureSetFromRow);
}

/** Whether an assessment with this id belongs to this patient (a set may be linked only to one). */
export async function assessmentBelongsToPatient(
  db: DbOrTrx,
  assessmentId: string,
  patientId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('selection_assessments')
    .select('id')
    .where('id', '=', assessmentId)
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AssessmentRef {
  readonly id: string;
  readonly createdAt: string;
  readonly state: string;
}

/** The patient's selection assessments, newest first, for linking a set to one. */
export async function listAssessmentRefsForPatient(db: DbOrTrx, patientId: string): Promise<AssessmentRef[]> {
  const rows = await db
    .selectFrom('selection_assessments')
    .select(['id', 'created_at', 'state'])
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, state: r.state }));
}
