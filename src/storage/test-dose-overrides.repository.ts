import type { OverrideState } from '../domain/test-dose-gate.ts';
import type { DbOrTrx, TestDoseOverridesTable } from './database.ts';

/** A consultant's override of the test-dose gate, as stored. */
export interface TestDoseOverride {
  readonly id: string;
  readonly patientId: string;
  readonly reason: string;
  readonly state: OverrideState;
  readonly createdAt: string;
  readonly createdBy: string;
  /** The episode that used it. */
  readonly episodeId: string | null;
  readonly usedAt: string | null;
  readonly usedBy: string | null;
  readonly withdrawnAt: string | null;
  readonly withdrawnBy: string | null;
  readonly withdrawReason: string | null;
  readonly version: number;
}

function overrideFromRow(r: TestDoseOverridesTable): TestDoseOverride {
  // Only validated input is ever stored, so the state holds what its type says.
  return {
    id: r.id,
    patientId: r.patient_id,
    reason: r.reason,
    state: r.state as OverrideState,
    createdAt: r.created_at,
    createdBy: r.created_by,
    episodeId: r.episode_id,
    usedAt: r.used_at,
    usedBy: r.used_by,
    withdrawnAt: r.withdrawn_at,
    withdrawnBy: r.withdrawn_by,
    withdrawReason: r.withdraw_reason,
    version: r.version,
  };
}

function overrideToRow(o: TestDoseOverride): TestDoseOverridesTable {
  return {
    id: o.id,
    patient_id: o.patientId,
    reason: o.reason,
    state: o.state,
    created_at: o.createdAt,
    created_by: o.createdBy,
    episode_id: o.episodeId,
    used_at: o.usedAt,
    used_by: o.usedBy,
    withdrawn_at: o.withdrawnAt,
    withdrawn_by: o.withdrawnBy,
    withdraw_reason: o.withdrawReason,
    version: o.version,
  };
}

export async function insertOverride(db: DbOrTrx, override: TestDoseOverride): Promise<void> {
  await db.insertInto('test_dose_overrides').values(overrideToRow(override)).execute();
}

export async function findOverrideById(db: DbOrTrx, id: string): Promise<TestDoseOverride | undefined> {
  const row = await db.selectFrom('test_dose_overrides').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? overrideFromRow(row) : undefined;
}

/** The patient's override waiting to be used, if any (at most one: a partial unique index). */
export async function findAvailableOverride(
  db: DbOrTrx,
  patientId: string,
): Promise<TestDoseOverride | undefined> {
  const row = await db
    .selectFrom('test_dose_overrides')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('state', '=', 'available')
    .executeTakeFirst();
  return row ? overrideFromRow(row) : undefined;
}

/** The override an episode was started with, if any. */
export async function findOverrideForEpisode(
  db: DbOrTrx,
  episodeId: string,
): Promise<TestDoseOverride | undefined> {
  const row = await db
    .selectFrom('test_dose_overrides')
    .selectAll()
    .where('episode_id', '=', episodeId)
    .executeTakeFirst();
  return row ? overrideFromRow(row) : undefined;
}

/** A patient's overrides, newest first. */
export async function listOverridesForPatient(db: DbOrTrx, patientId: string): Promise<TestDoseOverride[]> {
  const rows = await db
    .selectFrom('test_dose_overrides')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(overrideFromRow);
}

/**
 * Spends an available override on an episode, at the version it was read at. False when someone
 * used or withdrew it first, so one override can never start two episodes.
 */
export async function useOverrideIfAvailable(
  db: DbOrTrx,
  override: { readonly id: string; readonly version: number },
  use: { readonly episodeId: string; readonly at: string; readonly by: string },
): Promise<boolean> {
  const r = await db
    .updateTable('test_dose_overrides')
    .set({
      state: 'used',
      episode_id: use.episodeId,
      used_at: use.at,
      used_by: use.by,
      version: override.version + 1,
    })
    .where('id', '=', override.id)
    .where('version', '=', override.version)
    .where('state', '=', 'available')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Withdraws an available override; false when it was used or withdrawn first. */
export async function withdrawOverrideIfAvailable(
  db: DbOrTrx,
  override: { readonly id: string; readonly version: number },
  withdraw: { readonly reason: string; readonly at: string; readonly by: string },
): Promise<boolean> {
  const r = await db
    .updateTable('test_dose_overrides')
    .set({
      state: 'withdrawn',
      withdrawn_at: withdraw.at,
      withdrawn_by: withdraw.by,
      withdraw_reason: withdraw.reason,
      version: override.version + 1,
    })
    .where('id', '=', override.id)
    .where('version', '=', override.version)
    .where('state', '=', 'available')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
