import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CamelCasePlugin } from 'kysely';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { compiledOnce } from './compiled-once.ts';
import { findSessionWithUser, insertSession } from './sessions.repository.ts';
import { findUserById } from './users.repository.ts';

const now = '2026-11-25T09:00:00.000Z';

function user(id: string, name: string) {
  return {
    id,
    username: name.toLowerCase(),
    display_name: name,
    role: 'nurse-specialist',
    password_hash: 'x',
    totp_secret: null,
    totp_last_step: null,
    must_change_password: 0,
    disabled_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

for (const dialect of DIALECTS) {
  describe(`compiledOnce (${dialect})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(dialect);
      await t.handle.db
        .insertInto('users')
        .values([user('u1', 'Ann'), user('u2', 'Bea')])
        .execute();
      for (const [idHash, userId] of [
        ['h1', 'u1'],
        ['h2', 'u2'],
      ] as const) {
        await insertSession(t.handle.db, {
          idHash,
          userId,
          stage: 'full',
          createdAt: now,
          lastSeenAt: now,
          ip: '127.0.0.1',
        });
      }
    });
    after(async () => {
      await t.dispose();
    });

    it('runs the one compiled query with each new value, never an earlier answer', async () => {
      const db = t.handle.db;
      for (const [idHash, name] of [
        ['h1', 'Ann'],
        ['h2', 'Bea'],
        ['h1', 'Ann'],
      ] as const) {
        const found = await findSessionWithUser(db, idHash);
        assert.equal(found?.user.displayName, name);
        assert.deepEqual(found.session, {
          idHash,
          userId: found.user.id,
          stage: 'full',
          createdAt: now,
          lastSeenAt: now,
          ip: '127.0.0.1',
        });
      }
      assert.equal(await findSessionWithUser(db, 'no-such-session'), undefined);
      assert.equal((await findUserById(db, 'u2'))?.displayName, 'Bea');
      assert.equal(await findUserById(db, 'nobody'), undefined);
    });

    it('works inside a transaction, which sees its own uncommitted rows', async () => {
      await t.handle.db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('users').values(user('u3', 'Cal')).execute();
          assert.equal((await findUserById(trx, 'u3'))?.displayName, 'Cal');
          throw new Error('roll back');
        })
        .catch((e: unknown) => {
          assert.match(String(e), /roll back/);
        });
      assert.equal(await findUserById(t.handle.db, 'u3'), undefined);
    });

    it('refuses a query with a parameter that is not the value, or with none', async () => {
      const none = compiledOnce((db) => db.selectFrom('users').selectAll().where('id', '=', 'u1'));
      await assert.rejects(none(t.handle.db, 'u2'), /every parameter of the query must be the value/);
      const two = compiledOnce((db, v) =>
        db.selectFrom('users').selectAll().where('id', '=', v).where('role', '=', 'nurse-specialist'),
      );
      await assert.rejects(two(t.handle.db, 'u1'), /every parameter of the query must be the value/);
      const noParameter = compiledOnce((db) => db.selectFrom('users').selectAll());
      await assert.rejects(noParameter(t.handle.db, 'u1'), /every parameter of the query must be the value/);
    });

    it('puts the value in every place the query uses it', async () => {
      const twice = compiledOnce((db, v) =>
        db
          .selectFrom('users')
          .select('display_name')
          .where((eb) => eb.or([eb('id', '=', v), eb('username', '=', v)])),
      );
      assert.deepEqual(
        (await twice(t.handle.db, 'u2')).map((r) => r.display_name),
        ['Bea'],
      );
      assert.deepEqual(
        (await twice(t.handle.db, 'ann')).map((r) => r.display_name),
        ['Ann'],
      );
    });

    it('compiles once for the database and every transaction opened on it', async () => {
      let builds = 0;
      const byId = compiledOnce((db, v) => {
        builds++;
        return db.selectFrom('users').select('display_name').where('id', '=', v);
      });
      assert.equal((await byId(t.handle.db, 'u1'))[0]?.display_name, 'Ann');
      for (const id of ['u1', 'u2']) {
        await t.handle.db.transaction().execute(async (trx) => {
          assert.equal((await byId(trx, id))[0]?.display_name, id === 'u1' ? 'Ann' : 'Bea');
        });
      }
      assert.equal(builds, 1);
      // Another database (another adapter) gets its own compilation.
      const other = t.openAnother(); // closed with the test database
      assert.equal((await byId(other.db, 'u2'))[0]?.display_name, 'Bea');
      assert.equal(builds, 2);
    });

    it('compiles afresh, every time, for a handle with plugins (they may rewrite each query)', async () => {
      let builds = 0;
      const byId = compiledOnce((db, v) => {
        builds++;
        return db.selectFrom('users').select('display_name').where('id', '=', v);
      });
      const withPlugin = t.handle.db.withPlugin(new CamelCasePlugin());
      await byId(withPlugin, 'u1');
      await byId(withPlugin, 'u1');
      assert.equal(builds, 2);
    });
  });
}
