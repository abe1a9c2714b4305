import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import { actorEvent, recordAudit, verifyAuditChain } from './audit-service.ts';

const event = (n: number) =>
  actorEvent(
    { userId: 'u', username: 'nia', role: 'nurse-specialist', requestId: `r${n}` },
    { action: 'patient.view', outcome: 'success', patientId: `p${n}` },
  );

for (const dialect of DIALECTS) {
  describe(`audit trail on ${dialect}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
    });

    it('is append-only in the database itself', async () => {
      db = await openTestDatabase(dialect);
      await recordAudit(db.handle.db, new TestClock(), event(1));
      await assert.rejects(
        db.handle.db.updateTable('audit_events').set({ username: 'x' }).execute(),
        /append-only/,
      );
      await assert.rejects(db.handle.db.deleteFrom('audit_events').execute(), /append-only/);
    });

    // Several instances share one database only on PostgreSQL; SQLite is the single-instance
    // mode (README), so there the concurrent writers are requests within one instance.
    it(
      dialect === 'postgres'
        ? 'keeps one unbroken chain when two service instances write at once'
        : 'keeps one unbroken chain under concurrent requests',
      async () => {
        db = await openTestDatabase(dialect);
        const other = dialect === 'postgres' ? db.openAnother() : db.handle;
        const clock = new TestClock();
        const writes = [];
        for (let i = 0; i < 40; i++) {
          writes.push(recordAudit((i % 2 === 0 ? db.handle : other).db, clock, event(i)));
        }
        await Promise.all(writes);
        const v = await verifyAuditChain(db.handle.db);
        assert.equal(v.problem, null);
        assert.equal(v.rowsChecked, 40);
        assert.equal(v.headSeq, 40);
      },
    );

    it('finds a changed row, a deleted row and a deleted newest row', async () => {
      db = await openTestDatabase(dialect);
      const clock = new TestClock();
      for (let i = 1; i <= 5; i++) {
        await recordAudit(db.handle.db, clock, event(i));
      }
      const h = db.handle.db;
      // An attacker with database access can drop the guard; verification must still see it.
      const dropGuards =
        dialect === 'postgres'
          ? sql`drop trigger audit_events_no_change on audit_events`
          : sql`drop trigger audit_events_no_update`;
      await dropGuards.execute(h);
      if (dialect === 'sqlite') {
        await sql`drop trigger audit_events_no_delete`.execute(h);
      }
      await h.updateTable('audit_events').set({ username: 'mallory' }).where('seq', '=', 3).execute();
      assert.deepEqual((await verifyAuditChain(h)).problem, { seq: 3, reason: 'hash-mismatch' });

      await h.updateTable('audit_events').set({ username: 'nia' }).where('seq', '=', 3).execute();
      assert.equal((await verifyAuditChain(h)).problem, null, 'restoring the row restores the chain');

      await h.deleteFrom('audit_events').where('seq', '=', 5).execute();
      assert.equal((await verifyAuditChain(h)).problem?.reason, 'head-mismatch');

      await h.deleteFrom('audit_events').where('seq', '=', 2).execute();
      assert.deepEqual((await verifyAuditChain(h)).problem, { seq: 2, reason: 'sequence-gap' });
    });
  });
}
