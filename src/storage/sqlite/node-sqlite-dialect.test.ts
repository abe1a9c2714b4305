import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { CapturedLog } from '../../../test/support/pg-proxy.ts';
import { capSqliteAtCurrentSize } from '../../../test/support/sqlite-full.ts';
import { classifyDatabaseError } from '../database-errors.ts';

describe('SQLite transactions on a full disk', () => {
  let t: TestDatabase;
  const log = new CapturedLog();
  before(async () => {
    t = await openTestDatabase('sqlite');
    t.handle.setLog(log);
    await capSqliteAtCurrentSize(t.handle.db);
  });
  after(async () => {
    await t.dispose();
  });

  const fill = () =>
    t.handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 10_000; i++) {
        await sql`insert into filler (x) values (${'x'.repeat(1000)})`.execute(trx);
      }
    });

  it('fails with SQLITE_FULL, not the "cannot rollback" that SQLite’s own rollback leads to', async () => {
    const err = await fill().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error);
    assert.equal(err.message, 'database or disk is full');
    assert.deepEqual(classifyDatabaseError(err), {
      kind: 'storage-full',
      cause: 'database or disk is full (SQLITE_FULL)',
    });
    assert.deepEqual(log.lines, []);
  });

  it('fails every later write the same way, and writes again once there is room', async () => {
    for (let i = 0; i < 3; i++) {
      const err = await fill().then(
        () => null,
        (e: unknown) => e,
      );
      assert.equal(classifyDatabaseError(err)?.kind, 'storage-full');
    }
    await sql.raw('pragma max_page_count = 1073741823').execute(t.handle.db);
    await t.handle.db.transaction().execute(async (trx) => {
      await sql`insert into filler (x) values ('room again')`.execute(trx);
    });
    const r = await sql<{ n: number }>`select count(*) as n from filler where x = 'room again'`.execute(
      t.handle.db,
    );
    assert.equal(r.rows[0]?.n, 1);
  });
});
