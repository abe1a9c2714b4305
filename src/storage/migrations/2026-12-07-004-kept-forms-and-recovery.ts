import { sql, type Kysely } from 'kysely';

/**
 * Kept forms and second-factor recovery:
 * - `kept_forms`: a form posted after its session ended, sealed (AES-256-GCM) for the same user
 *   in the same browser until it is shown again or expires (KEPT_FORM_MINUTES).
 * - `recovery_codes`: one-time codes that stand in for the authenticator app, stored as hashes.
 * - `recovery_code_displays`: a new set of codes waiting to be shown once on the account page,
 *   sealed under a key only the session's cookie gives, and gone with the session.
 * - `users.first_signed_in_at`: when the account first signed in, so the account list can tell an
 *   invited account from one in use; filled for existing accounts from their first successful
 *   sign-in in the audit trail.
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released: add a
 * new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('kept_forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('action_path', 'text', (c) => c.notNull())
    .addColumn('page_path', 'text', (c) => c.notNull())
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kept_forms_browser').on('kept_forms').column('browser_hash').execute();
  await db.schema.createIndex('kept_forms_expiry').on('kept_forms').column('expires_at').execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('recovery_code_displays')
    .addColumn('session_id_hash', 'text', (c) =>
      c.primaryKey().references('sessions.id_hash').onDelete('cascade'),
    )
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('users').addColumn('first_signed_in_at', 'text').execute();
  await sql`
    UPDATE users SET first_signed_in_at = (
      SELECT MIN(a.occurred_at) FROM audit_events a
      WHERE a.user_id = users.id AND a.action = 'auth.sign-in' AND a.outcome = 'success'
    )`.execute(db);
}
