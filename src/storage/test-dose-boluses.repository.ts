import type { PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import type { MasEntry } from '../domain/outcome-measures.ts';
import type { BolusRoute } from '../domain/test-dose-bolus.ts';
import type { Observation, SideEffect } from '../domain/test-dose-observation.ts';
import type { TestDoseSuggestion, TestResult } from '../domain/test-dose-result.ts';
import type { DbOrTrx, TestDoseBolusesTable, TestDoseObservationsTable } from './database.ts';

/** The boluses of test-dose episodes as stored, each with its result, and their observations. */

/** The clinician's confirmed result of a bolus. */
export interface BolusResult {
  readonly result: TestResult;
  /** The suggestion as it stood when the result was confirmed. */
  readonly suggestion: TestDoseSuggestion;
  readonly reason: string | null;
  readonly effectHours: number | null;
  readonly adverseReactions: boolean;
  readonly adverseNote: string | null;
  readonly note: string | null;
  readonly decidedAt: string;
  readonly decidedOn: PlainDate;
  readonly decidedBy: string;
}

export interface TestDoseBolus {
  readonly id: string;
  readonly episodeId: string;
  readonly patientId: string;
  readonly sequence: number;
  readonly doseMcg: number;
  readonly concentrationMcgPerMl: number;
  readonly concentrationReason: string | null;
  readonly volumeMl: number;
  readonly ladderDoseMcg: number | null;
  readonly offLadderReason: string | null;
  readonly route: BolusRoute;
  readonly givenAt: string;
  readonly givenBy: string;
  readonly checkedBy: string | null;
  readonly note: string | null;
  readonly recordedAt: string;
  readonly result: BolusResult | null;
  /** The clinical warnings when it was recorded, accepted with the reason kept beside them; null before they were kept. */
  readonly warnings: readonly ClinicalWarning[] | null;
}

export interface TestDoseObservation extends Observation {
  readonly id: string;
  readonly bolusId: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

type ResultColumns = Pick<
  TestDoseBolusesTable,
  | 'result'
  | 'suggestion'
  | 'result_reason'
  | 'effect_hours'
  | 'adverse_reactions'
  | 'adverse_note'
  | 'result_note'
  | 'decided_at'
  | 'decided_on'
  | 'decided_by'
>;

// Only validated input is ever stored (test-dose.ts validates before every write), so the enums
// and JSON lists read back hold what their types say.

function resultFromRow(r: TestDoseBolusesTable): BolusResult | null {
  if (r.result === null || r.decided_at === null || r.decided_by === null) {
    return null;
  }
  return {
    result: r.result as TestResult,
    suggestion: JSON.parse(r.suggestion ?? 'null') as TestDoseSuggestion,
    reason: r.result_reason,
    effectHours: r.effect_hours === null ? null : r.effect_hours,
    adverseReactions: r.adverse_reactions === 1,
    adverseNote: r.adverse_note,
    note: r.result_note,
    decidedAt: r.decided_at,
    decidedOn: (r.decided_on ?? r.decided_at.slice(0, 10)) as PlainDate,
    decidedBy: r.decided_by,
  };
}

function resultToRow(r: BolusResult | null): ResultColumns {
  return {
    result: r?.result ?? null,
    suggestion: r ? JSON.stringify(r.suggestion) : null,
    result_reason: r?.reason ?? null,
    effect_hours: r?.effectHours ?? null,
    adverse_reactions: r ? (r.adverseReactions ? 1 : 0) : null,
    adverse_note: r?.adverseNote ?? null,
    result_note: r?.note ?? null,
    decided_at: r?.decidedAt ?? null,
    decided_on: r?.decidedOn ?? null,
    decided_by: r?.decidedBy ?? null,
  };
}

function bolusFromRow(r: TestDoseBolusesTable): TestDoseBolus {
  return {
    id: r.id,
    episodeId: r.episode_id,
    patientId: r.patient_id,
    sequence: r.sequence,
    doseMcg: r.dose_mcg,
    concentrationMcgPerMl: r.concentration_mcg_per_ml,
    concentrationReason: r.concentration_reason,
    volumeMl: r.volume_ml,
    ladderDoseMcg: r.ladder_dose_mcg === null ? null : r.ladder_dose_mcg,
    offLadderReason: r.off_ladder_reason,
    route: r.route as BolusRoute,
    givenAt: r.given_at,
    givenBy: r.given_by,
    checkedBy: r.checked_by,
    note: r.note,
    recordedAt: r.recorded_at,
    result: resultFromRow(r),
    warnings: r.warnings === null ? null : (JSON.parse(r.warnings) as ClinicalWarning[]),
  };
}

function bolusToRow(b: TestDoseBolus): TestDoseBolusesTable {
  return {
    id: b.id,
    episode_id: b.episodeId,
    patient_id: b.patientId,
    sequence: b.sequence,
    dose_mcg: b.doseMcg,
    concentration_mcg_per_ml: b.concentrationMcgPerMl,
    concentration_reason: b.concentrationReason,
    volume_ml: b.volumeMl,
    ladder_dose_mcg: b.ladderDoseMcg,
    off_ladder_reason: b.offLadderReason,
    route: b.route,
    given_at: b.givenAt,
    given_by: b.givenBy,
    checked_by: b.checkedBy,
    note: b.note,
    recorded_at: b.recordedAt,
    ...resultToRow(b.result),
    warnings: b.warnings === null ? null : JSON.stringify(b.warnings),
  };
}

function observationFromRow(r: TestDoseObservationsTable): TestDoseObservation {
  return {
    id: r.id,
    bolusId: r.bolus_id,
    hour: r.hour,
    observedAt: r.observed_at,
    mas: JSON.parse(r.mas) as MasEntry[],
    pennFrequency: r.penn_frequency,
    heartRateBpm: r.heart_rate_bpm,
    systolicMmHg: r.systolic_mmhg,
    diastolicMmHg: r.diastolic_mmhg,
    respiratoryRatePerMin: r.respiratory_rate_per_min,
    spo2Percent: r.spo2_percent,
    sideEffects: JSON.parse(r.side_effects) as SideEffect[],
    sideEffectNote: r.side_effect_note,
    note: r.note,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  };
}

function observationToRow(o: TestDoseObservation): TestDoseObservationsTable {
  return {
    id: o.id,
    bolus_id: o.bolusId,
    hour: o.hour,
    observed_at: o.observedAt,
    mas: JSON.stringify(o.mas),
    penn_frequency: o.pennFrequency,
    heart_rate_bpm: o.heartRateBpm,
    systolic_mmhg: o.systolicMmHg,
    diastolic_mmhg: o.diastolicMmHg,
    respiratory_rate_per_min: o.respiratoryRatePerMin,
    spo2_percent: o.spo2Percent,
    side_effects: JSON.stringify(o.sideEffects),
    side_effect_note: o.sideEffectNote,
    note: o.note,
    recorded_at: o.recordedAt,
    recorded_by: o.recordedBy,
  };
}

export async function insertBolus(db: DbOrTrx, bolus: TestDoseBolus): Promise<void> {
  await db.insertInto('test_dose_boluses').values(bolusToRow(bolus)).execute();
}

/** An episode's boluses in the order given. */
export async function listBolusesForEpisode(db: DbOrTrx, episodeId: string): Promise<TestDoseBolus[]> {
  const rows = await db
    .selectFrom('test_dose_boluses')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('sequence', 'asc')
    .execute();
  return rows.map(bolusFromRow);
}

/** Every bolus a patient has had, in any episode, in the order given. */
export async function listBolusesForPatient(db: DbOrTrx, patientId: string): Promise<TestDoseBolus[]> {
  const rows = await db
    .selectFrom('test_dose_boluses')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('given_at', 'asc')
    .orderBy('sequence', 'asc')
    .execute();
  return rows.map(bolusFromRow);
}

/** When the patient's latest bolus in any episode was given (the 24-hour rule is per patient). */
export async function latestBolusGivenAt(db: DbOrTrx, patientId: string): Promise<string | null> {
  const row = await db
    .selectFrom('test_dose_boluses')
    .select('given_at')
    .where('patient_id', '=', patientId)
    .orderBy('given_at', 'desc')
    .executeTakeFirst();
  return row?.given_at ?? null;
}

/** Writes a bolus's result once; false when it already had one. */
export async function setBolusResultOnce(
  db: DbOrTrx,
  bolusId: string,
  result: BolusResult,
): Promise<boolean> {
  const r = await db
    .updateTable('test_dose_boluses')
    .set(resultToRow(result))
    .where('id', '=', bolusId)
    .where('result', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertObservation(db: DbOrTrx, observation: TestDoseObservation): Promise<void> {
  await db.insertInto('test_dose_observations').values(observationToRow(observation)).execute();
}

/** Observations of these boluses, by bolus then hour. */
export async function listObservationsForBoluses(
  db: DbOrTrx,
  bolusIds: readonly string[],
): Promise<TestDoseObservation[]> {
  if (bolusIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('test_dose_observations')
    .selectAll()
    .where('bolus_id', 'in', bolusIds)
    .orderBy('bolus_id', 'asc')
    .orderBy('hour', 'asc')
    .execute();
  return rows.map(observationFromRow);
}
