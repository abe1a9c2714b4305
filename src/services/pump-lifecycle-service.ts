import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import {
  CORRECTABLE_STATES,
  END_KIND_LABELS,
  endedStateOf,
  PUMP_STATE_LABELS,
  replacementReason,
  validateCorrectionInput,
  validateEndConfirmInput,
  validateEndRejectInput,
  validateEndRequestInput,
  type EndingKind,
} from '../domain/pump-lifecycle.ts';
import type { Trx } from '../storage/database.ts';
import {
  decideEndRequest,
  findEndRequest,
  findPendingEndRequest,
  insertEndRequest,
  type EndRequest,
} from '../storage/pump-lifecycle.repository.ts';
import {
  cancelBookedAppointments,
  findPumpById,
  insertPumpEvent,
  refreshBookedRefill,
  type Pump,
} from '../storage/pumps.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { loadPump, requireImplanted, savePump, type PumpServiceDeps } from './pump-store.ts';

/**
 * Ending a pump (explant, death, transfer of care, replacement) and correcting a mistaken end,
 * each in two steps by two clinicians (hazards H-035, H-036): one records the request, with its
 * date and reason; the pump stays implanted and on the worklist, marked "ending: awaiting
 * confirmation"; a different clinician confirms it (the pump ends on the requested date, its
 * bookings are cancelled, an event is recorded) or rejects it with a reason (nothing changes).
 * The one who asked may withdraw the request with a reason. One request waits per pump at a time.
 *
 * A replacement is asked for by registering the new pump (pump-service.ts registerPump): the
 * request is dated the new pump's implant date, with the reason "Replaced by <serial>". Rejected,
 * the old pump stays implanted and on the list and the new pump stays registered; the record is
 * then put right with the other requests (the old pump's explant on its true date, or the new
 * pump's end if it was registered in error).
 *
 * Death is recorded per pump, like the others: a patient with two implanted pumps needs a
 * request for each, so no pump ever leaves the list as a side effect of another's record.
 */

const MANAGE = 'Only clinicians who manage pumps can record or decide the end of a pump';

/** One request at a time per pump: a second is refused, and so is one racing it (unique index). */
export async function oneRequestAtATime<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'INVALID_STATE',
        'Someone else asked to end or correct this pump at the same moment. Reload the page to see their request.',
        { cause: err },
      );
    }
    throw err;
  }
}

async function requireNoPendingRequest(trx: Trx, pump: Pump): Promise<void> {
  const pending = await findPendingEndRequest(trx, pump.id);
  if (pending) {
    throw new AppError(
      'INVALID_STATE',
      'A request to end or correct this pump is already waiting for a second clinician: confirm or reject it first',
    );
  }
}

async function loadPendingRequest(trx: Trx, requestId: string): Promise<EndRequest> {
  const request = await findEndRequest(trx, requestId);
  if (!request) {
    throw new AppError('NOT_FOUND', 'Request not found');
  }
  if (request.state !== 'pending') {
    throw new AppError('INVALID_STATE', `This request has already been ${request.state}`);
  }
  return request;
}

async function mustDecide(trx: Trx, id: string, changes: Parameters<typeof decideEndRequest>[2]) {
  if (!(await decideEndRequest(trx, id, changes))) {
    throw new AppError(
      'STALE_EDIT',
      'Someone else decided this request while you were saving. Reload the page.',
    );
  }
}

/** Records a request to end the pump. The pump stays implanted, and on the worklist, until confirmed. */
export async function requestPumpEnd(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<EndRequest> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return oneRequestAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      requireImplanted(pump);
      await requireNoPendingRequest(trx, pump);
      const result = validateEndRequestInput(raw, pump.implantedOn, serviceToday(deps));
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const v = result.value;
      const id = randomUUID();
      await insertEndRequest(trx, {
        id,
        pump_id: pump.id,
        patient_id: pump.patientId,
        kind: v.kind,
        ended_on: v.endedOn,
        reason: v.reason,
        previous_state: null,
        previous_ended_on: null,
        replacement_pump_id: null,
        state: 'pending',
        requested_at: deps.clock.now().toISOString(),
        requested_by: actor.userId,
        decided_at: null,
        decided_by: null,
        decision_note: null,
      });
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'pump.end-request',
          outcome: 'success',
          entityType: 'pump',
          entityId: pump.id,
          patientId: pump.patientId,
          details: { requestId: id, kind: v.kind, endedOn: v.endedOn },
        }),
      );
      return (await findEndRequest(trx, id)) as EndRequest;
    }),
  );
}

