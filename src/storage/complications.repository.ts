import type { BridgingKind, BridgingPurpose } from '../domain/bridging-plan.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import type { ComplicationKind, ComplicationOutcome, DeviceLink } from '../domain/complication.ts';
import type { BridgingPlansTable, ComplicationsTable, DbOrTrx } from './database.ts';

/** The complications register and the bridging plans of revisions, replacements and explants. */

export interface Complication {
  readonly id: string;
  readonly patientId: string;
  readonly kind: ComplicationKind;
  readonly onsetOn: PlainDate;
  readonly resolvedOn: PlainDate | null;
  readonly pumpId: string | null;
  readonly device: DeviceLink | null;
  readonly catheterModel: string | null;
  readonly catheterTipLevel: string | null;
  readonly organism: string | null;
  readonly details: string | null;
  readonly actions: string | null;
  readonly outcome: ComplicationOutcome;
  readonly emergencyEventId: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export interface BridgingPlan {
  readonly id: string;
  readonly pumpId: string;
  readonly patientId: string;
  readonly complicationId: string | null;
  readonly purpose: BridgingPurpose;
  readonly kind: BridgingKind;
  readonly drug: string;
  readonly dose: string;
  readonly frequency: string;
  readonly startOn: PlainDate;
  readonly reviewOn: PlainDate;
  readonly responsible: string;
  readonly details: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

function complicationFromRow(r: ComplicationsTable): Complication {
  return {
    id: r.id,
    patientId: r.patient_id,
    kind: r.kind as ComplicationKind,
    onsetOn: r.onset_on as PlainDate,
    resolvedOn: r.resolved_on as PlainDate | null,
    pumpId: r.pump_id,
    device: r.device as DeviceLink | null,
    catheterModel: r.catheter_model,
    catheterTipLevel: r.catheter_tip_level,
    organism: r.organism,
    details: r.details,
    actions: r.actions,
    outcome: r.outcome as ComplicationOutcome,
    emergencyEventId: r.emergency_event_id,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

function complicationToRow(c: Complication): ComplicationsTable {
  return {
    id: c.id,
    patient_id: c.patientId,
    kind: c.kind,
    onset_on: c.onsetOn,
    resolved_on: c.resolvedOn,
    pump_id: c.pumpId,
    device: c.device,
    catheter_model: c.catheterModel,
    catheter_tip_level: c.catheterTipLevel,
    organism: c.organism,
    details: c.details,
    actions: c.actions,
    outcome: c.outcome,
    emergency_event_id: c.emergencyEventId,
    recorded_at: c.recordedAt,
    recorded_by: c.recordedBy,
    updated_at: c.updatedAt,
    updated_by: c.updatedBy,
    version: c.version,
  };
}

export async function insertComplication(db: DbOrTrx, c: Complication): Promise<void> {
  await db.insertInto('complications').values(complicationToRow(c)).execute();
}

export async function findComplication(db: DbOrTrx, id: string): Promise<Complication | null> {
  const row = await db.selectFrom('complications').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? complicationFromRow(row) : null;
}

/** Saves the whole entry if nobody saved it since `version` was read; false otherwise. */
export async function updateComplicationIfVersion(
  db: DbOrTrx,
  c: Complication,
  version: number,
): Promise<boolean> {
  const row = complicationToRow(c);
  const result = await db
    .updateTable('complications')
    .set({
      kind: row.kind,
      onset_on: row.onset_on,
      resolved_on: row.resolved_on,
      pump_id: row.pump_id,
      device: row.device,
      catheter_model: row.catheter_model,
      catheter_tip_level: row.catheter_tip_level,
      organism: row.organism,
      details: row.details,
      actions: row.actions,
      outcome: row.outcome,
      updated_at: row.updated_at,
      updated_by: row.updated_by,
      version: version + 1,
    })
    .where('id', '=', c.id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The seam for the emergency events: links an entry to the event it follows up. Not called
 * yet; the events and the register are joined when both are in place.
 */
export async function linkEmergencyEvent(
  db: DbOrTrx,
  complicationId: string,
  eventId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('complications')
    .set({ emergency_event_id: eventId })
    .where('id', '=', complicationId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listComplicationsForPatient(db: DbOrTrx, patientId: string): Promise<Complication[]> {
  const rows = await db
    .selectFrom('complications')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('onset_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(complicationFromRow);
}

export async function listComplicationsForPump(db: DbOrTrx, pumpId: string): Promise<Complication[]> {
  const rows = await db
    .selectFrom('complications')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('onset_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(complicationFromRow);
}

export interface RegisterQuery {
  readonly kind: ComplicationKind | null;
  readonly from: PlainDate | null;
  readonly to: PlainDate | null;
  readonly limit: number;
}

/** The service-wide register: newest onset first, filtered by kind and onset dates. */
export async function listRegister(db: DbOrTrx, q: RegisterQuery): Promise<Complication[]> {
  let query = db.selectFrom('complications').selectAll();
  if (q.kind !== null) {
    query = query.where('kind', '=', q.kind);
  }
  if (q.from !== null) {
    query = query.where('onset_on', '>=', q.from);
  }
  if (q.to !== null) {
    query = query.where('onset_on', '<=', q.to);
  }
  const rows = await query
    .orderBy('onset_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .orderBy('id')
    .limit(q.limit)
    .execute();
  return rows.map(complicationFromRow);
}

function planFromRow(r: BridgingPlansTable): BridgingPlan {
  return {
    id: r.id,
    pumpId: r.pump_id,
    patientId: r.patient_id,
    complicationId: r.complication_id,
    purpose: r.purpose as BridgingPurpose,
    kind: r.kind as BridgingKind,
    drug: r.drug,
    dose: r.dose,
    frequency: r.frequency,
    startOn: r.start_on as PlainDate,
    reviewOn: r.review_on as PlainDate,
    responsible: r.responsible,
    details: r.details,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  };
}

export async function insertBridgingPlan(db: DbOrTrx, p: BridgingPlan): Promise<void> {
  await db
    .insertInto('bridging_plans')
    .values({
      id: p.id,
      pump_id: p.pumpId,
      patient_id: p.patientId,
      complication_id: p.complicationId,
      purpose: p.purpose,
      kind: p.kind,
      drug: p.drug,
      dose: p.dose,
      frequency: p.frequency,
      start_on: p.startOn,
      review_on: p.reviewOn,
      responsible: p.responsible,
      details: p.details,
      recorded_at: p.recordedAt,
      recorded_by: p.recordedBy,
    })
    .execute();
}

export async function listBridgingPlansForPump(db: DbOrTrx, pumpId: string): Promise<BridgingPlan[]> {
  const rows = await db
    .selectFrom('bridging_plans')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(planFromRow);
}

export async function listBridgingPlansForPatient(db: DbOrTrx, patientId: string): Promise<BridgingPlan[]> {
  const rows = await db
    .selectFrom('bridging_plans')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(planFromRow);
}

/** The plans recorded against one complication (its page lists them), newest first. */
export async function listBridgingPlansForComplication(
  db: DbOrTrx,
  complicationId: string,
): Promise<BridgingPlan[]> {
  const rows = await db
    .selectFrom('bridging_plans')
    .selectAll()
    .where('complication_id', '=', complicationId)
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(planFromRow);
}

/** Whether the pump has a plan recorded for `purpose` (the explant guard's question). */
export async function hasBridgingPlan(
  db: DbOrTrx,
  pumpId: string,
  purpose: BridgingPurpose,
): Promise<boolean> {
  const row = await db
    .selectFrom('bridging_plans')
    .select('id')
    .where('pump_id', '=', pumpId)
    .where('purpose', '=', purpose)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface RegisterPatient {
  readonly id: string;
  readonly nhsNumber: string;
  readonly name: string;
}

/** The patients the register's rows name, by id: one read for the whole page. */
export async function registerPatients(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<Map<string, RegisterPatient>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('patients')
    .select(['id', 'nhs_number', 'given_name', 'family_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, nhsNumber: r.nhs_number, name: `${r.family_name.toUpperCase()}, ${r.given_name}` },
    ]),
  );
}
