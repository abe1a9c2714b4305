import { randomUUID } from 'node:crypto';
import {
  EMERGENCY_KIND_LABELS,
  validateCloseEvent,
  validateRecordEvent,
} from '../domain/emergency-events.ts';
import type { Db, DbOrTrx } from '../storage/database.ts';
import {
  closeEmergencyEventIfOpen,
  countOpenEvents,
  findAdviceCall,
  findEmergencyEvent,
  findEmergencyEventRead,
  insertEmergencyEvent,
  listAllOpenEvents,
  listOpenEventsForPatient,
  listPatientEmergencyEvents,
  patientIdOfRecord,
  type EmergencyEvent,
  type EmergencyEventRead,
  type PatientRecordKind,
} from '../storage/emergency.repository.ts';
import { findPatientById } from '../storage/patients.repository.ts';
import { listPumpsForPatient } from '../storage/pumps.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, auditListView, recordAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { requirePermission } from './permission-check.ts';

/**
 * Emergency events (hazards H-110 to H-119): recorded by any clinician who may raise one, open
 * until a consultant closes it with the outcome. While open, the event is shown on every page of
 * the patient's record (the pages' alert hook asks `alertsForRecord`), heads the refill worklist
 * and counts on the home page. Closing is checked here as well as on the route: only a role with
 * `emergency:close` (consultants) may, and only once (the update is conditional on the event
 * being open, so two closes at the same moment cannot both succeed).
 */

interface Deps {
  readonly db: Db;
  readonly clock: Clock;
}

export type { EmergencyEvent, EmergencyEventRead };

/**
 * The patient's open emergency events, earliest onset first. Not audited: it is part of the page
 * or summary that asks, which audits its own view. The seam the emergency summary uses.
 */
export async function openEmergencyEvents(db: DbOrTrx, patientId: string): Promise<EmergencyEventRead[]> {
  return listOpenEventsForPatient(db, patientId);
}

async function requirePatient(db: DbOrTrx, patientId: string) {
  const patient = await findPatientById(db, patientId);
  if (!patient) {
    throw new AppError('NOT_FOUND', 'No such patient');
  }
  return patient;
}

export async function recordEmergencyEvent(
  deps: Deps,
  actor: Actor,
  patientId: string,
  raw: unknown,
): Promise<EmergencyEventRead> {
  requirePermission(actor, 'emergency:record', 'Your role cannot record emergency events');
  const now = deps.clock.now().toISOString();
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await requirePatient(trx, patientId);
    const result = validateRecordEvent(raw, now);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    if (v.adviceCallId !== null) {
      const call = await findAdviceCall(trx, v.adviceCallId);
      if (call?.patientId !== patientId) {
        throw validationError([
          { field: 'adviceCallId', message: 'The advice-line call must be one logged for this patient' },
        ]);
      }
    }
    // The pump the event concerns: the patient's implanted one, when there is one.
    const pump = (await listPumpsForPatient(trx, patientId)).find((p) => p.state === 'implanted') ?? null;
    const event: EmergencyEvent = {
      id,
      patientId,
      pumpId: pump?.id ?? null,
      kind: v.kind,
      onsetAt: v.onsetAt,
      signs: v.signs,
      signsNote: v.signsNote,
      actionsTaken: v.actionsTaken,
      adviceCallId: v.adviceCallId,
      state: 'open',
      recordedAt: now,
      recordedBy: actor.userId,
      closedAt: null,
      closedBy: null,
      outcome: null,
      outcomeNote: null,
    };
    await insertEmergencyEvent(trx, event);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'emergency.record',
        outcome: 'success',
        entityType: 'emergency-event',
        entityId: id,
        patientId,
        details: {
          kind: v.kind,
          onsetAt: v.onsetAt,
          pumpId: event.pumpId,
          signs: v.signs,
          adviceCallId: v.adviceCallId,
        },
      }),
    );
  });
  return (await findEmergencyEventRead(deps.db, id)) as EmergencyEventRead;
}