/**
 * Asks, inside the new pump's registration, for the pump it replaces to end on the new pump's
 * implant date. The old pump stays implanted, with its plan and bookings, and on the worklist
 * marked as ending, until a different clinician confirms it. The caller has checked that the old
 * pump is implanted and has no request waiting (the unique index refuses one racing it).
 */
export async function requestReplacementEnd(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  old: Pump,
  replacement: { readonly id: string; readonly serialNumber: string; readonly implantedOn: PlainDate },
): Promise<EndRequest> {
  const id = randomUUID();
  await insertEndRequest(trx, {
    id,
    pump_id: old.id,
    patient_id: old.patientId,
    kind: 'replacement',
    ended_on: replacement.implantedOn,
    reason: replacementReason(replacement.serialNumber),
    previous_state: null,
    previous_ended_on: null,
    replacement_pump_id: replacement.id,
    state: 'pending',
    requested_at: deps.clock.now().toISOString(),
    requested_by: actor.userId,
    decided_at: null,
    decided_by: null,
    decision_note: null,
  });
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action: 'pump.end-request',
      outcome: 'success',
      entityType: 'pump',
      entityId: old.id,
      patientId: old.patientId,
      details: {
        requestId: id,
        kind: 'replacement',
        endedOn: replacement.implantedOn,
        replacementPumpId: replacement.id,
      },
    }),
  );
  return (await findEndRequest(trx, id)) as EndRequest;
}

/**
 * Asks for a confirmed end to be reversed (a mistaken explant, death or transfer). Confirmed
 * by a second clinician like the end itself, since it puts a pump back on the list with dates.
 */
export async function requestEndCorrection(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<EndRequest> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return oneRequestAtATime(() =>
    deps.db.transaction().execute(async (trx) => {
      const pump = await loadPump(trx, pumpId);
      if (!CORRECTABLE_STATES.includes(pump.state)) {
        throw new AppError(
          'INVALID_STATE',
          pump.state === 'implanted'
            ? 'This pump is implanted: there is no end to correct'
            : 'A replaced pump cannot be put back: its successor is on the worklist in its place',
        );
      }
      await requireNoPendingRequest(trx, pump);
      const result = validateCorrectionInput(raw);
      if (!result.ok) {
        throw validationError(result.errors);
      }
      const id = randomUUID();
      await insertEndRequest(trx, {
        id,
        pump_id: pump.id,
        patient_id: pump.patientId,
        kind: 'correction',
        ended_on: null,
        reason: result.value.reason,
        previous_state: pump.state,
        previous_ended_on: pump.endedOn,
        replacement_pump_id: null,
        state: 'pending',
        requested_at: deps.clock.now().toISOString(),
        requested_by: actor.userId,
        decided_at: null,
        decided_by: null,
        decision_note: null,
      });
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'pump.end-request',
          outcome: 'success',
          entityType: 'pump',
          entityId: pump.id,
          patientId: pump.patientId,
          details: {
            requestId: id,
            kind: 'correction',
            previousState: pump.state,
            previousEndedOn: pump.endedOn,
          },
        }),
      );
      return (await findEndRequest(trx, id)) as EndRequest;
    }),
  );
}

/**
 * A replacement ends the old pump only while the new one is implanted: if the new pump has
 * itself ended since (registered in error and removed from the list), confirming would leave
 * the patient with no pump on the worklist.
 */
async function requireReplacementImplanted(trx: Trx, request: EndRequest): Promise<void> {
  const replacement =
    request.replacementPumpId === null ? null : await findPumpById(trx, request.replacementPumpId);
  if (replacement?.state !== 'implanted') {
    const now = replacement ? PUMP_STATE_LABELS[replacement.state].toLowerCase() : 'not found';
    throw new AppError(
      'INVALID_STATE',
      `The pump registered to replace this one is ${now}: reject this request, so this pump stays on the refill worklist`,
    );
  }
}

