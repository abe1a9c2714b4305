import type { PlainDate } from '../domain/calendar-date.ts';
import type { PumpEventKind } from '../domain/pump-event-input.ts';
import { compiledOnce } from './compiled-once.ts';
import type { DbOrTrx, PumpEventsTable } from './database.ts';

/** What happened to a pump: revisions, alarms, scans, and the steps of its end and pauses. */

export interface PumpEvent {
  readonly id: string;
  readonly pumpId: string;
  readonly kind: PumpEventKind;
  readonly occurredOn: PlainDate;
  readonly note: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

function fromRow(r: PumpEventsTable): PumpEvent {
  return {
    id: r.id,
    pumpId: r.pump_id,
    kind: r.kind as PumpEventKind,
    occurredOn: r.occurred_on as PlainDate,
    note: r.note,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  };
}

function toRow(e: PumpEvent): PumpEventsTable {
  return {
    id: e.id,
    pump_id: e.pumpId,
    kind: e.kind,
    occurred_on: e.occurredOn,
    note: e.note,
    recorded_at: e.recordedAt,
    recorded_by: e.recordedBy,
  };
}

export async function insertPumpEvent(db: DbOrTrx, event: PumpEvent): Promise<void> {
  await db.insertInto('pump_events').values(toRow(event)).execute();
}

export async function listPumpEvents(db: DbOrTrx, pumpId: string): Promise<PumpEvent[]> {
  const rows = await db
    .selectFrom('pump_events')
    .selectAll()
    .where('pump_id', '=', pumpId)
    .orderBy('occurred_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  return rows.map(fromRow);
}

/**
 * The events of every pump the patient has or had, in one query (the patient page's, compiled
 * once), in the same order as the per-pump list; the caller groups them by pump.
 */
const pumpEventsOfPatientPumps = compiledOnce((db, patientId) =>
  db
    .selectFrom('pump_events')
    .selectAll()
    .where('pump_id', 'in', db.selectFrom('pumps').select('id').where('patient_id', '=', patientId))
    .orderBy('occurred_on', 'desc')
    .orderBy('recorded_at', 'desc'),
);

export async function listPumpEventsForPatientPumps(db: DbOrTrx, patientId: string): Promise<PumpEvent[]> {
  return (await pumpEventsOfPatientPumps(db, patientId)).map(fromRow);
}
