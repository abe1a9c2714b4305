import type { PlainDate } from '../domain/calendar-date.ts';
import type { RefillComplication } from '../domain/pump-inputs.ts';
import type { PlanLimit } from '../domain/refill-arithmetic.ts';
import type { DbOrTrx, RefillAmendmentsTable, RefillsTable } from './database.ts';

export type RefillState = 'recorded' | 'signed';

export interface Refill {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly performedOn: PlainDate;
  readonly expectedResidualMl: number;
  readonly withdrawnMl: number;
  readonly discrepancyMl: number;
  readonly discrepancyPercent: number | null;
  readonly thresholdMl: number;
  readonly flagged: boolean;
  readonly reviewNote: string | null;
  readonly reviewedAt: string | null;
  readonly reviewedBy: string | null;
  readonly drug: string;
  readonly concentrationMcgPerMl: number;
  readonly batch: string;
  readonly expiresOn: PlainDate;
  readonly instilledMl: number;
  readonly prescriptionId: string;
  readonly alarmMl: number;
  readonly dailyVolumeMl: number;
  readonly alarmOn: PlainDate;
  readonly dueBy: PlainDate;
  readonly limitedBy: PlanLimit;
  readonly complications: readonly RefillComplication[];
  readonly complicationNote: string | null;
  readonly patientNote: string | null;
  readonly patientSummary: string | null;
  readonly state: RefillState;
  readonly recordedAt: string;
  readonly performedBy: string;
  readonly signedAt: string | null;
  readonly checkedBy: string | null;
  readonly version: number;
}

function rowToRefill(r: RefillsTable): Refill {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    performedOn: r.performed_on as PlainDate,
    expectedResidualMl: r.expected_residual_ml,
    withdrawnMl: r.withdrawn_ml,
    discrepancyMl: r.discrepancy_ml,
    discrepancyPercent: r.discrepancy_percent,
    thresholdMl: r.threshold_ml,
    flagged: r.flagged === 1,
    reviewNote: r.review_note,
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewed_by,
    drug: r.drug,
    concentrationMcgPerMl: r.concentration_mcg_per_ml,
    batch: r.batch,
    expiresOn: r.expires_on as PlainDate,
    instilledMl: r.instilled_ml,
    prescriptionId: r.prescription_id,
    alarmMl: r.alarm_ml,
    dailyVolumeMl: r.daily_volume_ml,
    alarmOn: r.alarm_on as PlainDate,
    dueBy: r.due_by as PlainDate,
    limitedBy: r.limited_by as PlanLimit,
    complications: JSON.parse(r.complications) as RefillComplication[],
    complicationNote: r.complication_note,
    patientNote: r.patient_note,
    patientSummary: r.patient_summary,
    state: r.state as RefillState,
    recordedAt: r.recorded_at,
    performedBy: r.performed_by,
    signedAt: r.signed_at,
    checkedBy: r.checked_by,
    version: r.version,
  };
}

export async function insertRefill(db: DbOrTrx, row: RefillsTable): Promise<void> {
  await db.insertInto('refills').values(row).execute();
}

export async function findRefillById(db: DbOrTrx, id: string): Promise<Refill | null> {
  const row = await db.selectFrom('refills').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToRefill(row) : null;
}

export async function listRefillsForPump(db: DbOrTrx, pumpId: string): Promise<Refill[]> {
  const rows = await db
    .selectFrom('refills')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('performed_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(rowToRefill);
}

/** The latest refill recorded for a pump, signed or not (a new one may not be dated before it). */
export async function latestRefillForPump(db: DbOrTrx, pumpId: string): Promise<Refill | null> {
  const rows = await db
    .selectFrom('refills')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('performed_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .execute();
  const row = rows[0];
  return row ? rowToRefill(row) : null;
}

export async function updateRefillIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Partial<RefillsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('refills')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', 'recorded')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface RefillAmendment {
  readonly id: string;
  readonly refillId: string;
  readonly reason: string;
  readonly changes: readonly { field: string; old: string | null; new: string | null }[];
  readonly amendedAt: string;
  readonly amendedBy: string;
}

export async function insertAmendment(db: DbOrTrx, row: RefillAmendmentsTable): Promise<void> {
  await db.insertInto('refill_amendments').values(row).execute();
}

export async function listAmendments(db: DbOrTrx, refillId: string): Promise<RefillAmendment[]> {
  const rows = await db
    .selectFrom('refill_amendments')
    .selectAll()
    .where('refill_id', '=', refillId)
    .orderBy('amended_at', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    refillId: r.refill_id,
    reason: r.reason,
    changes: JSON.parse(r.changes) as RefillAmendment['changes'],
    amendedAt: r.amended_at,
    amendedBy: r.amended_by,
  }));
}

/** Refills recorded but not yet checked and signed, across the caseload (for the daily digest). */
export async function countUnsignedRefills(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('refills')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('state', '=', 'recorded')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
