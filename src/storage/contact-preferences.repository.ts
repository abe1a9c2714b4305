import type { PlainDate } from '../domain/calendar-date.ts';
import {
  REMINDER_CHANNELS,
  type ContactPreferences,
  type ReminderChannel,
} from '../domain/contact-preferences.ts';
import type { DbOrTrx, PatientContactPreferencesTable } from './database.ts';

/** A patient's stored contact preferences, with who recorded them and when. */
export interface StoredContactPreferences extends ContactPreferences {
  readonly patientId: string;
  readonly recordedBy: string;
  readonly recordedByName: string | null;
  readonly recordedAt: string;
  readonly version: number;
}

function channelsFrom(text: string): ReminderChannel[] {
  const parts = text.split(',');
  return REMINDER_CHANNELS.filter((c) => parts.includes(c));
}

export async function findContactPreferences(
  db: DbOrTrx,
  patientId: string,
): Promise<StoredContactPreferences | null> {
  const row = await db
    .selectFrom('patient_contact_preferences as p')
    .leftJoin('users as u', 'u.id', 'p.recorded_by')
    .selectAll('p')
    .select('u.display_name as recorded_by_name')
    .where('p.patient_id', '=', patientId)
    .executeTakeFirst();
  if (!row) {
    return null;
  }
  return {
    patientId: row.patient_id,
    email: row.email,
    mobile: row.mobile,
    channels: channelsFrom(row.channels),
    consentGiven: row.consent_given === 1,
    consentDate: row.consent_date as PlainDate,
    recordedBy: row.recorded_by,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
    version: row.version,
  };
}

function toRow(
  patientId: string,
  prefs: ContactPreferences,
  by: string,
  at: string,
  version: number,
): PatientContactPreferencesTable {
  return {
    patient_id: patientId,
    email: prefs.email,
    mobile: prefs.mobile,
    channels: prefs.channels.join(','),
    consent_given: prefs.consentGiven ? 1 : 0,
    consent_date: prefs.consentDate,
    recorded_by: by,
    recorded_at: at,
    version,
  };
}

export async function insertContactPreferences(
  db: DbOrTrx,
  patientId: string,
  prefs: ContactPreferences,
  by: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('patient_contact_preferences')
    .values(toRow(patientId, prefs, by, at, 1))
    .execute();
}

/** Replaces the preferences only if nobody else has since (optimistic locking); false when stale. */
export async function updateContactPreferencesIfVersion(
  db: DbOrTrx,
  patientId: string,
  version: number,
  prefs: ContactPreferences,
  by: string,
  at: string,
): Promise<boolean> {
  const row = toRow(patientId, prefs, by, at, version + 1);
  const result = await db
    .updateTable('patient_contact_preferences')
    .set({
      email: row.email,
      mobile: row.mobile,
      channels: row.channels,
      consent_given: row.consent_given,
      consent_date: row.consent_date,
      recorded_by: row.recorded_by,
      recorded_at: row.recorded_at,
      version: row.version,
    })
    .where('patient_id', '=', patientId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
