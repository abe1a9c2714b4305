import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
          id_hash: idHash,
          user_id: userId,
          stage: 'full',
          created_at: now,
          last_seen_at: now,
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
        assert.equal(found.session.id_hash, idHash);
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

    it('refuses a query that does not have exactly one parameter, the value', async () => {
      const none = compiledOnce((db) => db.selectFrom('users').selectAll().where('id', '=', 'u1'));
      await assert.rejects(none(t.handle.db, 'u2'), /exactly one parameter/);
      const two = compiledOnce((db, v) =>
        db.selectFrom('users').selectAll().where('id', '=', v).where('role', '=', 'nurse-specialist'),
      );
      await assert.rejects(two(t.handle.db, 'u1'), /exactly one parameter/);
      const noParameter = compiledOnce((db) => db.selectFrom('users').selectAll());
      await assert.rejects(noParameter(t.handle.db, 'u1'), /exactly one parameter/);
    });
  });
}
