import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import { CONSULTANT_ACTIONS, plannedActions } from '../domain/life-event-actions.ts';
import {
  actionDoneInputSchema,
  DATE_FIELD,
  endEventInputSchema,
  eventDate,
  LIFE_EVENT_KIND_LABELS,
  renameEndedOn,
  validateDeathInput,
  validatePregnancyInput,
  validateSurgeryInput,
  validateTransferInput,
  type LifeEventDetails,
  type LifeEventKind,
} from '../domain/life-events.ts';
import type { Permission } from '../domain/roles.ts';
import { parseInput } from '../domain/schema-fields.ts';
import type { Trx } from '../storage/database.ts';
import {
  closeLifeEvent,
  findLifeEvent,
  insertLifeEvent,
  listLifeEvents,
  markActionDone,
  type LifeEvent,
  type LifeEventAction,
} from '../storage/life-events.repository.ts';
import { findPendingEndRequest, type EndRequest } from '../storage/pump-lifecycle.repository.ts';
import { listPumpsForPatient, type Pump } from '../storage/pumps.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, recordAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { loadPatient } from './patient-service.ts';
import { requirePermission } from './permission-check.ts';
import { requestPumpEndIn } from './pump-end-requests.ts';
import type { PumpServiceDeps } from './pump-store.ts';
import { uniqueViolationKey } from './unique-conflicts.ts';

/**
 * Recording a pregnancy, surgery at another hospital, a death or a transfer of care, with the
 * checklist each needs (hazards H-150 to H-159). A death, and a transfer dated today or before,
 * asks for the end of every implanted pump in the same transaction, through the pump's own
 * two-person end request (pump-end-requests.ts): the pumps stay implanted and on the refill
 * worklist, with their bookings, until a different clinician confirms each request; only that
 * confirmation cancels the bookings (pump-end-decisions.ts). Nothing here ends a pump.
 */

export type LifeEventDeps = PumpServiceDeps;

const RECORD_PERMISSION: Readonly<Record<LifeEventKind, Permission>> = {
  // Recorded by anyone who keeps the patient's record; the pump is untouched.
  pregnancy: 'patient:write',
  'surgery-elsewhere': 'patient:write',
  // These ask for the pumps' end, which only clinicians who manage pumps may do.
  death: 'pump:manage',
  transfer: 'pump:manage',
};

const MANAGE_ACTIONS = 'Only clinicians who manage pumps can mark life-event actions done or end them';

/** What recording an event returns: the event and the end requests it asked for. */
export interface RecordedLifeEvent {
  readonly event: LifeEvent;
  readonly endRequestIds: readonly string[];
}

function validate(kind: LifeEventKind, raw: unknown, today: PlainDate, pumps: readonly Pump[]) {
  const earliest = pumps.map((p) => p.implantedOn).sort()[0] ?? null;
  switch (kind) {
    case 'pregnancy': {
      const r = validatePregnancyInput(raw, today);
      return r.ok ? { ok: true as const, details: { kind, input: r.value } } : r;
    }
    case 'surgery-elsewhere': {
      const r = validateSurgeryInput(raw, today);
      return r.ok ? { ok: true as const, details: { kind, input: r.value } } : r;
    }
    case 'death': {
      const r = validateDeathInput(raw, today, earliest);
      return r.ok ? { ok: true as const, details: { kind, input: r.value } } : r;
    }
    case 'transfer': {
      const r = validateTransferInput(raw, earliest);
      return r.ok ? { ok: true as const, details: { kind, input: r.value } } : r;
    }
  }
}

async function refuseByState(trx: Trx, patientId: string, kind: LifeEventKind): Promise<void> {
  const events = await listLifeEvents(trx, patientId);
  if (events.some((e) => e.kind === 'death')) {
    throw kind === 'death'
      ? refused('DEATH_ALREADY_RECORDED', 'A death is already recorded for this patient')
      : refused('PATIENT_DIED', 'A death is recorded for this patient: nothing more can be planned for them');
  }
  if (kind === 'transfer' && events.some((e) => e.kind === 'transfer' && e.state === 'open')) {
    throw refused(
      'TRANSFER_ALREADY_OPEN',
      'A transfer of care is already open for this patient: complete or end it before recording another',
    );
  }
}

/**
 * Asks for the end of each implanted pump, dated the death or the transfer; a transfer dated
 * later keeps its "ask for the end" action instead. Each request is the pump's ordinary one.
 */
