import type { PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import type { RefillState } from '../domain/refill-actions.ts';
import { WITHDRAWAL_RISK_FLAGS } from '../domain/refill-findings.ts';
import type { RefillComplication } from '../domain/refill-input.ts';
import type { PlanLimit } from '../domain/refill-arithmetic.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, RefillsTable } from './database.ts';
import { refreshPumpRefillFacts } from './figures/figure-facts.repository.ts';

/**
 * Refills (their amendments are in refill-amendments.repository.ts). Services read and write the
 * entities (camelCase); `toRow` and `fromRow` are the one place a refill meets its row
 * (snake_case, booleans 0/1, lists as JSON).
 */

export type { RefillState } from '../domain/refill-actions.ts';

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
  /** What the refill found (refill-findings.ts); any flag needs a review before signing. */
  readonly flags: readonly ClinicalWarning[];
  readonly ranDryOn: PlainDate | null;
  /** The software's expected residual from the last signed fill; null at a pump's first refill. */
  readonly softwareExpectedMl: number | null;
  readonly softwareExpectedWithBolusesMl: number | null;
  readonly withdrawalSignsChecked: boolean | null;
  readonly withdrawalSignsFound: string | null;
  readonly voidedAt: string | null;
  readonly voidedBy: string | null;
  readonly voidReason: string | null;
}

export function fromRow(r: RefillsTable): Refill {
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
    flags: JSON.parse(r.flags) as ClinicalWarning[],
    ranDryOn: r.ran_dry_on as PlainDate | null,
    softwareExpectedMl: r.software_expected_ml,
    softwareExpectedWithBolusesMl: r.software_expected_with_boluses_ml,
    withdrawalSignsChecked: r.withdrawal_signs_checked === null ? null : r.withdrawal_signs_checked === 1,
    withdrawalSignsFound: r.withdrawal_signs_found,
    voidedAt: r.voided_at,
    voidedBy: r.voided_by,
    voidReason: r.void_reason,
  };
}

export function toRow(r: Refill): RefillsTable {
  return {
    id: r.id,
    pump_id: r.pumpId,
    patient_id: r.patientId,
    performed_on: r.performedOn,
    expected_residual_ml: r.expectedResidualMl,
    withdrawn_ml: r.withdrawnMl,
    discrepancy_ml: r.discrepancyMl,
    discrepancy_percent: r.discrepancyPercent,
    threshold_ml: r.thresholdMl,
    flagged: r.flagged ? 1 : 0,
    review_note: r.reviewNote,
    reviewed_at: r.reviewedAt,
    reviewed_by: r.reviewedBy,
    drug: r.drug,
    concentration_mcg_per_ml: r.concentrationMcgPerMl,
    batch: r.batch,
    expires_on: r.expiresOn,
    instilled_ml: r.instilledMl,
    prescription_id: r.prescriptionId,
    alarm_ml: r.alarmMl,
    daily_volume_ml: r.dailyVolumeMl,
    alarm_on: r.alarmOn,
    due_by: r.dueBy,
    limited_by: r.limitedBy,
    complications: JSON.stringify(r.complications),
    complication_note: r.complicationNote,
    patient_note: r.patientNote,
    patient_summary: r.patientSummary,
    state: r.state,
    recorded_at: r.recordedAt,
    performed_by: r.performedBy,
    signed_at: r.signedAt,
    checked_by: r.checkedBy,
    version: r.version,
    flags: JSON.stringify(r.flags),
    ran_dry_on: r.ranDryOn,
    software_expected_ml: r.softwareExpectedMl,
    software_expected_with_boluses_ml: r.softwareExpectedWithBolusesMl,
    withdrawal_signs_checked: r.withdrawalSignsChecked === null ? null : r.withdrawalSignsChecked ? 1 : 0,
    withdrawal_signs_found: r.withdrawalSignsFound,
    voided_at: r.voidedAt,
    voided_by: r.voidedBy,
    void_reason: r.voidReason,
  };
}

/** Every column is its field in snake_case (toRow), so an update sets the columns of the fields given. */
function changedColumns(refill: Refill, changes: Partial<Refill>): Partial<RefillsTable> {
  const row = toRow({ ...refill, ...changes });
  const changed: Record<string, unknown> = {};
  for (const field of Object.keys(changes)) {
    const column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (!(column in row)) {
      throw new Error(`refills: no column for ${field}`);
    }
    changed[column] = row[column as keyof RefillsTable];
  }
  return changed;
}

