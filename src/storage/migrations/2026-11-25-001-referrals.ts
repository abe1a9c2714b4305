import type { Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * Referrals, triage, first appointments, the email intake, documents (letters and
 * attachments), outgoing email and the job table. Written against Kysely<unknown> so it stays
 * frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';

  // Email intake: one item per message (Message-ID, or the message's SHA-256 when it has none
  // or cannot be parsed), so reading the same message twice makes one item.
  await db.schema
    .createTable('intake_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('message_id', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('subject', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text')
    .addColumn('nhs_numbers', 'text', (c) => c.notNull())
    .addColumn('parse_state', 'text', (c) => c.notNull())
    .addColumn('parse_problem', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('referral_id', 'text')
    .addColumn('closed_reason', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('intake_items_state_idx')
    .on('intake_items')
    .columns(['state', 'received_at'])
    .execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ubrn', 'text', (c) => c.unique())
    .addColumn('intake_item_id', 'text', (c) => c.unique().references('intake_items.id'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('referrer_name', 'text', (c) => c.notNull())
    .addColumn('referrer_role', 'text', (c) => c.notNull())
    .addColumn('referrer_organisation', 'text', (c) => c.notNull())
    .addColumn('referrer_ods_code', 'text')
    .addColumn('referrer_email', 'text')
    .addColumn('referrer_phone', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('aetiology', 'text', (c) => c.notNull())
    .addColumn('aetiology_other', 'text')
    .addColumn('treatments_tried', 'text', (c) => c.notNull())
    .addColumn('treatments_note', 'text')
    // The current triage state and its facts, kept in step with the latest decision row.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'text')
    .addColumn('accepted_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referrals_patient_idx').on('referrals').column('patient_id').execute();
  await db.schema
    .createIndex('referrals_state_idx')
    .on('referrals')
    .columns(['state', 'received_on'])
    .execute();

  // Every decision is kept; a later one supersedes an earlier one with a reason.
  await db.schema
    .createTable('triage_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('priority', 'text')
    .addColumn('advice', 'text')
    .addColumn('redirect_to', 'text')
    .addColumn('change_reason', 'text')
    .addColumn('decided_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('decided_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('triage_decisions_referral_idx')
    .on('triage_decisions')
    .columns(['referral_id', 'decided_at'])
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
    .addColumn('appointment_date', 'text', (c) => c.notNull())
    .addColumn('appointment_time', 'text', (c) => c.notNull())
    .addColumn('clinic', 'text', (c) => c.notNull())
    .addColumn('clinician', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('rebooked_from', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancel_note', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text', (c) => c.references('users.id'))
    .addColumn('outcome_note', 'text')
    .addColumn('outcome_at', 'text')
    .addColumn('outcome_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('appointments_referral_idx')
    .on('appointments')
    .columns(['referral_id', 'appointment_date'])
    .execute();

  // Letters made by the service, attachments and original email messages, kept in the
  // database so a backup holds everything and a transaction covers the document and its record.
  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.references('referrals.id'))
    .addColumn('intake_item_id', 'text', (c) => c.references('intake_items.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('documents_referral_idx').on('documents').column('referral_id').execute();
  await db.schema.createIndex('documents_intake_idx').on('documents').column('intake_item_id').execute();

  // Outgoing email is written in the same transaction as the letter (an outbox) and sent
  // afterwards, so a letter is never sent for a decision that rolled back, nor lost.
  await db.schema
    .createTable('outbound_emails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.references('referrals.id'))
    .addColumn('document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('outbound_emails_state_idx')
    .on('outbound_emails')
    .columns(['state', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('mailbox_cursors')
    .addColumn('mailbox_key', 'text', (c) => c.primaryKey())
    .addColumn('uid_validity', 'text', (c) => c.notNull())
    .addColumn('last_uid', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // A job run is claimed by inserting its (job, run key) row: the primary key lets exactly one
  // instance win, on SQLite and PostgreSQL alike.
  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('summary', 'text')
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'run_key'])
    .execute();
}
