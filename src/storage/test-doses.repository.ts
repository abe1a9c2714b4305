import type { PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import type { MasEntry } from '../domain/outcome-measures.ts';
import type {
  BolusRoute,
  EpisodeState,
  Observation,
  PreChecks,
  SideEffect,
  TestDoseSuggestion,
  TestResult,
} from '../domain/test-dose.ts';
import type {
  DbOrTrx,
  TestDoseBolusesTable,
  TestDoseEpisodesTable,
  TestDoseObservationsTable,
} from './database.ts';

/** A test-dose episode as stored, with its pre-checks. */
export interface TestDoseEpisode {
  readonly id: string;
  readonly patientId: string;
  readonly assessmentId: string | null;
  readonly state: EpisodeState;
  readonly preChecks: PreChecks;
  readonly outcomeBolusId: string | null;
  readonly abandonReason: string | null;
  readonly closedAt: string | null;
  readonly closedOn: PlainDate | null;
  readonly closedBy: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

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

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);
export const bit = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

// Only validated input is ever stored (test-dose.ts validates before every write), so the enums
// and JSON lists read back hold what their types say.

function rowToEpisode(r: TestDoseEpisodesTable): TestDoseEpisode {
  return {
    id: r.id,
    patientId: r.patient_id,
    assessmentId: r.assessment_id,
    state: r.state as EpisodeState,
    preChecks: {
      noInfection: bool(r.no_infection),
      infectionNote: r.infection_note,
      anticoagulantsReviewed: bool(r.anticoagulants_reviewed),
      anticoagulantNote: r.anticoagulant_note,
      recentBotulinumToxin: bool(r.recent_botulinum_toxin),
      botulinumToxinOn: r.botulinum_toxin_on as PlainDate | null,
      botulinumToxinNote: r.botulinum_toxin_note,
      oralAntispasmodicPlan: r.oral_antispasmodic_plan,
      goals: r.goals,
    },
    outcomeBolusId: r.outcome_bolus_id,
    abandonReason: r.abandon_reason,
    closedAt: r.closed_at,
    closedOn: r.closed_on as PlainDate | null,
    closedBy: r.closed_by,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

function rowToBolus(r: TestDoseBolusesTable): TestDoseBolus {
  const result: BolusResult | null =
    r.result === null || r.decided_at === null || r.decided_by === null
      ? null
      : {
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
    result,
    warnings: r.warnings === null ? null : (JSON.parse(r.warnings) as ClinicalWarning[]),
  };
}

function rowToObservation(r: TestDoseObservationsTable): TestDoseObservation {
  return {
    id: r.id,
    bolusId: r.bolus_id,
    hour: r.hour,
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

/** The pre-check columns for a set of answers. */
export function preCheckColumns(p: PreChecks) {
  return {
    no_infection: bit(p.noInfection),
    infection_note: p.infectionNote,
    anticoagulants_reviewed: bit(p.anticoagulantsReviewed),
    anticoagulant_note: p.anticoagulantNote,
    recent_botulinum_toxin: bit(p.recentBotulinumToxin),
    botulinum_toxin_on: p.botulinumToxinOn,
    botulinum_toxin_note: p.botulinumToxinNote,
    oral_antispasmodic_plan: p.oralAntispasmodicPlan,
    goals: p.goals,
  };
}

export async function insertEpisode(db: DbOrTrx, row: TestDoseEpisodesTable): Promise<void> {
  await db.insertInto('test_dose_episodes').values(row).execute();
}

export async function findEpisodeById(db: DbOrTrx, id: string): Promise<TestDoseEpisode | undefined> {
  const row = await db.selectFrom('test_dose_episodes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToEpisode(row) : undefined;
}

/** A patient's episodes, newest first. */
export async function listEpisodesForPatient(db: DbOrTrx, patientId: string): Promise<TestDoseEpisode[]> {
  const rows = await db
    .selectFrom('test_dose_episodes')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(rowToEpisode);
}

export async function findOpenEpisodeForPatient(
  db: DbOrTrx,
  patientId: string,
): Promise<TestDoseEpisode | undefined> {
  const row = await db
    .selectFrom('test_dose_episodes')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return row ? rowToEpisode(row) : undefined;
}

export type EpisodeChanges = Partial<
  Pick<
    TestDoseEpisodesTable,
    | 'state'
    | 'no_infection'
    | 'infection_note'
    | 'anticoagulants_reviewed'
    | 'anticoagulant_note'
    | 'recent_botulinum_toxin'
    | 'botulinum_toxin_on'
    | 'botulinum_toxin_note'
    | 'oral_antispasmodic_plan'
    | 'goals'
    | 'outcome_bolus_id'
    | 'abandon_reason'
    | 'closed_at'
    | 'closed_on'
    | 'closed_by'
  >
> &
  Pick<TestDoseEpisodesTable, 'updated_at' | 'updated_by'>;

/**
 * Changes an open episode at the version it was read at, moving the version on. False when
 * another request changed or closed it first (the caller refuses, so two boluses or results
 * can never both pass their checks against the same state).
 */
export async function updateOpenEpisodeIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: EpisodeChanges,
): Promise<boolean> {
  const r = await db
    .updateTable('test_dose_episodes')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertBolus(db: DbOrTrx, row: TestDoseBolusesTable): Promise<void> {
  await db.insertInto('test_dose_boluses').values(row).execute();
}

/** An episode's boluses in the order given. */
export async function listBolusesForEpisode(db: DbOrTrx, episodeId: string): Promise<TestDoseBolus[]> {
  const rows = await db
    .selectFrom('test_dose_boluses')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .orderBy('sequence', 'asc')
    .execute();
  return rows.map(rowToBolus);
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
  return rows.map(rowToBolus);
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

export type BolusResultColumns = Pick<
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

/** Writes a bolus's result once; false when it already had one. */
export async function setBolusResultOnce(
  db: DbOrTrx,
  bolusId: string,
  columns: BolusResultColumns,
): Promise<boolean> {
  const r = await db
    .updateTable('test_dose_boluses')
    .set(columns)
    .where('id', '=', bolusId)
    .where('result', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertObservation(db: DbOrTrx, row: TestDoseObservationsTable): Promise<void> {
  await db.insertInto('test_dose_observations').values(row).execute();
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
  return rows.map(rowToObservation);
}

export interface PositiveTestDose {
  readonly episodeId: string;
  readonly doseMcg: number;
  readonly effectHours: number;
  readonly adverseReactions: boolean;
  /** The calendar date the clinician confirmed the positive result (service time zone). */
  readonly decidedOn: PlainDate;
}

/**
 * The patient's latest positive test dose: the effective bolus of their most recently confirmed
 * positive episode, or null. The prescription form suggests the starting dose from it with
 * startingDose() (dose-change.ts) [LABEL-SKY], [CHEO].
 */
export async function latestPositiveTestDose(
  db: DbOrTrx,
  patientId: string,
): Promise<PositiveTestDose | null> {
  const row = await db
    .selectFrom('test_dose_episodes as e')
    .innerJoin('test_dose_boluses as b', 'b.id', 'e.outcome_bolus_id')
    .select(['e.id', 'b.dose_mcg', 'b.effect_hours', 'b.adverse_reactions', 'b.decided_on', 'b.decided_at'])
    .where('e.patient_id', '=', patientId)
    .where('e.state', '=', 'positive')
    .where('b.result', '=', 'positive')
    .orderBy('b.decided_at', 'desc')
    .executeTakeFirst();
  if (!row || row.effect_hours === null || row.decided_at === null) {
    return null;
  }
  return {
    episodeId: row.id,
    doseMcg: row.dose_mcg,
    effectHours: row.effect_hours,
    adverseReactions: row.adverse_reactions === 1,
    decidedOn: (row.decided_on ?? row.decided_at.slice(0, 10)) as PlainDate,
  };
}
