import type { PlainDate } from '../domain/calendar-date.ts';
import type { EpisodeState, PreChecks } from '../domain/test-dose.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, TestDoseEpisodesTable } from './database.ts';

/**
 * Test-dose episodes as stored, with their pre-checks, and the latest positive one a
 * prescription starts from. Their boluses and observations are in test-dose-boluses.repository.ts.
 */

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
  /** When the screening started: entered when recorded afterwards, else when it was recorded. */
  readonly startedAt: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

/** What a change to an open episode may set, besides who changed it and when. */
export type EpisodeChanges = Partial<
  Pick<
    TestDoseEpisode,
    | 'state'
    | 'preChecks'
    | 'startedAt'
    | 'outcomeBolusId'
    | 'abandonReason'
    | 'closedAt'
    | 'closedOn'
    | 'closedBy'
  >
> &
  Pick<TestDoseEpisode, 'updatedAt' | 'updatedBy'>;

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);
const bit = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

// Only validated input is ever stored (test-dose.ts validates before every write), so the state
// and the dates read back hold what their types say.

function episodeFromRow(r: TestDoseEpisodesTable): TestDoseEpisode {
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
    // Episodes recorded before the start was kept started when they were recorded.
    startedAt: r.started_at ?? r.created_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

/** The pre-check columns for a set of answers. */
function preChecksToRow(p: PreChecks) {
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

function episodeToRow(e: TestDoseEpisode): TestDoseEpisodesTable {
  return {
    id: e.id,
    patient_id: e.patientId,
    assessment_id: e.assessmentId,
    state: e.state,
    ...preChecksToRow(e.preChecks),
    outcome_bolus_id: e.outcomeBolusId,
    abandon_reason: e.abandonReason,
    closed_at: e.closedAt,
    closed_on: e.closedOn,
    closed_by: e.closedBy,
    started_at: e.startedAt,
    created_at: e.createdAt,
    created_by: e.createdBy,
    updated_at: e.updatedAt,
    updated_by: e.updatedBy,
    version: e.version,
  };
}

/** The columns a change sets; a field left out of the change leaves its column as it is. */
function episodeChangesToRow(c: EpisodeChanges): Partial<TestDoseEpisodesTable> {
  return {
    ...(c.state === undefined ? {} : { state: c.state }),
    ...(c.preChecks === undefined ? {} : preChecksToRow(c.preChecks)),
    ...(c.startedAt === undefined ? {} : { started_at: c.startedAt }),
    ...(c.outcomeBolusId === undefined ? {} : { outcome_bolus_id: c.outcomeBolusId }),
    ...(c.abandonReason === undefined ? {} : { abandon_reason: c.abandonReason }),
    ...(c.closedAt === undefined ? {} : { closed_at: c.closedAt }),
    ...(c.closedOn === undefined ? {} : { closed_on: c.closedOn }),
    ...(c.closedBy === undefined ? {} : { closed_by: c.closedBy }),
    updated_at: c.updatedAt,
    updated_by: c.updatedBy,
  };
}

export async function insertEpisode(db: DbOrTrx, episode: TestDoseEpisode): Promise<void> {
  await db.insertInto('test_dose_episodes').values(episodeToRow(episode)).execute();
}

export async function findEpisodeById(db: DbOrTrx, id: string): Promise<TestDoseEpisode | undefined> {
  const row = await db.selectFrom('test_dose_episodes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? episodeFromRow(row) : undefined;
}

/** Compiled once: the patient page runs it on every view. */
const episodesOfPatient = compiledOnce((db, patientId) =>
  db
    .selectFrom('test_dose_episodes')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);

/** A patient's episodes, newest first. */
export async function listEpisodesForPatient(db: DbOrTrx, patientId: string): Promise<TestDoseEpisode[]> {
  return (await episodesOfPatient(db, patientId)).map(episodeFromRow);
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
  return row ? episodeFromRow(row) : undefined;
}

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
    .set({ ...episodeChangesToRow(changes), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
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
