import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * Less work per row written in bulk (a caseload import writes tens of thousands), the same
 * guarantees:
 * - `pumps_patient_idx` (patient_id) is dropped on both databases: `pumps_patient_dates_idx`
 *   (patient_id, implanted_on, ended_on) starts with the same column and serves every lookup it
 *   served, so every pump written kept one index more than it needed.
 * - On PostgreSQL the trigger that queues new audit rows for the sealer runs once per INSERT
 *   statement over the rows it inserted (a transition table) rather than once per row, each row a
 *   statement of its own inside the trigger. Every row an INSERT (or COPY) adds is queued in the
 *   same statement and transaction as before, so the sealer sees exactly the rows it saw. The
 *   trigger keeps its name. SQLite has only row triggers and keeps its own.
 *
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema.dropIndex('pumps_patient_idx').execute();
  if (dialect === 'postgres') {
    await sql`create function audit_events_queue_seal_rows() returns trigger language plpgsql as $$
      begin insert into audit_pending (seq) select seq from new_rows; return null; end $$`.execute(db);
    await sql`drop trigger audit_events_pending on audit_events`.execute(db);
    await sql`create trigger audit_events_pending after insert on audit_events
      referencing new table as new_rows
      for each statement execute function audit_events_queue_seal_rows()`.execute(db);
    await sql`drop function audit_events_queue_seal()`.execute(db);
  }
}
