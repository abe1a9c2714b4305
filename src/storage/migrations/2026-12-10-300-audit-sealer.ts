import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * The audit trail without a single hot row. Until now every audited transaction read the
 * chain's head FOR UPDATE, hashed its row after it and moved the head, so every request that
 * audited anything (every page view) queued on one row lock from its INSERT to its COMMIT, and
 * adding connections or instances added waiters.
 *
 * From here:
 * - A transaction appends its audit rows with a place given by the database (a sequence on
 *   PostgreSQL; on SQLite, whose writes are serialised anyway, the next number) and no hash, in
 *   the same transaction as the action, still append-only by trigger. A trigger also queues each
 *   new row in `audit_pending`.
 * - A sealer (one at a time across instances: it claims the head row, which nothing else
 *   writes) takes the queued rows that have committed, gives each the next place in the chain
 *   (`audit_seals.chain_seq`), hashes it after the previous seal and moves the head.
 *   `audit_seals` is append-only too.
 * - The seals already in the rows (every row so far was hashed on append) move to
 *   `audit_seals` unchanged: chain place = the row's seq, same hashes, so the chain verifies
 *   across the change.
 *
 * Written against Kysely<unknown> so it stays frozen in time. Never edit once released.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('audit_seals')
    .addColumn('chain_seq', 'bigint', (c) => c.primaryKey())
    .addColumn('event_seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_seals (chain_seq, event_seq, prev_hash, hash, sealed_at)
    select seq, seq, prev_hash, hash, occurred_at from audit_events`.execute(db);
  await db.schema
    .createTable('audit_pending')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .execute();

  if (dialect === 'postgres') {
    await sql`drop trigger audit_events_head on audit_events`.execute(db);
    await sql`drop function audit_events_move_head()`.execute(db);
    await sql`alter table audit_events drop column prev_hash, drop column hash`.execute(db);
    // The place in the trail's reading order: given at INSERT, never a lock.
    await sql`create sequence audit_events_seq_seq owned by audit_events.seq`.execute(db);
    await sql`select setval('audit_events_seq_seq', (select coalesce(max(seq), 0) + 1 from audit_events), false)`.execute(
      db,
    );
    await sql`alter table audit_events alter column seq set default nextval('audit_events_seq_seq')`.execute(
      db,
    );
    await sql`create function audit_events_queue_seal() returns trigger language plpgsql as $$
      begin insert into audit_pending (seq) values (new.seq); return null; end $$`.execute(db);
    await sql`create trigger audit_events_pending after insert on audit_events
      for each row execute function audit_events_queue_seal()`.execute(db);
    await sql`create function audit_seals_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_seals is append-only'; end $$`.execute(db);
    await sql`create trigger audit_seals_no_change before update or delete on audit_seals
      for each row execute function audit_seals_append_only()`.execute(db);
  } else {
    await sql`drop trigger audit_events_head`.execute(db);
    await sql`alter table audit_events drop column prev_hash`.execute(db);
    await sql`alter table audit_events drop column hash`.execute(db);
    await sql`create trigger audit_events_pending after insert on audit_events
      begin insert into audit_pending (seq) values (new.seq); end`.execute(db);
    await sql`create trigger audit_seals_no_update before update on audit_seals
      begin select raise(abort, 'audit_seals is append-only'); end`.execute(db);
    await sql`create trigger audit_seals_no_delete before delete on audit_seals
      begin select raise(abort, 'audit_seals is append-only'); end`.execute(db);
  }
}
