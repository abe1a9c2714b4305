import { sql } from 'kysely';
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
import { termRange } from '../domain/patient-search-key.ts';
import type { ReferralSearch } from '../domain/referral-search.ts';
import { compiledOnce } from './compiled-once.ts';
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

/** Compiled once: the patient page runs it on every view. */
const referralsOfPatient = compiledOnce((db, patientId) =>
  db.selectFrom('referrals').selectAll().where('patient_id', '=', patientId).orderBy('received_on', 'desc'),
);

export async function listReferralsForPatient(db: DbOrTrx, patientId: string): Promise<Referral[]> {
  return (await referralsOfPatient(db, patientId)).map(fromRow);
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

/** What the referral list shows: referrals in one state (or all), matching a search (or all). */
export interface ReferralListFilter {
  readonly state: ReferralState | null;
  readonly search: ReferralSearch | null;
}

/** `%text%` for LIKE, its own %, _ and backslash taken literally (the query's ESCAPE is a backslash). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The referrals (joined to their patients) the filter keeps. */
function filtered(db: DbOrTrx, f: ReferralListFilter) {
  let q = db.selectFrom('referrals as r').innerJoin('patients as p', 'p.id', 'r.patient_id');
  if (f.state !== null) {
    q = q.where('r.state', '=', f.state);
  }
  const s = f.search;
  if (s?.kind === 'nhs-number') {
    q = q.where('p.nhs_number', '=', s.nhsNumber);
  } else if (s?.kind === 'ubrn') {
    q = q.where('r.ubrn', '=', s.ubrn);
  } else if (s?.kind === 'words') {
    const pattern = containsPattern(s.referrerText);
    q = q.where((eb) => {
      // Each word the start of one of the patient's indexed name terms (patient-search-key.ts)…
      const byName = s.nameKeys.map((key) => {
        const { from, to } = termRange(key);
        return eb(
          'r.patient_id',
          'in',
          eb
            .selectFrom('patient_search_terms')
            .select('patient_id')
            .where('term', '>=', from)
            .where('term', '<', to),
        );
      });
      // …or the text part of the referrer's name or organisation, without case (lower() on
      // both databases, ESCAPE so a typed % or _ is only itself).
      const byReferrer = [
        sql<boolean>`lower(${sql.ref('r.referrer_name')}) like ${pattern} escape '\\'`,
        sql<boolean>`lower(${sql.ref('r.referrer_organisation')}) like ${pattern} escape '\\'`,
      ];
      return eb.or([...(byName.length > 0 ? [eb.and(byName)] : []), ...byReferrer]);
    });
  }
  return q;
}

/**
 * One page of the referral list, most recently received first (then most recently recorded,
 * then by id, so a page never shows a row twice or skips one), with how many match in all.
 */
export async function listReferralPage(
  db: DbOrTrx,
  f: ReferralListFilter,
  page: { readonly offset: number; readonly limit: number },
): Promise<{ readonly rows: ReferralListRow[]; readonly total: number }> {
  const count = await filtered(db, f)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await filtered(db, f)
    .selectAll('r')
    .select(['p.given_name', 'p.family_name', 'p.nhs_number'])
    .orderBy('r.received_on', 'desc')
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      referral: fromRow(r),
      patientName: `${r.family_name.toUpperCase()}, ${r.given_name}`,
      nhsNumber: r.nhs_number,
    })),
  };
}
