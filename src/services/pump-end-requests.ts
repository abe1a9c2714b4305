import { randomUUID } from 'node:crypto';
import type { PlainDate } from '../domain/calendar-date.ts';
import {
  CORRECTABLE_STATES,
  replacementReason,
  validateCorrectionInput,
  validateEndRequestInput,
} from '../domain/pump-lifecycle.ts';
import type { Trx } from '../storage/database.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import {
  findEndRequest,
  findPendingEndRequest,
  insertEndRequest,
  type EndRequest,
} from '../storage/pump-lifecycle.repository.ts';
import type { Pump } from '../storage/pumps.repository.ts';
import { refused, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import { today as serviceToday } from './clock.ts';
import { requirePermission } from './permission-check.ts';
import { loadPump, requireImplanted, type PumpServiceDeps } from './pump-store.ts';

/**
 * Asking to end a pump (explant, death, transfer of care, replacement) or to correct a mistaken
 * end: the first of the two steps by two clinicians (hazards H-035, H-036). One clinician records
 * the request, with its date and reason; the pump stays implanted and on the worklist, marked
 * "ending: awaiting confirmation", until a different clinician decides it (pump-end-decisions.ts).
 * One request waits per pump at a time.
 *
 * A replacement is asked for by registering the new pump (pump-service.ts registerPump): the
 * request is dated the new pump's implant date, with the reason "Replaced by <serial>".
 *
 * Death is recorded per pump, like the others: a patient with two implanted pumps needs a
 * request for each, so no pump ever leaves the list as a side effect of another's record.
 */

export const MANAGE_ENDS = 'Only clinicians who manage pumps can record or decide the end of a pump';

/** One request at a time per pump: a second is refused, and so is one racing it (unique index). */
async function oneRequestAtATime<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw refused(
        'END_REQUEST_PENDING',
        'Someone else asked to end or correct this pump at the same moment. Reload the page to see their request.',
        { cause: err },
      );
    }
    throw err;
  }
}

async function requireNoPendingRequest(trx: Trx, pump: Pump): Promise<void> {
  if (await findPendingEndRequest(trx, pump.id)) {
    throw refused(
      'END_REQUEST_PENDING',
      'A request to end or correct this pump is already waiting for a second clinician: confirm or reject it first',
    );
  }
}

/** What differs between the kinds of request; the rest is the same pending request by the actor. */
type RequestFields = Pick<
  EndRequest,
  'kind' | 'endedOn' | 'reason' | 'previousState' | 'previousEndedOn' | 'replacementPumpId'
>;

/** Stores a pending request on the pump and audits it, with `details` beside the request's id and kind. */
async function recordRequest(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  fields: RequestFields,
  details: Record<string, unknown>,
): Promise<EndRequest> {
  const id = randomUUID();
  await insertEndRequest(trx, {
    id,
    pumpId: pump.id,
    patientId: pump.patientId,
    ...fields,
    state: 'pending',
    requestedAt: deps.clock.now().toISOString(),
    requestedBy: actor.userId,
    decidedAt: null,
    decidedBy: null,
    decisionNote: null,
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
      details: { requestId: id, kind: fields.kind, ...details },
    }),
  );
  return (await findEndRequest(trx, id)) as EndRequest;
}

const NO_CORRECTION = { previousState: null, previousEndedOn: null } as const;

/** An ask about one pump, by someone who manages pumps: in a transaction, with the pump loaded. */
function askAbout(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  work: (trx: Trx, pump: Pump) => Promise<EndRequest>,
): Promise<EndRequest> {
  requirePermission(actor, 'pump:manage', MANAGE_ENDS);
  return oneRequestAtATime(() =>
    deps.db.transaction().execute(async (trx) => work(trx, await loadPump(trx, pumpId))),
  );
}

/** Records a request to end the pump. The pump stays implanted, and on the worklist, until confirmed. */
export async function requestPumpEnd(
  deps: PumpServiceDeps,
  actor: Actor,
  pumpId: string,
  raw: unknown,
): Promise<EndRequest> {
  return askAbout(deps, actor, pumpId, async (trx, pump) => requestPumpEndIn(trx, deps, actor, pump, raw));
}

/**
 * The same request inside the caller's transaction, for a record that asks for a pump's end as
 * part of it (a death or a transfer of care recorded as a life event): the caller has checked
 * the actor's permission and holds the pump; the pump still ends only when a different
 * clinician confirms. A racing request is refused by the unique index; the caller maps it.
 */
export async function requestPumpEndIn(
  trx: Trx,
  deps: PumpServiceDeps,
  actor: Actor,
  pump: Pump,
  raw: unknown,
): Promise<EndRequest> {
  requireImplanted(pump);
  await requireNoPendingRequest(trx, pump);
  const result = validateEndRequestInput(raw, pump.implantedOn, serviceToday(deps));
  if (!result.ok) {
    throw validationError(result.errors);
  }
  const v = result.value;
  return recordRequest(
    trx,
    deps,
    actor,
    pump,
    { kind: v.kind, endedOn: v.endedOn, reason: v.reason, ...NO_CORRECTION, replacementPumpId: null },
    { endedOn: v.endedOn },
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
  return recordRequest(
    trx,
    deps,
    actor,
    old,
    {
      kind: 'replacement',
      endedOn: replacement.implantedOn,
      reason: replacementReason(replacement.serialNumber),
      ...NO_CORRECTION,
      replacementPumpId: replacement.id,
    },
    { endedOn: replacement.implantedOn, replacementPumpId: replacement.id },
  );
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
  return askAbout(deps, actor, pumpId, async (trx, pump) => {
    if (!CORRECTABLE_STATES.includes(pump.state)) {
      throw refused(
        'END_NOT_CORRECTABLE',
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
    return recordRequest(
      trx,
      deps,
      actor,
      pump,
      {
        kind: 'correction',
        endedOn: null,
        reason: result.value.reason,
        previousState: pump.state,
        previousEndedOn: pump.endedOn,
        replacementPumpId: null,
      },
      { previousState: pump.state, previousEndedOn: pump.endedOn },
    );
  });
}
