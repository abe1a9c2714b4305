import type { CallerKind, CallReason, FollowUp } from '../domain/advice-calls.ts';
import type { EmergencyKind, EmergencyOutcome, EmergencyState } from '../domain/emergency-events.ts';
import type { AdviceCallsTable, DbOrTrx, EmergencyEventsTable } from './database.ts';

/** Emergency events and advice-line calls: entity ↔ row, and the reads the pages and lists need. */

export interface EmergencyEvent {
  readonly id: string;
  readonly patientId: string;
  readonly pumpId: string | null;
  readonly kind: EmergencyKind;
  readonly onsetAt: string;
  readonly signs: readonly string[];
  readonly signsNote: string | null;
  readonly actionsTaken: string;
  readonly adviceCallId: string | null;
  readonly state: EmergencyState;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly outcome: EmergencyOutcome | null;
  readonly outcomeNote: string | null;
}

/** An event with the names of who recorded and closed it, for pages and the API. */
export interface EmergencyEventRead extends EmergencyEvent {
  readonly recordedByName: string;
  readonly closedByName: string | null;
}

export interface AdviceCall {
  readonly id: string;
  readonly calledAt: string;
  readonly patientId: string | null;
  readonly callerKind: CallerKind;
  readonly callerName: string | null;
  readonly callerIdentity: string | null;
  readonly reason: CallReason;
  readonly details: string | null;
  readonly overdoseSigns: readonly string[];
  readonly withdrawalSigns: readonly string[];
  readonly adviceGiven: string;
  readonly followUp: FollowUp;
  readonly appointmentId: string | null;
  readonly followUpNote: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface AdviceCallRead extends AdviceCall {
  readonly recordedByName: string;
}

function list(json: string): string[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function eventFromRow(r: EmergencyEventsTable): EmergencyEvent {
  return {
    id: r.id,
    patientId: r.patient_id,
    pumpId: r.pump_id,
    kind: r.kind as EmergencyKind,
    onsetAt: r.onset_at,
    signs: list(r.signs),
    signsNote: r.signs_note,
    actionsTaken: r.actions_taken,
    adviceCallId: r.advice_call_id,
    state: r.state as EmergencyState,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    outcome: r.outcome as EmergencyOutcome | null,
    outcomeNote: r.outcome_note,
  };
}

function eventToRow(e: EmergencyEvent): EmergencyEventsTable {
  return {
    id: e.id,
    patient_id: e.patientId,
    pump_id: e.pumpId,
    kind: e.kind,
    onset_at: e.onsetAt,
    signs: JSON.stringify(e.signs),
    signs_note: e.signsNote,
    actions_taken: e.actionsTaken,
    advice_call_id: e.adviceCallId,
    state: e.state,
    recorded_at: e.recordedAt,
    recorded_by: e.recordedBy,
    closed_at: e.closedAt,
    closed_by: e.closedBy,
    outcome: e.outcome,
    outcome_note: e.outcomeNote,
  };
}

function callFromRow(r: AdviceCallsTable): AdviceCall {
  return {
    id: r.id,
    calledAt: r.called_at,
    patientId: r.patient_id,
    callerKind: r.caller_kind as CallerKind,
    callerName: r.caller_name,
    callerIdentity: r.caller_identity,
    reason: r.reason as CallReason,
    details: r.details,
    overdoseSigns: list(r.overdose_signs),
    withdrawalSigns: list(r.withdrawal_signs),
    adviceGiven: r.advice_given,
    followUp: r.follow_up as FollowUp,
    appointmentId: r.appointment_id,
    followUpNote: r.follow_up_note,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  };
}

function callToRow(c: AdviceCall): AdviceCallsTable {
  return {
    id: c.id,
    called_at: c.calledAt,
    patient_id: c.patientId,
    caller_kind: c.callerKind,
    caller_name: c.callerName,
    caller_identity: c.callerIdentity,
    reason: c.reason,
    details: c.details,
    overdose_signs: JSON.stringify(c.overdoseSigns),
    withdrawal_signs: JSON.stringify(c.withdrawalSigns),
    advice_given: c.adviceGiven,
    follow_up: c.followUp,
    appointment_id: c.appointmentId,
    follow_up_note: c.followUpNote,
    recorded_at: c.recordedAt,
    recorded_by: c.recordedBy,
  };
}

export async function insertEmergencyEvent(db: DbOrTrx, e: EmergencyEvent): Promise<void> {
  await db.insertInto('emergency_events').values(eventToRow(e)).execute();
}

export async function findEmergencyEvent(db: DbOrTrx, id: string): Promise<EmergencyEvent | null> {
  const r = await db.selectFrom('emergency_events').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? eventFromRow(r) : null;
}

/**
 * Closes the event if it is still open; false when it was already closed (by someone else at
 * the same moment, or before), so a second close is refused, never written over the first.
 */
export async function closeEmergencyEventIfOpen(
  db: DbOrTrx,
  id: string,
  close: { closedAt: string; closedBy: string; outcome: EmergencyOutcome; outcomeNote: string },
): Promise<boolean> {
  const r = await db
    .updateTable('emergency_events')
    .set({
      state: 'closed',
      closed_at: close.closedAt,
      closed_by: close.closedBy,
      outcome: close.outcome,
      outcome_note: close.outcomeNote,
    })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

function eventsWithNames(db: DbOrTrx) {
  return db
    .selectFrom('emergency_events as e')
    .innerJoin('users as r', 'r.id', 'e.recorded_by')
    .leftJoin('users as c', 'c.id', 'e.closed_by')
    .selectAll('e')
    .select(['r.display_name as recorded_by_name', 'c.display_name as closed_by_name']);
}

type NamedEventRow = EmergencyEventsTable & { recorded_by_name: string; closed_by_name: string | null };

function readFromRow(r: NamedEventRow): EmergencyEventRead {
  return { ...eventFromRow(r), recordedByName: r.recorded_by_name, closedByName: r.closed_by_name };
}

export async function findEmergencyEventRead(db: DbOrTrx, id: string): Promise<EmergencyEventRead | null> {
  const r = await eventsWithNames(db).where('e.id', '=', id).executeTakeFirst();
  return r ? readFromRow(r) : null;
}

/** A patient's events, open first, then newest onset first. */
export async function listPatientEmergencyEvents(
  db: DbOrTrx,
  patientId: string,
): Promise<EmergencyEventRead[]> {
  const rows = await eventsWithNames(db)
    .where('e.patient_id', '=', patientId)
    .orderBy('e.state', 'desc')
    .orderBy('e.onset_at', 'desc')
    .orderBy('e.id')
    .execute();
  return rows.map(readFromRow);
}

/** A patient's open events, earliest onset first (the order the banner lists them). */
export async function listOpenEventsForPatient(
  db: DbOrTrx,
  patientId: string,
): Promise<EmergencyEventRead[]> {
  const rows = await eventsWithNames(db)
    .where('e.patient_id', '=', patientId)
    .where('e.state', '=', 'open')
    .orderBy('e.onset_at')
    .orderBy('e.id')
    .execute();
  return rows.map(readFromRow);
}

/** Every open event in the service, earliest onset first, with the patient's name and NHS number. */
export async function listAllOpenEvents(
  db: DbOrTrx,
  limit: number,
): Promise<(EmergencyEventRead & { familyName: string; givenName: string; nhsNumber: string })[]> {
  const rows = await eventsWithNames(db)
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .select(['p.family_name', 'p.given_name', 'p.nhs_number'])
    .where('e.state', '=', 'open')
    .orderBy('e.onset_at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...readFromRow(r),
    familyName: r.family_name,
    givenName: r.given_name,
    nhsNumber: r.nhs_number,
  }));
}

export async function countOpenEvents(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('emergency_events')
    .where('state', '=', 'open')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertAdviceCall(db: DbOrTrx, c: AdviceCall): Promise<void> {
  await db.insertInto('advice_calls').values(callToRow(c)).execute();
}

function callsWithNames(db: DbOrTrx) {
  return db
    .selectFrom('advice_calls as a')
    .innerJoin('users as r', 'r.id', 'a.recorded_by')
    .selectAll('a')
    .select(['r.display_name as recorded_by_name']);
}

type NamedCallRow = AdviceCallsTable & { recorded_by_name: string };

function callReadFromRow(r: NamedCallRow): AdviceCallRead {
  return { ...callFromRow(r), recordedByName: r.recorded_by_name };
}

export async function findAdviceCall(db: DbOrTrx, id: string): Promise<AdviceCallRead | null> {
  const r = await callsWithNames(db).where('a.id', '=', id).executeTakeFirst();
  return r ? callReadFromRow(r) : null;
}

/** A patient's calls, newest first. */
export async function listPatientAdviceCalls(db: DbOrTrx, patientId: string): Promise<AdviceCallRead[]> {
  const rows = await callsWithNames(db)
    .where('a.patient_id', '=', patientId)
    .orderBy('a.called_at', 'desc')
    .orderBy('a.id')
    .execute();
  return rows.map(callReadFromRow);
}

/** The service-wide call log, newest first, a page at a time. */
export async function listAdviceCalls(
  db: DbOrTrx,
  page: { readonly offset: number; readonly limit: number },
): Promise<AdviceCallRead[]> {
  const rows = await callsWithNames(db)
    .orderBy('a.called_at', 'desc')
    .orderBy('a.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map(callReadFromRow);
}

export async function countAdviceCalls(db: DbOrTrx): Promise<number> {
  const r = await db
    .selectFrom('advice_calls')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The record families whose pages belong to one patient, and the table that names the patient. */
export const PATIENT_RECORD_TABLES = {
  patient: 'patients',
  pump: 'pumps',
  refill: 'refills',
  prescription: 'prescriptions',
  referral: 'referrals',
  assessment: 'selection_assessments',
  'test-dose': 'test_dose_episodes',
  'test-dose-override': 'test_dose_overrides',
  'pump-end-request': 'pump_end_requests',
  'emergency-event': 'emergency_events',
  'advice-call': 'advice_calls',
  'life-event': 'life_events',
  'mri-scan': 'mri_scans',
  complication: 'complications',
} as const;
export type PatientRecordKind = keyof typeof PATIENT_RECORD_TABLES | 'appointment';

/** The patient a record belongs to, or null when there is no such record (or it has no patient). */
export async function patientIdOfRecord(
  db: DbOrTrx,
  kind: PatientRecordKind,
  id: string,
): Promise<string | null> {
  if (kind === 'patient') {
    const r = await db.selectFrom('patients').select('id').where('id', '=', id).executeTakeFirst();
    return r?.id ?? null;
  }
  if (kind === 'appointment') {
    // A first appointment belongs to its referral's patient.
    const r = await db
      .selectFrom('appointments as a')
      .innerJoin('referrals as r', 'r.id', 'a.referral_id')
      .select('r.patient_id')
      .where('a.id', '=', id)
      .executeTakeFirst();
    return r?.patient_id ?? null;
  }
  const table = PATIENT_RECORD_TABLES[kind];
  const r = await db.selectFrom(table).select('patient_id').where('id', '=', id).executeTakeFirst();
  return r?.patient_id ?? null;
}
