import type { PlainDate } from '../domain/calendar-date.ts';
import type { ClinicalWarning } from '../domain/clinical-warning.ts';
import { WITHDRAWAL_RISK_FLAGS } from '../domain/refill-findings.ts';
import type { RefillComplication } from '../domain/refill-input.ts';
import type { PlanLimit } from '../domain/refill-arithmetic.ts';
import type { DbOrTrx, RefillAmendmentsTable, RefillsTable } from './database.ts';

/** 'voided': rejected by the checker before signing; kept, with every value, in the history. */
export type RefillState = 'recorded' | 'signed' | 'voided';

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
  return row ? rowToRefill(row) : null;
}

/**
 * A correction to a signed refill's volumes and plan, once a second clinician has confirmed it
 * (refill_amendments keeps the old and new values). Nothing else about a signed refill changes.
 */
export async function correctSignedRefill(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: Pick<RefillsTable, 'alarm_ml' | 'instilled_ml' | 'alarm_on' | 'due_by' | 'limited_by'>,
): Promise<boolean> {
  const result = await db
    .updateTable('refills')
    .set({ ...changes, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', 'signed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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

export type AmendmentState = 'applied' | 'pending' | 'confirmed' | 'rejected';

export interface RefillAmendment {
  readonly id: string;
  readonly refillId: string;
  readonly reason: string;
  readonly changes: readonly { field: string; old: string | null; new: string | null }[];
  readonly amendedAt: string;
  readonly amendedBy: string;
  /** 'applied' at once (batch, expiry, notes); a volume correction waits 'pending' for a second clinician. */
  readonly state: AmendmentState;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionNote: string | null;
}

function rowToAmendment(r: RefillAmendmentsTable): RefillAmendment {
  return {
    id: r.id,
    refillId: r.refill_id,
    reason: r.reason,
    changes: JSON.parse(r.changes) as RefillAmendment['changes'],
    amendedAt: r.amended_at,
    amendedBy: r.amended_by,
    state: r.state as AmendmentState,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    decisionNote: r.decision_note,
  };
}

export async function findAmendmentById(db: DbOrTrx, id: string): Promise<RefillAmendment | null> {
  const row = await db.selectFrom('refill_amendments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToAmendment(row) : null;
}

/** Settles a pending volume correction; false when someone else settled it first. */
export async function decideAmendmentIfPending(
  db: DbOrTrx,
  id: string,
  changes: Pick<RefillAmendmentsTable, 'state' | 'decided_at' | 'decided_by' | 'decision_note'>,
): Promise<boolean> {
  const result = await db
    .updateTable('refill_amendments')
    .set(changes)
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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
  return rows.map(rowToAmendment);
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
