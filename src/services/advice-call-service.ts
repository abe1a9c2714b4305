import { randomUUID } from 'node:crypto';
import { suggestedEvents, validateLogCall } from '../domain/advice-calls.ts';
import type { EmergencyKind } from '../domain/emergency-events.ts';
import type { Db } from '../storage/database.ts';
import {
  countAdviceCalls,
  findAdviceCall,
  insertAdviceCall,
  listAdviceCalls,
  listPatientAdviceCalls,
  type AdviceCall,
  type AdviceCallRead,
} from '../storage/emergency.repository.ts';
import { findPatientById, findPatientsByIds, type Patient } from '../storage/patients.repository.ts';
import {
  findPumpAppointment,
  listPumpAppointments,
  type PumpAppointment,
} from '../storage/pump-appointments.repository.ts';
import { listPumpsForPatient } from '../storage/pumps.repository.ts';
import { AppError, validationError } from './app-error.ts';
import { actorEvent, appendAudit, auditListView, recordAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { requirePermission } from './permission-check.ts';

/**
 * Calls to the advice line (hazards H-113 to H-115): logged with who called, why, the advice
 * given and the follow-up (a booked refill, review or replacement appointment of the patient's
 * pump, A&E, or none with the reason). A call reporting signs of overdose or withdrawal, or a
 * two-tone alarm, suggests opening an emergency event (the page offers it after saving).
 */

interface Deps {
  readonly db: Db;
  readonly clock: Clock;
}

export type { AdviceCall, AdviceCallRead };

export interface LoggedCall {
  readonly call: AdviceCallRead;
  /** The emergency events the call suggests opening, most serious first (none for an unknown caller). */
  readonly suggestedEvents: readonly EmergencyKind[];
}

export async function logAdviceCall(deps: Deps, actor: Actor, raw: unknown): Promise<LoggedCall> {
  requirePermission(actor, 'advice:log', 'Your role cannot log advice-line calls');
  const now = deps.clock.now().toISOString();
  const id = randomUUID();
  const value = await deps.db.transaction().execute(async (trx) => {
    const result = validateLogCall(raw, now);
    if (!result.ok) {
      throw validationError(result.errors);
    }
    const v = result.value;
    if (v.patientId !== null && !(await findPatientById(trx, v.patientId))) {
      throw validationError([{ field: 'patientId', message: 'No patient is registered with that id' }]);
    }
    if (v.followUp === 'appointment' && v.appointmentId !== null) {
      const appointment = await findPumpAppointment(trx, v.appointmentId);
      if (appointment?.patientId !== v.patientId || appointment.state !== 'booked') {
        throw validationError([
          { field: 'appointmentId', message: 'Choose a booked appointment of this patient’s pump' },
        ]);
      }
    }
    const call: AdviceCall = {
      id,
      calledAt: v.calledAt,
      patientId: v.patientId,
      callerKind: v.callerKind,
      callerName: v.callerName,
      callerIdentity: v.callerIdentity,
      reason: v.reason,
      details: v.details,
      overdoseSigns: v.overdoseSigns,
      withdrawalSigns: v.withdrawalSigns,
      adviceGiven: v.adviceGiven,
      followUp: v.followUp,
      appointmentId: v.followUp === 'appointment' ? v.appointmentId : null,
      followUpNote: v.followUpNote,
      recordedAt: now,
      recordedBy: actor.userId,
    };
    await insertAdviceCall(trx, call);
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'advice-call.log',
        outcome: 'success',
        entityType: 'advice-call',
        entityId: id,
        patientId: v.patientId,
        details: {
          reason: v.reason,
          callerKind: v.callerKind,
          followUp: v.followUp,
          appointmentId: call.appointmentId,
        },
      }),
    );
    return v;
  });
  const call = (await findAdviceCall(deps.db, id)) as AdviceCallRead;
  return { call, suggestedEvents: value.patientId === null ? [] : suggestedEvents(value) };
}

export async function viewAdviceCall(deps: Deps, actor: Actor, callId: string): Promise<LoggedCall> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  const call = await findAdviceCall(deps.db, callId);
  if (!call) {
    throw new AppError('NOT_FOUND', 'No such advice-line call');
  }
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'advice-call.view',
      outcome: 'success',
      entityType: 'advice-call',
      entityId: callId,
      patientId: call.patientId,
      details: {},
    }),
  );
  return { call, suggestedEvents: call.patientId === null ? [] : suggestedEvents(call) };
}

/** A patient's calls, newest first; audited as a read of the record. */
export async function patientAdviceCalls(
  deps: Deps,
  actor: Actor,
  patientId: string,
): Promise<AdviceCallRead[]> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  if (!(await findPatientById(deps.db, patientId))) {
    throw new AppError('NOT_FOUND', 'No such patient');
  }
  const calls = await listPatientAdviceCalls(deps.db, patientId);
  await recordAudit(
    deps.db,
    deps.clock,
    actorEvent(actor, {
      action: 'advice-call.view',
      outcome: 'success',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: { shown: calls.length },
    }),
  );
  return calls;
}

export interface CallLogPage {
  readonly rows: readonly (AdviceCallRead & { readonly patient: Patient | null })[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
}

/** The service-wide call log, newest first, a page at a time; audited as a list view. */
export async function adviceCallLog(
  deps: Deps,
  actor: Actor,
  request: { readonly page: number; readonly pageSize: number },
): Promise<CallLogPage> {
  requirePermission(actor, 'patient:read', 'Your role cannot read patient records');
  const total = await countAdviceCalls(deps.db);
  const pages = Math.max(1, Math.ceil(total / request.pageSize));
  const page = Math.min(Math.max(1, request.page), pages);
  const calls = await listAdviceCalls(deps.db, {
    offset: (page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  const patients = await findPatientsByIds(
    deps.db,
    calls.flatMap((c) => (c.patientId === null ? [] : [c.patientId])),
  );
  await auditListView(deps.db, deps.clock, actor, { list: 'advice-calls', shown: calls.length });
  return {
    rows: calls.map((c) => ({
      ...c,
      patient: c.patientId === null ? null : (patients.get(c.patientId) ?? null),
    })),
    total,
    page,
    pages,
  };
}

export interface CallFormContext {
  readonly patient: Patient | null;
  /** The booked appointments of the patient's pumps a follow-up can link to, soonest first. */
  readonly appointments: readonly PumpAppointment[];
}

/** What the call form needs: the patient (when the call is about one) and their booked appointments. */
export async function adviceCallFormContext(deps: Deps, patientId: string | null): Promise<CallFormContext> {
  if (patientId === null) {
    return { patient: null, appointments: [] };
  }
  const patient = (await findPatientById(deps.db, patientId)) ?? null;
  if (!patient) {
    return { patient: null, appointments: [] };
  }
  const pumps = await listPumpsForPatient(deps.db, patientId);
  const appointments = (await Promise.all(pumps.map((p) => listPumpAppointments(deps.db, p.id))))
    .flat()
    .filter((a) => a.state === 'booked')
    .sort((a, b) => a.onDate.localeCompare(b.onDate));
  return { patient, appointments };
}