/** Ends the pump as requested: its state, end date, cancelled bookings and an event. */
async function endPump(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  request: EndRequest,
  at: string,
) {
  requireImplanted(pump);
  const kind = request.kind as EndingKind;
  if (kind === 'replacement') {
    await requireReplacementImplanted(trx, request);
  }
  await savePump(trx, deps, actor, pump, { state: endedStateOf(kind), ended_on: request.endedOn });
  // The bookings were for a pump this service no longer refills; the new pump is booked afresh.
  const why = kind === 'replacement' ? request.reason : END_KIND_LABELS[kind];
  await cancelBookedAppointments(trx, pump.id, why, actor.userId, at);
  await refreshBookedRefill(trx, pump.id);
  await insertPumpEvent(trx, {
    id: randomUUID(),
    pump_id: pump.id,
    kind,
    occurred_on: request.endedOn ?? serviceToday(deps),
    note: request.reason,
    recorded_at: at,
    recorded_by: actor.userId,
  });
}

/**
 * Puts a mistakenly ended pump back: implanted, no end date, its worklist dates worked out again
 * from its last plan (savePump). Cancelled bookings stay cancelled, so the worklist shows it as
 * needing a booking (escalated) until someone books it again.
 */
async function restorePump(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  request: EndRequest,
  at: string,
) {
  if (pump.state !== request.previousState) {
    throw new AppError(
      'INVALID_STATE',
      `This pump is now ${PUMP_STATE_LABELS[pump.state].toLowerCase()}, not as it was when the correction was asked for: reject the request and ask again`,
    );
  }
  await savePump(trx, deps, actor, pump, { state: 'implanted', ended_on: null });
  await insertPumpEvent(trx, {
    id: randomUUID(),
    pump_id: pump.id,
    kind: 'end-corrected',
    occurred_on: serviceToday(deps),
    note: request.reason,
    recorded_at: at,
    recorded_by: actor.userId,
  });
}

/** A second, different clinician confirms a request: the pump ends, or an end is reversed. */
export async function confirmEndRequest(
  deps: PumpServiceDeps,
  actor: Actor,
  requestId: string,
  raw: unknown,
): Promise<{ request: EndRequest; pump: Pump }> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return deps.db.transaction().execute(async (trx) => {
    const request = await loadPendingRequest(trx, requestId);
    if (request.requestedBy === actor.userId) {
      throw validationError([
        {
          field: 'checkedBy',
          message: 'A different clinician from the one who asked must confirm it',
        },
      ]);
    }
    const result = validateEndConfirmInput(raw);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const pump = await loadPump(trx, request.pumpId);
    const at = deps.clock.now().toISOString();
    if (request.kind === 'correction') {
      await restorePump(trx, deps, actor, pump, request, at);
    } else {
      await endPump(trx, deps, actor, pump, request, at);
    }
    await mustDecide(trx, request.id, {
      state: 'confirmed',
      decided_at: at,
      decided_by: actor.userId,
      decision_note: result.value.note,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump.end-decide',
        outcome: 'success',
        entityType: 'pump',
        entityId: pump.id,
        patientId: pump.patientId,
        details: {
          requestId: request.id,
          decision: 'confirm',
          kind: request.kind,
          requestedBy: request.requestedBy,
          endedOn: request.endedOn,
          previousState: pump.state,
          replacementPumpId: request.replacementPumpId,
        },
      }),
    );
    return {
      request: (await findEndRequest(trx, request.id)) as EndRequest,
      pump: await loadPump(trx, pump.id),
    };
  });
}

/** Rejects a request with a reason (or its maker withdraws it): nothing else changes. */
export async function rejectEndRequest(
  deps: PumpServiceDeps,
  actor: Actor,
  requestId: string,
  raw: unknown,
): Promise<EndRequest> {
  requirePermission(actor, 'pump:manage', MANAGE);
  return deps.db.transaction().execute(async (trx) => {
    const request = await loadPendingRequest(trx, requestId);
    const result = validateEndRejectInput(raw);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    await mustDecide(trx, request.id, {
      state: 'rejected',
      decided_at: deps.clock.now().toISOString(),
      decided_by: actor.userId,
      decision_note: result.value.reason,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'pump.end-decide',
        outcome: 'success',
        entityType: 'pump',
        entityId: request.pumpId,
        patientId: request.patientId,
        details: {
          requestId: request.id,
          decision: request.requestedBy === actor.userId ? 'withdraw' : 'reject',
          kind: request.kind,
          requestedBy: request.requestedBy,
        },
      }),
    );
    return (await findEndRequest(trx, request.id)) as EndRequest;
  });
}