async function askForEnds(
  trx: Trx,
  deps: LifeEventDeps,
  actor: Actor,
  pumps: readonly Pump[],
  details: LifeEventDetails,
  today: PlainDate,
): Promise<string[]> {
  let ask: { kind: 'death' | 'transfer'; endedOn: PlainDate; reason: string } | null = null;
  if (details.kind === 'death') {
    ask = { kind: 'death', endedOn: details.input.diedOn, reason: `Patient died. ${details.input.source}` };
  } else if (details.kind === 'transfer' && details.input.transferOn <= today) {
    const t = details.input;
    ask = {
      kind: 'transfer',
      endedOn: t.transferOn,
      reason: `Care transferred to ${t.receivingService} (${t.contact})`,
    };
  }
  if (ask === null) {
    return [];
  }
  const ids: string[] = [];
  for (const pump of pumps) {
    try {
      ids.push((await requestPumpEndIn(trx, deps, actor, pump, ask)).id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
        throw validationError(renameEndedOn(err.fieldErrors, DATE_FIELD[details.kind]));
      }
      throw err;
    }
  }
  return ids;
}

/** Records one life event with its checklist, and for a death or transfer asks for the pumps' end. */
export async function recordLifeEvent(
  deps: LifeEventDeps,
  actor: Actor,
  patientId: string,
  kind: LifeEventKind,
  raw: unknown,
): Promise<RecordedLifeEvent> {
  requirePermission(
    actor,
    RECORD_PERMISSION[kind],
    `Your role cannot record ${LIFE_EVENT_KIND_LABELS[kind].toLowerCase()}`,
  );
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await loadPatient(trx, patientId);
      await refuseByState(trx, patientId, kind);
      const pumps = (await listPumpsForPatient(trx, patientId)).filter((p) => p.state === 'implanted');
      const today = serviceToday(deps);
      const checked = validate(kind, raw, today, pumps);
      if (!checked.ok) {
        throw validationError(checked.errors);
      }
      const details = checked.details as LifeEventDetails;
      const endRequestIds = await askForEnds(trx, deps, actor, pumps, details, today);
      const id = randomUUID();
      const planned = plannedActions(details, {
        today,
        pumps,
        deliveryRefillWindowDays: deps.config.pumpRules.deliveryRefillWindowDays,
      });
      const actions: LifeEventAction[] = planned.map((a, i) => ({
        ...a,
        id: randomUUID(),
        eventId: id,
        position: i,
        doneAt: null,
        doneBy: null,
        doneNote: null,
      }));
      const at = deps.clock.now().toISOString();
      const eventOn = eventDate(details);
      await insertLifeEvent(
        trx,
        { id, patientId, kind, eventOn, details, recordedAt: at, recordedBy: actor.userId },
        actions,
      );
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'life-event.record',
          outcome: 'success',
          entityType: 'life-event',
          entityId: id,
          patientId,
          details: { kind, eventOn, endRequestIds, actions: actions.map((a) => a.code) },
        }),
      );
      return { event: (await findLifeEvent(trx, id)) as LifeEvent, endRequestIds };
    });
  } catch (err) {
    const key = uniqueViolationKey(err);
    if (key === 'life_events_one_death_uq') {
      throw refused('DEATH_ALREADY_RECORDED', 'Someone else recorded this death at the same moment', {
        cause: err,
      });
    }
    if (key === 'pump_end_requests_one_pending_uq') {
      throw refused(
        'END_REQUEST_PENDING',
        'Someone else asked to end one of these pumps at the same moment. Reload the page.',
        { cause: err },
      );
    }
    throw err;
  }
}

async function loadOpenEvent(trx: Trx, eventId: string): Promise<LifeEvent> {
  const event = await findLifeEvent(trx, eventId);
  if (!event) {
    throw new AppError('NOT_FOUND', 'Life event not found');
  }
  if (event.state !== 'open') {
    throw refused(
      'LIFE_EVENT_CLOSED',
      `This event has been ${event.state}: its actions can no longer change`,
    );
  }
  return event;
}

