import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * Foundation schema. Written against Kysely<unknown> so it stays frozen in time whatever the
 * row types later become (Kysely migrations guide). Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('sign_in_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('throttle_key', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_failures_key_idx')
    .on('sign_in_failures')
    .columns(['throttle_key', 'failed_at'])
    .execute();

  await db.schema
    .createTable('patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('nhs_number', 'text', (c) => c.notNull().unique())
    .addColumn('hospital_number', 'text')
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text')
    .addColumn('address_line2', 'text')
    .addColumn('town', 'text')
    .addColumn('postcode', 'text')
    .addColumn('phone', 'text')
    .addColumn('gp_practice_name', 'text')
    .addColumn('gp_practice_ods', 'text')
    .addColumn('next_of_kin_name', 'text')
    .addColumn('next_of_kin_relationship', 'text')
    .addColumn('next_of_kin_phone', 'text')
    .addColumn('communication_needs', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('patients_family_name_idx')
    .on('patients')
    .column(sql`lower(family_name)`)
    .execute();
  await db.schema.createIndex('patients_dob_idx').on('patients').column('date_of_birth').execute();
  await db.schema
    .createIndex('patients_hospital_number_idx')
    .on('patients')
    .column('hospital_number')
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('role', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('patient_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_patient_idx')
    .on('audit_events')
    .columns(['patient_id', 'seq'])
    .execute();
  await db.schema.createIndex('audit_user_idx').on('audit_events').columns(['user_id', 'seq']).execute();
  await db.schema.createIndex('audit_time_idx').on('audit_events').column('occurred_at').execute();

  // One row holding the chain's head. Appends read it FOR UPDATE, which serialises them across
  // transactions and service instances (a row lock on PostgreSQL; SQLite has one writer).
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

  // The trail is append-only at the database too, not only in the code. Each insert moves the
  // head to the new row (seq and hash) from a trigger, so appending is one INSERT statement and
  // the head row's lock is held from that statement to COMMIT only.
  // sha256_hex(text) is the hex SHA-256 of the text's UTF-8 bytes, the same on both databases
  // (on SQLite the connection registers it: storage/sqlite/node-sqlite-dialect.ts).
  if (dialect === 'postgres') {
    await sql`create function sha256_hex(input text) returns text language sql immutable strict
      as $$ select encode(sha256(convert_to(input, 'UTF8')), 'hex') $$`.execute(db);
    await sql`create function audit_events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_events is append-only'; end $$`.execute(db);
    await sql`create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only()`.execute(db);
    await sql`create function audit_events_move_head() returns trigger language plpgsql as $$
      begin update audit_head set seq = new.seq, hash = new.hash where id = 1; return null; end $$`.execute(
      db,
    );
    await sql`create trigger audit_events_head after insert on audit_events
      for each row execute function audit_events_move_head()`.execute(db);
  } else {
    await sql`create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    await sql`create trigger audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    await sql`create trigger audit_events_head after insert on audit_events
      begin update audit_head set seq = new.seq, hash = new.hash where id = 1; end`.execute(db);
  }

  await db.schema
    .createTable('setup_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
