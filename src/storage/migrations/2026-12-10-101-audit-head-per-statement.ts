import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * PostgreSQL moves the audit chain's head once per INSERT statement instead of once per row.
 * The per-row trigger (foundation migration) updated the one audit_head row for every audit row;
 * within one transaction each update leaves a row version the next has to walk past, so a bulk
 * append of n rows (a caseload import writes one per record) cost time growing with n squared
 * (docs/performance.md, "Caseload import"). A statement trigger sees every row the statement
 * inserted (a transition table) and moves the head to the one with the highest seq: after each
 * statement the head is the newest row, exactly as before, and a single-row append
 * (insertNextAuditRecord) still reads the head FOR UPDATE first, so appends stay serialised.
 * A statement that inserts no rows leaves the head alone, as the row trigger did by not firing.
 * SQLite keeps its row trigger: it has no transition tables, and an update there is in place.
 * Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  if (dialect !== 'postgres') {
    return;
  }
  await sql`create function audit_events_move_head_per_statement() returns trigger language plpgsql as $$
    begin
      update audit_head set seq = newest.seq, hash = newest.hash
        from (select seq, hash from new_rows order by seq desc limit 1) as newest
        where audit_head.id = 1;
      return null;
    end $$`.execute(db);
  await sql`drop trigger audit_events_head on audit_events`.execute(db);
  await sql`create trigger audit_events_head after insert on audit_events
    referencing new table as new_rows
    for each statement execute function audit_events_move_head_per_statement()`.execute(db);
  await sql`drop function audit_events_move_head()`.execute(db);
}
