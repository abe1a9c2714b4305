import type { PlainDate } from '../domain/calendar-date.ts';
import type { RotorResult, MriState } from '../domain/mri-input.ts';
import type { MriPlanKind } from '../domain/mri-plan.ts';
import type { DbOrTrx } from './database.ts';
import type { MriScansTable } from './mri-tables.ts';

/** The MRI workflow's records (mri-plan.ts, mri-input.ts): one per planned scan of a pump. */

export interface MriScan {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly planKind: MriPlanKind;
  readonly state: MriState;
  readonly plannedOn: PlainDate;
  readonly scanner: string | null;
  readonly fieldStrengthTesla: number | null;
  readonly confirmedSteps: readonly string[];
  readonly planNote: string | null;
  readonly plannedAt: string;
  readonly plannedBy: string;
  readonly scannedAt: string | null;
  readonly scanNote: string | null;
  readonly scanRecordedAt: string | null;
  readonly scanRecordedBy: string | null;
  readonly checkDueAt: string | null;
  readonly checkedAt: string | null;
  readonly checkRecordedAt: string | null;
  readonly checkRecordedBy: string | null;
  readonly pumpRunning: boolean | null;
  readonly rotorCheck: RotorResult | null;
  readonly logsReviewed: boolean | null;
  readonly reservoirMl: number | null;
  readonly refillId: string | null;
  readonly findings: string | null;
  readonly cancelledAt: string | null;
  readonly cancelledBy: string | null;
  readonly cancelReason: string | null;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);
const int = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
const numOrNull = (v: string | null): number | null => (v === null ? null : Number(v));

// Only validated input is ever stored, so the enumerations and dates hold what their types say.
function fromRow(r: MriScansTable): MriScan {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    planKind: r.plan_kind as MriPlanKind,
    state: r.state as MriState,
    plannedOn: r.planned_on as PlainDate,
    scanner: r.scanner,
    fieldStrengthTesla: numOrNull(r.field_strength_tesla),
    confirmedSteps: JSON.parse(r.confirmed_steps) as string[],
    planNote: r.plan_note,
    plannedAt: r.planned_at,
    plannedBy: r.planned_by,
    scannedAt: r.scanned_at,
    scanNote: r.scan_note,
    scanRecordedAt: r.scan_recorded_at,
    scanRecordedBy: r.scan_recorded_by,
    checkDueAt: r.check_due_at,
    checkedAt: r.checked_at,
    checkRecordedAt: r.check_recorded_at,
    checkRecordedBy: r.check_recorded_by,
    pumpRunning: bool(r.pump_running),
    rotorCheck: r.rotor_check as RotorResult | null,
    logsReviewed: bool(r.logs_reviewed),
    reservoirMl: numOrNull(r.reservoir_ml),
    refillId: r.refill_id,
    findings: r.findings,
    cancelledAt: r.cancelled_at,
    cancelledBy: r.cancelled_by,
    cancelReason: r.cancel_reason,
  };
}

function toRow(m: MriScan): MriScansTable {
  return {
    id: m.id,
    pump_id: m.pumpId,
    patient_id: m.patientId,
    plan_kind: m.planKind,
    state: m.state,
    planned_on: m.plannedOn,
    scanner: m.scanner,
    field_strength_tesla: m.fieldStrengthTesla === null ? null : String(m.fieldStrengthTesla),
    confirmed_steps: JSON.stringify(m.confirmedSteps),
    plan_note: m.planNote,
    planned_at: m.plannedAt,
    planned_by: m.plannedBy,
    scanned_at: m.scannedAt,
    scan_note: m.scanNote,
    scan_recorded_at: m.scanRecordedAt,
    scan_recorded_by: m.scanRecordedBy,
    check_due_at: m.checkDueAt,
    checked_at: m.checkedAt,
    check_recorded_at: m.checkRecordedAt,
    check_recorded_by: m.checkRecordedBy,
    pump_running: int(m.pumpRunning),
    rotor_check: m.rotorCheck,
    logs_reviewed: int(m.logsReviewed),
    reservoir_ml: m.reservoirMl === null ? null : String(m.reservoirMl),
    refill_id: m.refillId,
    findings: m.findings,
    cancelled_at: m.cancelledAt,
    cancelled_by: m.cancelledBy,
    cancel_reason: m.cancelReason,
  };
}

export async function insertMriScan(db: DbOrTrx, m: MriScan): Promise<void> {
  await db.insertInto('mri_scans').values(toRow(m)).execute();
}

/**
 * Writes the record's new state only if it is still in `from`: false when someone else moved it
 * on first (the caller refuses), so a check is never recorded twice.
 */
export async function updateMriScan(db: DbOrTrx, m: MriScan, from: MriState): Promise<boolean> {
  // The whole row, its id included (unchanged): the where clause pins the record and its state.
  const result = await db
    .updateTable('mri_scans')
    .set(toRow(m))
    .where('id', '=', m.id)
    .where('state', '=', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findMriScan(db: DbOrTrx, id: string): Promise<MriScan | null> {
  const row = await db.selectFrom('mri_scans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** The pump's MRI records, newest plan first. */
export async function mriScansForPump(db: DbOrTrx, pumpId: string): Promise<MriScan[]> {
  const rows = await db
    .selectFrom('mri_scans')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('planned_at', 'desc')
    .execute();
  return rows.map(fromRow);
}

/** The post-scan checks waiting, most overdue first (from the state and due index). */
export async function pendingMriChecks(db: DbOrTrx): Promise<MriScan[]> {
  const rows = await db
    .selectFrom('mri_scans')
    .selectAll()
    .where('state', '=', 'scanned')
    .orderBy('check_due_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(fromRow);
}

/** The checks waiting, and of them those due at or before `now` (overdue). */
export async function countMriChecks(
  db: DbOrTrx,
  now: string,
): Promise<{ readonly pending: number; readonly overdue: number }> {
  const row = await db
    .selectFrom('mri_scans')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('pending'),
      eb.fn
        .sum<string | number | null>(eb.case().when('check_due_at', '<=', now).then(1).else(0).end())
        .as('overdue'),
    ])
    .where('state', '=', 'scanned')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), overdue: Number(row.overdue ?? 0) };
}
