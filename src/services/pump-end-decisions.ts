import {
  END_KIND_LABELS,
  endedStateOf,
  isOwnRequest,
  PUMP_STATE_LABELS,
  validateEndConfirmInput,
  validateEndRejectInput,
  type EndingKind,
} from '../domain/pump-lifecycle.ts';
import type { Trx } from '../storage/database.ts';
import { cancelBookedAppointments, refreshBookedRefill } from '../storage/pump-appointments.repository.ts';
import {
  countPendingEndRequests,
  decideEndRequest,
  findEndRequest,
  type EndRequest,
  type EndRequestDecision,
} from '../storage/pump-lifecycle.repository.ts';
import { findPumpById, type Pump } from '../storage/pumps.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { requireBridgingPlanBeforeEnd } from './bridging-plan-service.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { MANAGE_ENDS } from './pump-end-requests.ts';
import { logPumpEvent } from './pump-event-log.ts';
import { loadPump, requireImplanted, savePump, type PumpServiceDeps } from './pump-store.ts';

/**
 * Deciding a request to end a pump or correct its end: the second of the two steps (hazards
 * H-035, H-036). A different clinician from the one who asked confirms it (the pump ends on the
 * requested date, its bookings are cancelled, an event is recorded; or a mistaken end is
 * reversed) or rejects it with a reason (nothing changes); the one who asked may withdraw it.
 *
 * A rejected replacement leaves the old pump implanted and on the list and the new pump
 * registered; the record is then put right with the other requests (the old pump's explant on
 * its true date, or the new pump's end if it was registered in error).
 */

/** The request, by id, for the pump page's forms to find which pump they are on. */
export async function findEndRequestById(deps: PumpServiceDeps, requestId: string): Promise<EndRequest> {
  const request = await findEndRequest(deps.db, requestId);
  if (!request) {
    throw new AppError('NOT_FOUND', 'Request not found');
  }
  return request;
}

/** Requests waiting for a second clinician, caseload-wide: to end a pump, and to correct an end. */
export async function countWaitingEndRequests(
  deps: PumpServiceDeps,
): Promise<{ readonly ends: number; readonly corrections: number }> {
  return countPendingEndRequests(deps.db);
}

async function loadPendingRequest(trx: Trx, requestId: string): Promise<EndRequest> {
  const request = await findEndRequest(trx, requestId);
  if (!request) {
    throw new AppError('NOT_FOUND', 'Request not found');
  }
  if (request.state !== 'pending') {
    throw refused('END_REQUEST_DECIDED', `This request has already been ${request.state}`);
  }
  return request;
}

/** Stores the decision, unless someone decided the request first, and audits it with `details`. */
async function recordDecision(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  request: EndRequest,
  decision: Omit<EndRequestDecision, 'decidedBy'>,
  details: Record<string, unknown>,
): Promise<void> {
  if (!(await decideEndRequest(trx, request.id, { ...decision, decidedBy: actor.userId }))) {
    throw new AppError(
      'STALE_EDIT',
      'Someone else decided this request while you were saving. Reload the page.',
    );
  }
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action: 'pump.end-decide',
      outcome: 'success',
      entityType: 'pump',
      entityId: request.pumpId,
      patientId: request.patientId,
      details: { requestId: request.id, ...details },
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
    throw refused(
      'REPLACEMENT_NOT_IMPLANTED',
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
  await requireBridgingPlanBeforeEnd(trx, request);
  await savePump(trx, deps, actor, pump, { state: endedStateOf(kind), endedOn: request.endedOn });
  // The bookings were for a pump this service no longer refills; the new pump is booked afresh.
  const why = kind === 'replacement' ? request.reason : END_KIND_LABELS[kind];
  await cancelBookedAppointments(trx, pump.id, why, actor.userId, at);
  await refreshBookedRefill(trx, pump.id);
  const occurredOn = request.endedOn ?? serviceToday(deps);
  await logPumpEvent(trx, actor, { pumpId: pump.id, kind, occurredOn, note: request.reason }, at);
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
    throw refused(
      'PUMP_STATE_CHANGED',
      `This pump is now ${PUMP_STATE_LABELS[pump.state].toLowerCase()}, not as it was when the correction was asked for: reject the request and ask again`,
    );
  }
  await savePump(trx, deps, actor, pump, { state: 'implanted', endedOn: null });
  const event = {
    pumpId: pump.id,
    kind: 'end-corrected',
    occurredOn: serviceToday(deps),
    note: request.reason,
  } as const;
  await logPumpEvent(trx, actor, event, at);
}

/** A second, different clinician confirms a request: the pump ends, or an end is reversed. */
export async function confirmEndRequest(
  deps: PumpServiceDeps,
  actor: Actor,
  requestId: string,
  raw: unknown,
): Promise<{ request: EndRequest; pump: Pump }> {
  requirePermission(actor, 'pump:manage', MANAGE_ENDS);
  return deps.db.transaction().execute(async (trx) => {
    const request = await loadPendingRequest(trx, requestId);
    if (isOwnRequest(request, actor.userId)) {
      throw validationError(
        [
          {
            field: 'checkedBy',
            message: 'A different clinician from the one who asked must confirm it',
          },
        ],
        'CONFIRMER_IS_REQUESTER',
      );
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
    await recordDecision(
      trx,
      deps,
      actor,
      request,
      { state: 'confirmed', decidedAt: at, decisionNote: result.value.note },
      {
        decision: 'confirm',
        kind: request.kind,
        requestedBy: request.requestedBy,
        endedOn: request.endedOn,
        previousState: pump.state,
        replacementPumpId: request.replacementPumpId,
      },
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
  requirePermission(actor, 'pump:manage', MANAGE_ENDS);
  return deps.db.transaction().execute(async (trx) => {
    const request = await loadPendingRequest(trx, requestId);
    const result = validateEndRejectInput(raw);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    await recordDecision(
      trx,
      deps,
      actor,
      request,
      { state: 'rejected', decidedAt: deps.clock.now().toISOString(), decisionNote: result.value.reason },
      {
        decision: isOwnRequest(request, actor.userId) ? 'withdraw' : 'reject',
        kind: request.kind,
        requestedBy: request.requestedBy,
      },
    );
    return (await findEndRequest(trx, request.id)) as EndRequest;
  });
}
