import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, openTestDatabase, PG_URL, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { auditContentJson, auditHashInput, GENESIS_HASH } from '../domain/audit-event.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import type { Db } from '../storage/database.ts';
import {
  actorEvent,
  appendAudit,
  appendAuditBatch,
  recordAudit,
  sealAuditTrail,
  verifyAuditChain,
  type AuditVerification,
} from './audit-service.ts';
import { sha256Hex } from './secrets.ts';

const event = (n: number) =>
  actorEvent(
    { userId: 'u', username: 'nia', role: 'nurse-specialist', requestId: `r${String(n)}` },
    { action: 'patient.view', outcome: 'success', patientId: `p${String(n)}` },
  );

const SEAL_DELAY_MS = 1000;

/** Verifies as `itb audit verify` would at the clock's time, with the default seal delay. */
const verify = (db: Db, clock: TestClock): Promise<AuditVerification> =>
  verifyAuditChain(db, { now: clock.now(), sealDelayMs: SEAL_DELAY_MS });

const seal = (db: Db, clock: TestClock) => sealAuditTrail({ db, clock });

for (const dialect of DIALECTS) {
  // A bounded time: a test that holds a transaction open must fail, never hang the run.
  describe(`audit trail on ${dialect}`, { timeout: 120_000 }, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    it('is append-only in the database itself, rows and seals alike', async () => {
      db = await openTestDatabase(dialect);
      const clock = new TestClock();
      await recordAudit(db.handle.db, clock, event(1));
      await seal(db.handle.db, clock);
      const h = db.handle.db;
      await assert.rejects(h.updateTable('audit_events').set({ username: 'x' }).execute(), /append-only/);
      await assert.rejects(h.deleteFrom('audit_events').execute(), /append-only/);
      await assert.rejects(h.updateTable('audit_seals').set({ hash: 'x' }).execute(), /append-only/);
      await assert.rejects(h.deleteFrom('audit_seals').execute(), /append-only/);
    });

    it('appends without sealing; the sealer seals within the delay; verify faults a row left unsealed', async () => {
      db = await openTestDatabase(dialect);
      const h = db.handle.db;
      const clock = new TestClock();
      for (let i = 1; i <= 3; i++) {
        await recordAudit(h, clock, event(i));
      }
      assert.equal((await h.selectFrom('audit_seals').selectAll().execute()).length, 0);
      // Within the delay, waiting is normal.
      assert.equal((await verify(h, clock)).problem, null);
      clock.advanceMs(SEAL_DELAY_MS + 1);
      assert.deepEqual((await verify(h, clock)).problem, { seq: 1, reason: 'unsealed', rows: 3 });

      assert.equal(await seal(h, clock), 3);
      const v = await verify(h, clock);
      assert.equal(v.problem, null);
      assert.equal(v.rowsChecked, 3);
      assert.equal(v.headSeq, 3);
      assert.equal(await seal(h, clock), 0, 'nothing is sealed twice');
      const [first] = await h.selectFrom('audit_seals').selectAll().orderBy('chain_seq').execute();
      assert.equal(first?.prev_hash, GENESIS_HASH);
    });

    it('queues every row of a batch append and of a many-row INSERT, in order, or none on rollback', async () => {
      db = await openTestDatabase(dialect);
      const h = db.handle.db;
      const clock = new TestClock();
      const pending = async () =>
        Number(
          (
            await h
              .selectFrom('audit_pending')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      await recordAudit(h, clock, event(0));
      // More rows than one bulk statement holds on either database, so the batch spans several.
      const batch = Array.from({ length: 5_001 }, (_, i) => event(i + 1));
      await h.transaction().execute(async (trx) => {
        await appendAudit(trx, clock, event(-1));
        await appendAuditBatch(trx, clock, batch);
      });
      assert.equal(await pending(), 5_003);
      const appended = await h
        .selectFrom('audit_events')
        .select(['seq', 'request_id'])
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        appended.slice(2).map((r) => r.request_id),
        batch.map((e) => e.requestId),
        'the batch takes its places in the order given',
      );

      await assert.rejects(
        h.transaction().execute(async (trx) => {
          await appendAuditBatch(trx, clock, batch.slice(0, 10));
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal(await pending(), 5_003, 'a rolled-back batch leaves nothing queued');

      // Rows written straight into the table, several in one statement, are queued all the same.
      const top = appended.at(-1)?.seq ?? 0;
      await sql`insert into audit_events (seq, occurred_at, action, outcome, details) values
        (${top + 1}, ${clock.now().toISOString()}, 'patient.view', 'success', '{}'),
        (${top + 2}, ${clock.now().toISOString()}, 'patient.view', 'success', '{}')`.execute(h);
      assert.equal(await pending(), 5_005);

      assert.equal(await seal(h, clock), 5_005);
      assert.equal(await pending(), 0);
      const v = await verify(h, clock.advanceMs(SEAL_DELAY_MS + 1));
      assert.equal(v.problem, null);
      assert.equal(v.rowsChecked, 5_005);
    });

    // Several instances share one database only on PostgreSQL; SQLite is the single-instance
    // mode (README), so there the concurrent writers are requests within one instance.
    it(
      dialect === 'postgres'
        ? 'keeps one unbroken chain when two instances append and seal at once'
        : 'keeps one unbroken chain under concurrent requests and sealing',
      async () => {
        db = await openTestDatabase(dialect);
        const other = dialect === 'postgres' ? db.openAnother() : db.handle;
        const clock = new TestClock();
        const work: Promise<unknown>[] = [];
        for (let i = 0; i < 40; i++) {
          const target = (i % 2 === 0 ? db.handle : other).db;
          work.push(recordAudit(target, clock, event(i)));
          if (i % 10 === 0) {
            work.push(seal(target, clock));
          }
        }
        await Promise.all(work);
        await Promise.all([seal(db.handle.db, clock), seal(other.db, clock)]);
        await seal(db.handle.db, clock);
        const v = await verify(db.handle.db, clock.advanceMs(SEAL_DELAY_MS * 10));
        assert.equal(v.problem, null);
        assert.equal(v.rowsChecked, 40);
        assert.equal(v.headSeq, 40);
        const pending = await db.handle.db.selectFrom('audit_pending').selectAll().execute();
        assert.equal(pending.length, 0);
      },
    );

    it('finds a changed row, a removed row or seal, the newest included, and a row slipped in', async () => {
      db = await openTestDatabase(dialect);
      const clock = new TestClock();
      const h = db.handle.db;
      for (let i = 1; i <= 6; i++) {
        await recordAudit(h, clock, event(i));
      }
      await seal(h, clock);
      // An attacker with database access can drop the guards; verification must still see it.
      if (dialect === 'postgres') {
        await sql`drop trigger audit_events_no_change on audit_events`.execute(h);
        await sql`drop trigger audit_seals_no_change on audit_seals`.execute(h);
      } else {
        for (const t of ['audit_events_no_update', 'audit_events_no_delete', 'audit_seals_no_delete']) {
          await sql`drop trigger ${sql.id(t)}`.execute(h);
        }
      }
      await h.updateTable('audit_events').set({ username: 'mallory' }).where('seq', '=', 3).execute();
      assert.deepEqual((await verify(h, clock)).problem, { seq: 3, reason: 'hash-mismatch' });
      await h.updateTable('audit_events').set({ username: 'nia' }).where('seq', '=', 3).execute();
      assert.equal((await verify(h, clock)).problem, null, 'restoring the row restores the chain');

      // The newest row and its seal: the head no longer matches.
      await h.deleteFrom('audit_events').where('seq', '=', 6).execute();
      await h.deleteFrom('audit_seals').where('chain_seq', '=', 6).execute();
      assert.equal((await verify(h, clock)).problem?.reason, 'head-mismatch');
      await sql`update audit_head set seq = 5, hash = (select hash from audit_seals where chain_seq = 5)`.execute(
        h,
      );
      assert.equal((await verify(h, clock)).problem, null, 'an attacker who also moves the head back');

      await h.deleteFrom('audit_events').where('seq', '=', 4).execute();
      assert.deepEqual((await verify(h, clock)).problem, { seq: 4, reason: 'row-missing' });
      await h.deleteFrom('audit_seals').where('chain_seq', '=', 4).execute();
      assert.deepEqual((await verify(h, clock)).problem, { seq: 4, reason: 'sequence-gap' });
      await h.deleteFrom('audit_seals').where('chain_seq', '=', 5).execute();
      await h.deleteFrom('audit_events').where('seq', '=', 5).execute();
      await sql`update audit_head set seq = 3, hash = (select hash from audit_seals where chain_seq = 3)`.execute(
        h,
      );
      assert.equal((await verify(h, clock)).problem, null);

      // A row written straight into the table (past the queue the trigger fills) is never
      // sealed: once older than the delay, verification names it.
      await sql`insert into audit_events (seq, occurred_at, action, outcome, details)
        values (100, ${clock.now().toISOString()}, 'patient.view', 'success', '{}')`.execute(h);
      await h.deleteFrom('audit_pending').execute();
      assert.equal(await seal(h, clock), 0);
      clock.advanceMs(SEAL_DELAY_MS + 1);
      assert.deepEqual((await verify(h, clock)).problem, { seq: 100, reason: 'unsealed', rows: 1 });
    });

    it('rows hashed when they were appended (before the sealer) verify, and the chain goes on after them', async () => {
      const before = '2026-12-10-300-audit-sealer';
      db = await openTestDatabase(dialect, PG_URL, { migrateBefore: before });
      const h = db.handle.db;
      const clock = new TestClock();
      // Written as the earlier schema did: hash computed on append, head moved by its trigger.
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq++) {
        const content = { ...event(seq), occurredAt: clock.now().toISOString() };
        const hash = sha256Hex(auditHashInput(prev, seq, auditContentJson(content)));
        await sql`insert into audit_events (seq, occurred_at, request_id, user_id, username, role, action,
            entity_type, entity_id, patient_id, outcome, details, prev_hash, hash)
          values (${seq}, ${content.occurredAt}, ${content.requestId}, ${content.userId}, ${content.username},
            ${content.role}, ${content.action}, ${content.entityType}, ${content.entityId}, ${content.patientId},
            ${content.outcome}, ${JSON.stringify(content.details)}, ${prev}, ${hash})`.execute(h);
        prev = hash;
      }
      await migrateToLatest(db.handle);
      assert.equal((await verify(h, clock.advanceMs(SEAL_DELAY_MS * 2))).problem, null);
      await recordAudit(h, clock, event(4));
      await seal(h, clock);
      const v = await verify(h, clock);
      assert.equal(v.problem, null);
      assert.equal(v.headSeq, 4);
      const [fourth] = await h.selectFrom('audit_events').select('seq').where('seq', '>', 3).execute();
      assert.equal(Number(fourth?.seq), 4, 'the reading order goes on from the last row');
    });

    if (dialect === 'postgres') {
      it('seals rows in the order they commit, so a long transaction never holds up the others', async () => {
        db = await openTestDatabase(dialect);
        const h = db.handle.db;
        const clock = new TestClock();
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let appended = () => {};
        const inFlight = new Promise<void>((resolve) => {
          appended = resolve;
        });
        const slow = h.transaction().execute(async (trx) => {
          await appendAudit(trx, clock, event(1));
          appended();
          await held;
        });
        try {
          await inFlight;
          // Another request appends and commits while the first is still open: no wait.
          await recordAudit(h, clock, event(2));
          assert.equal(await seal(h, clock), 1);
        } finally {
          // Never leave the transaction open (the schema could not be dropped after a failure).
          release();
          await slow;
        }
        assert.equal(await seal(h, clock), 1);
        const seals = await h.selectFrom('audit_seals').selectAll().orderBy('chain_seq').execute();
        assert.deepEqual(
          seals.map((s) => [s.chain_seq, s.event_seq]),
          [
            [1, 2],
            [2, 1],
          ],
        );
        assert.equal((await verify(h, clock)).problem, null);
      });
    }
  });
}