export async function closeEmergencyEvent(
  deps: Deps,
  actor: Actor,
  eventId: string,
  raw: unknown,
): Promise<EmergencyEventRead> {
  // The consultant's decision: checked here too, so the API, CLI and demo cannot skip it (H-111).
  requirePermission(actor, 'emergency:close', 'Only a consultant can close an emergency event');
  await deps.db.transaction().execute(async (trx) => {
    const event = await findEmergencyEvent(trx, eventId);
    if (!event) {
      throw new AppError('NOT_FOUND', 'No such emergency event');
    }
    if (event.state !== 'open') {
      throw refused('EMERGENCY_EVENT_CLOSED', 'This emergency event has already been closed');
    }
    const result = validateCloseEvent(raw);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const at = deps.clock.now().toISOString();
    const closed = await closeEmergencyEventIfOpen(trx, eventId, {
      closedAt: at,
      closedBy: actor.userId,
      outcome: result.value.outcome,
      outcomeNote: result.value.outcomeNote,
    });
    if (!closed) {
      throw refused('EMERGENCY_EVENT_CLOSED', 'Someone else closed this emergency event at the same moment');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'emergency.close',
        outcome: 'success',
        entityType: 'emergency-event',
        entityId: eventId,
        patientId: event.patientId,
        details: { kind: event.kind, outcome: result.value.outcome },
      }),
    );
  });
  return (await findEmergencyEventRead(deps.db, eventId)) as EmergencyEventRead;
}

/** A patient's events, open first; audited as a read of the patient's record. */
export async function patientEmergencyEvents(
  deps: Deps,
  actor: Actor,
  patientId: string,
): Promise<EmergencyEventRead[]> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  await requirePatient(deps.db, patientId);
  const events = await listPatientEmergencyEvents(deps.db, patientId);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'emergency.view',
      outcome: 'success',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: { shown: events.length },
    }),
  );
  return events;
}

/** One event; audited as a read of the patient's record. */
export async function viewEmergencyEvent(
  deps: Deps,
  actor: Actor,
  eventId: string,
): Promise<EmergencyEventRead> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  const event = await findEmergencyEventRead(deps.db, eventId);
  if (!event) {
    throw new AppError('NOT_FOUND', 'No such emergency event');
  }
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'emergency.view',
      outcome: 'success',
      entityType: 'emergency-event',
      entityId: eventId,
      patientId: event.patientId,
      details: {},
    }),
  );
  return event;
}

/** The most open events one list shows; more than this at once would be a major incident. */
export const OPEN_EVENTS_SHOWN = 200;

/**
 * Every open event in the service, earliest onset first, for /emergency-events; the worklist
 * reads them within its own audited view (viewRefillWorklist).
 */
export async function serviceOpenEvents(deps: Deps, actor: Actor) {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  const events = await listAllOpenEvents(deps.db, OPEN_EVENTS_SHOWN);
  await auditListView(deps.db, deps.clock, actor, { list: 'emergency-events:open', shown: events.length });
  return events;
}

/** How many events are open, for the home page. */
export async function openEventCount(deps: Deps): Promise<number> {
  return countOpenEvents(deps.db);
}

/**
 * The open events of the patient a page belongs to, found from the record the page shows (a
 * pump, a refill, a referral …); empty when the record is unknown. What the pages' alert hook
 * calls for every page of a patient's record (H-110).
 */
export async function alertsForRecord(
  deps: Deps,
  kind: PatientRecordKind,
  id: string,
): Promise<EmergencyEventRead[]> {
  const patientId = await patientIdOfRecord(deps.db, kind, id);
  return patientId === null ? [] : listOpenEventsForPatient(deps.db, patientId);
}

/** "Suspected withdrawal", for texts that name an event's kind. */
export function eventKindLabel(event: Pick<EmergencyEvent, 'kind'>): string {
  return EMERGENCY_KIND_LABELS[event.kind];
}
