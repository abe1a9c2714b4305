import type { PlainDate } from '../domain/calendar-date.ts';
import type {
  Aetiology,
  Condition,
  Origin,
  ReferralInput,
  ReferralSource,
  ReferrerGrade,
  Treatment,
} from '../domain/referral.ts';
import type { CheckReason, ReferralCheck } from '../domain/referral-check.ts';
import type { Priority, TriageOutcome } from '../domain/triage.ts';
import type { Ubrn } from '../domain/ubrn.ts';
import type { DbOrTrx, ReferralsTable } from './database.ts';

export type ReferralState = 'awaiting-triage' | TriageOutcome;

export interface Referral extends ReferralInput {
  readonly id: string;
  readonly patientId: string;
  readonly intakeItemId: string | null;
  readonly state: ReferralState;
  readonly priority: Priority | null;
  readonly acceptedOn: PlainDate | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
  /** The "needs checking" mark (referral-check.ts); null when none was made. */
  readonly check: ReferralCheck | null;
}

/** A referral as it is first recorded: waiting for triage, version 1. */
export interface NewReferral {
  readonly id: string;
  readonly patientId: string;
  readonly intakeItemId: string | null;
  readonly input: ReferralInput;
  readonly checkReason: CheckReason | null;
  readonly userId: string;
  readonly at: string;
}

function fromRow(r: ReferralsTable): Referral {
  // Only validated input is ever stored (validateReferralInput runs before every write).
  return {
    id: r.id,
    patientId: r.patient_id,
    intakeItemId: r.intake_item_id,
    source: r.source as ReferralSource,
    ubrn: r.ubrn as Ubrn | null,
    receivedOn: r.received_on as PlainDate,
    referrerName: r.referrer_name,
    referrerRole: r.referrer_role,
    referrerOrganisation: r.referrer_organisation,
    referrerOdsCode: r.referrer_ods_code,
    referrerEmail: r.referrer_email,
    referrerPhone: r.referrer_phone,
    reason: r.reason,
    conditions: JSON.parse(r.conditions) as Condition[],
    origin: r.origin as Origin,
    aetiology: r.aetiology as Aetiology,
    aetiologyOther: r.aetiology_other,
    treatmentsTried: JSON.parse(r.treatments_tried) as Treatment[],
    treatmentsNote: r.treatments_note,
    referrerGrade: r.referrer_grade as ReferrerGrade | null,
    ersServiceName: r.ers_service_name,
    state: r.state as ReferralState,
    priority: r.priority as Priority | null,
    acceptedOn: r.accepted_on as PlainDate | null,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    version: r.version,
    check:
      r.check_reason === null
        ? null
        : {
            reason: r.check_reason as CheckReason,
            clearedAt: r.check_cleared_at,
            clearedBy: r.check_cleared_by,
            clearedNote: r.check_cleared_note,
          },
  };
}

function toRow(row: NewReferral): ReferralsTable {
  const v = row.input;
  return {
    id: row.id,
    patient_id: row.patientId,
    intake_item_id: row.intakeItemId,
    source: v.source,
    ubrn: v.ubrn,
    received_on: v.receivedOn,
    referrer_name: v.referrerName,
    referrer_role: v.referrerRole,
    referrer_organisation: v.referrerOrganisation,
    referrer_ods_code: v.referrerOdsCode,
    referrer_email: v.referrerEmail,
    referrer_phone: v.referrerPhone,
    reason: v.reason,
    conditions: JSON.stringify(v.conditions),
    origin: v.origin,
    aetiology: v.aetiology,
    aetiology_other: v.aetiologyOther,
    treatments_tried: JSON.stringify(v.treatmentsTried),
    treatments_note: v.treatmentsNote,
    state: 'awaiting-triage',
    priority: null,
    accepted_on: null,
    created_at: row.at,
    created_by: row.userId,
    updated_at: row.at,
    updated_by: row.userId,
    version: 1,
    referrer_grade: v.referrerGrade,
    ers_service_name: v.ersServiceName,
    check_reason: row.checkReason,
    check_cleared_at: null,
    check_cleared_by: null,
    check_cleared_note: null,
  };
}

export async function insertReferral(db: DbOrTrx, referral: NewReferral): Promise<void> {
  await db.insertInto('referrals').values(toRow(referral)).execute();
}

/** Clears the "needs checking" mark only if nobody changed the referral since it was read. */
export async function clearCheckIfVersion(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  change: { note: string; userId: string; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('referrals')
    .set({
      check_cleared_at: change.at,
      check_cleared_by: change.userId,
      check_cleared_note: change.note,
      updated_at: change.at,
      updated_by: change.userId,
      version: expectedVersion + 1,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('check_reason', 'is not', null)
    .where('check_cleared_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function findReferralById(db: DbOrTrx, id: string): Promise<Referral | undefined> {
  const row = await db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function findReferralByUbrn(db: DbOrTrx, ubrn: string): Promise<Referral | undefined> {
  const row = await db.selectFrom('referrals').selectAll().where('ubrn', '=', ubrn).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listReferralsForPatient(db: DbOrTrx, patientId: string): Promise<Referral[]> {
  const rows = await db
    .selectFrom('referrals')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('received_on', 'desc')
    .execute();
  return rows.map(fromRow);
}

export async function listReferralsInState(db: DbOrTrx, state: ReferralState): Promise<Referral[]> {
  const rows = await db
    .selectFrom('referrals')
    .selectAll()
    .where('state', '=', state)
    .orderBy('received_on', 'asc')
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map(fromRow);
}

/** Moves the referral to its new triage state only if nobody changed it since it was read. */
export async function setTriageStateIfVersion(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  change: {
    state: ReferralState;
    priority: Priority | null;
    acceptedOn: PlainDate | null;
    userId: string;
    at: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('referrals')
    .set({
      state: change.state,
      priority: change.priority,
      accepted_on: change.acceptedOn,
      updated_at: change.at,
      updated_by: change.userId,
      version: expectedVersion + 1,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface ReferralListRow {
  readonly referral: Referral;
  readonly patientName: string;
  readonly nhsNumber: string;
}

/** The most recently received referrals, optionally in one state, with their patient's name. */
export async function listRecentReferrals(
  db: DbOrTrx,
  state: ReferralState | null,
  limit: number,
): Promise<ReferralListRow[]> {
  let q = db
    .selectFrom('referrals as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .selectAll('r')
    .select(['p.given_name', 'p.family_name', 'p.nhs_number']);
  if (state !== null) {
    q = q.where('r.state', '=', state);
  }
  const rows = await q
    .orderBy('r.received_on', 'desc')
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    referral: fromRow(r),
    patientName: `${r.family_name.toUpperCase()}, ${r.given_name}`,
    nhsNumber: r.nhs_number,
  }));
}