/** Marks one action done; the last one done completes the event. */
export async function completeLifeEventAction(
  deps: LifeEventDeps,
  actor: Actor,
  eventId: string,
  code: string,
  raw: unknown,
): Promise<LifeEvent> {
  requirePermission(actor, 'pump:manage', MANAGE_ACTIONS);
  return deps.db.transaction().execute(async (trx) => {
    const event = await loadOpenEvent(trx, eventId);
    const action = event.actions.find((a) => a.code === code);
    if (!action) {
      throw new AppError('NOT_FOUND', 'This event has no such action');
    }
    if (action.doneAt !== null) {
      throw refused('ACTION_ALREADY_DONE', 'This action has already been marked done');
    }
    if (CONSULTANT_ACTIONS.includes(action.code) && actor.role !== 'consultant') {
      throw refused('ACTION_NEEDS_CONSULTANT', 'Only a consultant can mark the review of the dose done');
    }
    const input = parseInput(actionDoneInputSchema, raw);
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const at = deps.clock.now().toISOString();
    if (
      !(await markActionDone(trx, action.id, {
        doneAt: at,
        doneBy: actor.userId,
        doneNote: input.value.note,
      }))
    ) {
      throw new AppError('STALE_EDIT', 'Someone else marked this action done a moment ago. Reload the page.');
    }
    const allDone = event.actions.every((a) => a.id === action.id || a.doneAt !== null);
    if (allDone) {
      await closeLifeEvent(trx, event.id, {
        state: 'completed',
        closedAt: at,
        closedBy: actor.userId,
        endReason: null,
      });
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'life-event.action-done',
        outcome: 'success',
        entityType: 'life-event',
        entityId: event.id,
        patientId: event.patientId,
        details: { code: action.code, completed: allDone },
      }),
    );
    return (await findLifeEvent(trx, event.id)) as LifeEvent;
  });
}

/**
 * Ends an event's checklist early, with a reason (the pregnancy ended, the operation was
 * cancelled). It never touches a pump or an end request: those are decided on the pump.
 */
export async function endLifeEvent(
  deps: LifeEventDeps,
  actor: Actor,
  eventId: string,
  raw: unknown,
): Promise<LifeEvent> {
  requirePermission(actor, 'pump:manage', MANAGE_ACTIONS);
  return deps.db.transaction().execute(async (trx) => {
    const event = await loadOpenEvent(trx, eventId);
    const input = parseInput(endEventInputSchema, raw);
    if (!input.ok) {
      throw validationError(input.errors);
    }
    const at = deps.clock.now().toISOString();
    const closed = {
      state: 'ended',
      closedAt: at,
      closedBy: actor.userId,
      endReason: input.value.reason,
    } as const;
    if (!(await closeLifeEvent(trx, event.id, closed))) {
      throw new AppError('STALE_EDIT', 'Someone else closed this event a moment ago. Reload the page.');
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'life-event.end',
        outcome: 'success',
        entityType: 'life-event',
        entityId: event.id,
        patientId: event.patientId,
        details: { kind: event.kind },
      }),
    );
    return (await findLifeEvent(trx, event.id)) as LifeEvent;
  });
}

/** The patient's life events, newest first, audited as a read. */
export async function patientLifeEvents(
  deps: LifeEventDeps,
  actor: Actor,
  patientId: string,
): Promise<LifeEvent[]> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  await loadPatient(deps.db, patientId);
  const events = await listLifeEvents(deps.db, patientId);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'life-event.view',
      outcome: 'success',
      entityType: 'patient',
      entityId: patientId,
      patientId,
    }),
  );
  return events;
}

/** One event, for the pages that act on it. */
export async function findLifeEventById(deps: LifeEventDeps, eventId: string): Promise<LifeEvent> {
  const event = await findLifeEvent(deps.db, eventId);
  if (!event) {
    throw new AppError('NOT_FOUND', 'Life event not found');
  }
  return event;
}

/** A pump as the event's page shows it: its state and any end request waiting for a second clinician. */
export interface EventPump {
  readonly pump: Pump;
  readonly pendingEnd: EndRequest | null;
}

/** What the event's page shows: the event, the patient, their pumps and the names it mentions (audited as a read). */
export async function lifeEventPage(deps: LifeEventDeps, actor: Actor, eventId: string) {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  const event = await findLifeEventById(deps, eventId);
  const patient = await loadPatient(deps.db, event.patientId);
  const pumps: EventPump[] = [];
  for (const pump of await listPumpsForPatient(deps.db, event.patientId)) {
    pumps.push({ pump, pendingEnd: await findPendingEndRequest(deps.db, pump.id) });
  }
  const names = await displayNames(deps.db, [
    event.recordedBy,
    ...event.actions.flatMap((a) => (a.doneBy === null ? [] : [a.doneBy])),
    ...(event.closedBy === null ? [] : [event.closedBy]),
    ...pumps.flatMap((p) => (p.pendingEnd === null ? [] : [p.pendingEnd.requestedBy])),
  ]);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'life-event.view',
      outcome: 'success',
      entityType: 'life-event',
      entityId: event.id,
      patientId: event.patientId,
    }),
  );
  return { event, patient, pumps, names, today: serviceToday(deps) };
}
