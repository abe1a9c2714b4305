import type { PlainDate } from '../domain/calendar-date.ts';
import type { ActionCode } from '../domain/life-event-actions.ts';
import type { LifeEventDetails, LifeEventKind, LifeEventState } from '../domain/life-events.ts';
import type { DbOrTrx } from './database.ts';
import type { LifeEventActionsTable, LifeEventsTable } from './life-event-tables.ts';

/** Life events and their checklists (life-events.ts, life-event-actions.ts). */

export interface LifeEventAction {
  readonly id: string;
  readonly eventId: string;
  readonly position: number;
  readonly code: ActionCode;
  readonly label: string;
  readonly detail: string;
  readonly dueOn: PlainDate | null;
  readonly doneAt: string | null;
  readonly doneBy: string | null;
  readonly doneNote: string | null;
}

export interface LifeEvent {
  readonly id: string;
  readonly patientId: string;
  readonly kind: LifeEventKind;
  readonly eventOn: PlainDate;
  readonly details: LifeEventDetails;
  readonly state: LifeEventState;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly endReason: string | null;
  readonly actions: readonly LifeEventAction[];
}

export type NewLifeEvent = Omit<LifeEvent, 'actions' | 'closedAt' | 'closedBy' | 'endReason' | 'state'>;

// Only validated input is ever stored, so the enumerations, dates and JSON hold what their types say.
function actionFromRow(r: LifeEventActionsTable): LifeEventAction {
  return {
    id: r.id,
    eventId: r.event_id,
    position: r.position,
    code: r.code as ActionCode,
    label: r.label,
    detail: r.detail,
    dueOn: r.due_on as PlainDate | null,
    doneAt: r.done_at,
    doneBy: r.done_by,
    doneNote: r.done_note,
  };
}

function eventFromRow(r: LifeEventsTable, actions: readonly LifeEventAction[]): LifeEvent {
  return {
    id: r.id,
    patientId: r.patient_id,
    kind: r.kind as LifeEventKind,
    eventOn: r.event_on as PlainDate,
    details: { kind: r.kind, input: JSON.parse(r.details) as unknown } as LifeEventDetails,
    state: r.state as LifeEventState,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    endReason: r.end_reason,
    actions,
  };
}

export async function insertLifeEvent(
  db: DbOrTrx,
  event: NewLifeEvent,
  actions: readonly LifeEventAction[],
): Promise<void> {
  await db
    .insertInto('life_events')
    .values({
      id: event.id,
      patient_id: event.patientId,
      kind: event.kind,
      event_on: event.eventOn,
      details: JSON.stringify(event.details.input),
      state: 'open',
      recorded_at: event.recordedAt,
      recorded_by: event.recordedBy,
      closed_at: null,
      closed_by: null,
      end_reason: null,
    })
    .execute();
  if (actions.length > 0) {
    await db
      .insertInto('life_event_actions')
      .values(
        actions.map((a) => ({
          id: a.id,
          event_id: a.eventId,
          position: a.position,
          code: a.code,
          label: a.label,
          detail: a.detail,
          due_on: a.dueOn,
          done_at: null,
          done_by: null,
          done_note: null,
        })),
      )
      .execute();
  }
}

async function actionsOf(db: DbOrTrx, eventIds: readonly string[]): Promise<Map<string, LifeEventAction[]>> {
  const byEvent = new Map<string, LifeEventAction[]>();
  if (eventIds.length === 0) {
    return byEvent;
  }
  const rows = await db
    .selectFrom('life_event_actions')
    .selectAll()
    .where('event_id', 'in', [...eventIds])
    .orderBy('event_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = byEvent.get(row.event_id) ?? [];
    list.push(actionFromRow(row));
    byEvent.set(row.event_id, list);
  }
  return byEvent;
}

export async function findLifeEvent(db: DbOrTrx, id: string): Promise<LifeEvent | null> {
  const row = await db.selectFrom('life_events').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    return null;
  }
  return eventFromRow(row, (await actionsOf(db, [id])).get(id) ?? []);
}

/** Every event of the patient, newest date first. */
export async function listLifeEvents(db: DbOrTrx, patientId: string): Promise<LifeEvent[]> {
  const rows = await db
    .selectFrom('life_events')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('event_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .execute();
  const actions = await actionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => eventFromRow(r, actions.get(r.id) ?? []));
}

/** Marks an action done if it is still open; false when someone marked it first. */
export async function markActionDone(
  db: DbOrTrx,
  actionId: string,
  done: { readonly doneAt: string; readonly doneBy: string; readonly doneNote: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('life_event_actions')
    .set({ done_at: done.doneAt, done_by: done.doneBy, done_note: done.doneNote })
    .where('id', '=', actionId)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes an open event (completed or ended); false when someone closed it first. */
export async function closeLifeEvent(
  db: DbOrTrx,
  id: string,
  close: {
    readonly state: 'completed' | 'ended';
    readonly closedAt: string;
    readonly closedBy: string;
    readonly endReason: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('life_events')
    .set({
      state: close.state,
      closed_at: close.closedAt,
      closed_by: close.closedBy,
      end_reason: close.endReason,
    })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
