import type { Kysely } from 'kysely';

/**
 * Appointment reminders to patients (GOV.UK Notify):
 * - `patient_contact_preferences`: one row per patient: email, UK mobile (+447…), the chosen
 *   channels ('email', 'sms', both comma-separated, or empty for none), the consent decision
 *   with its date, and who recorded it when; `version` for optimistic locking.
 * - the outbox (`outbound_emails`) carries reminders too: `channel` ('smtp' for the existing
 *   letters and digests, 'notify-email' or 'notify-sms'), the patient and pump appointment, the
 *   reminder (`days_before`) and the date it was queued for (`appointment_on`), the Notify
 *   template and its personalisation (JSON), and `dedupe_key`, unique, so a reminder is queued
 *   once per appointment, reminder and channel however often and on however many instances the
 *   job runs. `cancel_reason` says why a reminder was not sent (state 'cancelled').
 * Existing rows become 'smtp' with every new column null. Written against Kysely<unknown> so it
 * stays frozen in time; SQLite adds one column per statement. Never edit once released.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('patient_contact_preferences')
    .addColumn('patient_id', 'text', (c) => c.primaryKey().references('patients.id'))
    .addColumn('email', 'text')
    .addColumn('mobile', 'text')
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('consent_given', 'integer', (c) => c.notNull())
    .addColumn('consent_date', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('outbound_emails')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('smtp'))
    .execute();
  await db.schema
    .alterTable('outbound_emails')
    .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
    .execute();
  await db.schema
    .alterTable('outbound_emails')
    .addColumn('appointment_id', 'text', (c) => c.references('pump_appointments.id'))
    .execute();
  const plain: [string, 'text' | 'integer'][] = [
    ['days_before', 'integer'],
    ['appointment_on', 'text'],
    ['template_id', 'text'],
    ['personalisation', 'text'],
    ['dedupe_key', 'text'],
    ['cancel_reason', 'text'],
  ];
  for (const [name, type] of plain) {
    await db.schema.alterTable('outbound_emails').addColumn(name, type).execute();
  }
  await db.schema
    .createIndex('outbound_emails_dedupe_key_uq')
    .on('outbound_emails')
    .column('dedupe_key')
    .unique()
    .execute();
  await db.schema
    .createIndex('outbound_emails_appointment_idx')
    .on('outbound_emails')
    .column('appointment_id')
    .execute();
  await db.schema
    .createIndex('outbound_emails_patient_idx')
    .on('outbound_emails')
    .column('patient_id')
    .execute();
  await db.schema
    .createIndex('outbound_emails_channel_state_idx')
    .on('outbound_emails')
    .columns(['channel', 'state', 'next_attempt_at'])
    .execute();
}