/** Writes a refill, and the figures' facts it changes (figure-facts.repository.ts), in `db`'s transaction. */
export async function insertRefill(db: DbOrTrx, refill: Refill): Promise<void> {
  await db.insertInto('refills').values(toRow(refill)).execute();
  await refreshPumpRefillFacts(db, refill.pumpId, [refill.performedOn]);
}

export async function findRefillById(db: DbOrTrx, id: string): Promise<Refill | null> {
  const row = await db.selectFrom('refills').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function listRefillsForPump(db: DbOrTrx, pumpId: string): Promise<Refill[]> {
  const rows = await db
    .selectFrom('refills')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('performed_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(fromRow);
}

/**
 * The refills of every pump the patient has or had, in one query (the patient page's, compiled
 * once), in the same order as the per-pump list; the caller groups them by pump.
 */
const refillsOfPatientPumps = compiledOnce((db, patientId) =>
  db
    .selectFrom('refills')
    .selectAll()
    .where('pump_id', 'in', db.selectFrom('pumps').select('id').where('patient_id', '=', patientId))
    .orderBy('performed_on', 'desc')
    .orderBy('recorded_at', 'desc'),
);

export async function listRefillsForPatientPumps(db: DbOrTrx, patientId: string): Promise<Refill[]> {
  return (await refillsOfPatientPumps(db, patientId)).map(fromRow);
}

/**
 * The latest refill recorded for a pump, signed or not (a new one may not be dated before it).
 * A voided refill does not count: the checker rejected it, and the next is recorded afresh.
 */
export async function latestRefillForPump(db: DbOrTrx, pumpId: string): Promise<Refill | null> {
  const rows = await db
    .selectFrom('refills')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .where('state', '!=', 'voided')
    .orderBy('performed_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .limit(1)
    .execute();
  const row = rows[0];
  return row ? fromRow(row) : null;
}

/**
 * A refill signed, voided or corrected changes the figures' facts (its own day's counts, and
 * the due date the next refill of the pump is judged by): kept in the same transaction.
 */
async function refreshedIfUpdated(db: DbOrTrx, refill: Refill, updated: boolean): Promise<boolean> {
  if (updated) {
    await refreshPumpRefillFacts(db, refill.pumpId, [refill.performedOn]);
  }
  return updated;
}

/**
 * A correction to a signed refill's volumes and plan, once a second clinician has confirmed it
 * (refill_amendments keeps the old and new values). Nothing else about a signed refill changes.
 */
export async function correctSignedRefill(
  db: DbOrTrx,
  refill: Refill,
  changes: Pick<Refill, 'alarmMl' | 'instilledMl' | 'alarmOn' | 'dueBy' | 'limitedBy'>,
): Promise<boolean> {
  const result = await db
    .updateTable('refills')
    .set({ ...changedColumns(refill, changes), version: refill.version + 1 })
    .where('id', '=', refill.id)
    .where('version', '=', refill.version)
    .where('state', '=', 'signed')
    .executeTakeFirst();
  return refreshedIfUpdated(db, refill, Number(result.numUpdatedRows) === 1);
}

/** What changes on a refill awaiting its check: its review, its signature, or its voiding. */
export type RefillCheckChanges = Partial<
  Pick<
    Refill,
    | 'state'
    | 'reviewNote'
    | 'reviewedAt'
    | 'reviewedBy'
    | 'withdrawalSignsChecked'
    | 'withdrawalSignsFound'
    | 'signedAt'
    | 'checkedBy'
    | 'voidedAt'
    | 'voidedBy'
    | 'voidReason'
  >
>;

/** Changes a refill awaiting its check, as the caller read it; false when it changed meanwhile. */
export async function updateRefillIfVersion(
  db: DbOrTrx,
  refill: Refill,
  changes: RefillCheckChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('refills')
    .set({ ...changedColumns(refill, changes), version: refill.version + 1 })
    .where('id', '=', refill.id)
    .where('version', '=', refill.version)
    .where('state', '=', 'recorded')
    .executeTakeFirst();
  return refreshedIfUpdated(db, refill, Number(result.numUpdatedRows) === 1);
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

/**
 * Refills recorded since `sinceIso` that ran dry or came on or after the alarm date (for the
 * daily digest: each is a patient at risk of withdrawal). Voided refills are left out: the
 * refill recorded again in their place carries its own flags.
 */
export async function countWithdrawalRiskRefills(db: DbOrTrx, sinceIso: string): Promise<number> {
  const row = await db
    .selectFrom('refills')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('recorded_at', '>=', sinceIso)
    .where('state', '!=', 'voided')
    .where((eb) => eb.or(WITHDRAWAL_RISK_FLAGS.map((code) => eb('flags', 'like', `%"code":"${code}"%`))))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
