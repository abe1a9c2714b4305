import type { PlainDate } from '../domain/calendar-date.ts';
import type { Origin } from '../domain/dose-change.ts';
import type { PumpState } from '../domain/pump-lifecycle.ts';
import { changedColumns } from './column-changes.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, PumpsTable } from './database.ts';

export type { PumpState };

/** Implanted pumps (pump-tables.ts); their events, appointments and prescriptions have their own files. */

export interface Pump {
  readonly id: string;
  readonly patientId: string;
  readonly modelId: string;
  readonly reservoirMl: number;
  readonly serialNumber: string;
  readonly implantedOn: PlainDate;
  readonly surgeon: string;
  readonly alarmMl: number;
  readonly catheterModel: string | null;
  readonly catheterTipLevel: string | null;
  readonly origin: Origin;
  readonly state: PumpState;
  readonly eriOn: PlainDate | null;
  readonly endedOn: PlainDate | null;
  readonly replacesPumpId: string | null;
  readonly lastRefillId: string | null;
  readonly alarmOn: PlainDate | null;
  readonly refillDueBy: PlainDate | null;
  readonly reviewsHeld: number;
  readonly refillDueOn: PlainDate | null;
  readonly nextReviewOn: PlainDate;
  readonly replaceBy: PlainDate;
  /** While a pause is open: the date it began and the date the pump is due to resume. */
  readonly pausedOn: PlainDate | null;
  readonly resumeBy: PlainDate | null;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

/** What a save may change on a pump; the identity, implant and version are never among them. */
export type PumpChanges = Partial<
  Pick<
    Pump,
    | 'state'
    | 'endedOn'
    | 'eriOn'
    | 'lastRefillId'
    | 'alarmOn'
    | 'refillDueBy'
    | 'reviewsHeld'
    | 'refillDueOn'
    | 'nextReviewOn'
    | 'replaceBy'
    | 'pausedOn'
    | 'resumeBy'
  >
>;

/** The dates the worklist ranks on, worked out from the plan and settings (pumpSchedule). */
export type PumpSchedule = Pick<Pump, 'refillDueOn' | 'nextReviewOn' | 'replaceBy'>;

const CHANGE_COLUMNS = {
  state: 'state',
  endedOn: 'ended_on',
  eriOn: 'eri_on',
  lastRefillId: 'last_refill_id',
  alarmOn: 'alarm_on',
  refillDueBy: 'refill_due_by',
  reviewsHeld: 'reviews_held',
  refillDueOn: 'refill_due_on',
  nextReviewOn: 'next_review_on',
  replaceBy: 'replace_by',
  pausedOn: 'paused_on',
  resumeBy: 'resume_by',
} as const satisfies Record<keyof PumpChanges, keyof PumpsTable>;

// Only validated input is ever stored (the domain input files run before every insert), so the
// enumerations and dates hold what their types say.
function fromRow(r: PumpsTable): Pump {
  return {
    id: r.id,
    patientId: r.patient_id,
    modelId: r.model_id,
    reservoirMl: r.reservoir_ml,
    serialNumber: r.serial_number,
    implantedOn: r.implanted_on as PlainDate,
    surgeon: r.surgeon,
    alarmMl: r.alarm_ml,
    catheterModel: r.catheter_model,
    catheterTipLevel: r.catheter_tip_level,
    origin: r.origin as Origin,
    state: r.state as PumpState,
    eriOn: r.eri_on as PlainDate | null,
    endedOn: r.ended_on as PlainDate | null,
    replacesPumpId: r.replaces_pump_id,
    lastRefillId: r.last_refill_id,
    alarmOn: r.alarm_on as PlainDate | null,
    refillDueBy: r.refill_due_by as PlainDate | null,
    reviewsHeld: r.reviews_held,
    refillDueOn: r.refill_due_on as PlainDate | null,
    nextReviewOn: r.next_review_on as PlainDate,
    replaceBy: r.replace_by as PlainDate,
    pausedOn: (r.paused_on ?? null) as PlainDate | null,
    resumeBy: (r.resume_by ?? null) as PlainDate | null,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

/** A new pump's row: created when it was last updated, with nothing booked yet. */
function toRow(p: Pump): PumpsTable {
  return {
    id: p.id,
    patient_id: p.patientId,
    model_id: p.modelId,
    reservoir_ml: p.reservoirMl,
    serial_number: p.serialNumber,
    implanted_on: p.implantedOn,
    surgeon: p.surgeon,
    alarm_ml: p.alarmMl,
    catheter_model: p.catheterModel,
    catheter_tip_level: p.catheterTipLevel,
    origin: p.origin,
    state: p.state,
    eri_on: p.eriOn,
    ended_on: p.endedOn,
    replaces_pump_id: p.replacesPumpId,
    last_refill_id: p.lastRefillId,
    alarm_on: p.alarmOn,
    refill_due_by: p.refillDueBy,
    reviews_held: p.reviewsHeld,
    refill_due_on: p.refillDueOn,
    next_review_on: p.nextReviewOn,
    replace_by: p.replaceBy,
    refill_booked_on: null,
    paused_on: p.pausedOn,
    resume_by: p.resumeBy,
    created_at: p.updatedAt,
    created_by: p.updatedBy,
    updated_at: p.updatedAt,
    updated_by: p.updatedBy,
    version: p.version,
  };
}

function changesToRow(changes: PumpChanges): Partial<PumpsTable> {
  return changedColumns(changes, CHANGE_COLUMNS) as Partial<PumpsTable>;
}

export async function insertPump(db: DbOrTrx, pump: Pump): Promise<void> {
  await db.insertInto('pumps').values(toRow(pump)).execute();
}

export async function findPumpById(db: DbOrTrx, id: string): Promise<Pump | null> {
  const row = await db.selectFrom('pumps').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function findPumpBySerial(db: DbOrTrx, modelId: string, serial: string): Promise<Pump | null> {
  const row = await db
    .selectFrom('pumps')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('serial_number', '=', serial)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Compiled once: the patient page runs it on every view. */
const pumpsOfPatient = compiledOnce((db, patientId) =>
  db.selectFrom('pumps').selectAll().where('patient_id', '=', patientId).orderBy('implanted_on', 'desc'),
);

export async function listPumpsForPatient(db: DbOrTrx, patientId: string): Promise<Pump[]> {
  return (await pumpsOfPatient(db, patientId)).map(fromRow);
}

/** Updates the pump only if nobody else has since (optimistic locking); false when stale. */
export async function updatePumpIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  changes: PumpChanges,
  by: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('pumps')
    .set({ ...changesToRow(changes), updated_by: by, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether any pump is registered at all. */
export async function anyPump(db: DbOrTrx): Promise<boolean> {
  return (await db.selectFrom('pumps').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Up to `limit` pumps after `afterId`, in id order, with what their schedule is worked out from. */
export async function pumpsInIdOrder(db: DbOrTrx, afterId: string, limit: number): Promise<Pump[]> {
  const rows = await db
    .selectFrom('pumps')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

/** Stores the worklist's derived dates; the version is left alone so nobody's open form goes stale. */
export async function setPumpSchedule(db: DbOrTrx, id: string, schedule: PumpSchedule): Promise<void> {
  await db.updateTable('pumps').set(changesToRow(schedule)).where('id', '=', id).execute();
}
