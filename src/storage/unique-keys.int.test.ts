import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { UNIQUE_CONFLICTS } from '../services/unique-conflicts.ts';
import { appErrorForDatabase } from '../services/database-app-error.ts';
import { classifyDatabaseError } from './database-errors.ts';
import { UNIQUE_KEYS, uniqueKeyOnColumns } from './unique-keys.ts';

interface UniqueIndex {
  readonly name: string;
  readonly table: string;
  readonly columns: string;
}

/** Every unique index but the primary keys, as the database's own catalogue lists them. */
async function uniqueIndexes(db: TestDatabase, dialect: string): Promise<UniqueIndex[]> {
  if (dialect === 'postgres') {
    const r = await sql<UniqueIndex>`
      select i.relname as name, t.relname as table,
        (select string_agg(a.attname, ',' order by k.ord)
           from unnest(x.indkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum) as columns
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where x.indisunique and not x.indisprimary and n.nspname = current_schema()`.execute(db.handle.db);
    return r.rows;
  }
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db.handle.db);
  const found: UniqueIndex[] = [];
  for (const { name: table } of tables.rows) {
    const list = await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${table})`.execute(db.handle.db);
    for (const index of list.rows.filter((i) => i.unique === 1 && i.origin !== 'pk')) {
      const cols = await sql<{ name: string }>`
        select name from pragma_index_info(${index.name}) order by seqno`.execute(db.handle.db);
      found.push({ name: index.name, table, columns: cols.rows.map((c) => c.name).join(',') });
    }
  }
  return found;
}

for (const dialect of DIALECTS) {
  describe(`unique keys on ${dialect}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase(dialect);
    });
    after(async () => {
      await db.dispose();
    });

    it('lists every unique key the migrations create, with its table and columns', async () => {
      const indexes = await uniqueIndexes(db, dialect);
      const listed = Object.entries(UNIQUE_KEYS).map(([name, k]) => ({
        name,
        table: k.table,
        columns: k.columns.join(','),
      }));
      const sort = (a: UniqueIndex, b: UniqueIndex) => a.name.localeCompare(b.name);
      if (dialect === 'postgres') {
        assert.deepEqual([...indexes].sort(sort), [...listed].sort(sort));
      } else {
        // SQLite names a column's UNIQUE sqlite_autoindex_…, and its errors name only the columns.
        const key = (i: UniqueIndex) => `${i.table}(${i.columns})`;
        assert.deepEqual([...new Set(indexes.map(key))].sort(), [...new Set(listed.map(key))].sort());
      }
    });

    it('traces a refused insert to its key, from the driver’s own error', async () => {
      const row = (id: string) => ({
        id,
        username: 'same',
        display_name: 'S',
        role: 'nurse-specialist',
        password_hash: 'x',
        totp_secret: null,
        totp_last_step: null,
        must_change_password: 0,
        disabled_at: null,
        created_at: '2026-12-07T00:00:00.000Z',
        updated_at: '2026-12-07T00:00:00.000Z',
        version: 1,
      });
      await db.handle.db.insertInto('users').values(row('u1')).execute();
      const err = await db.handle.db
        .insertInto('users')
        .values(row('u2'))
        .execute()
        .then(
          () => null,
          (e: unknown) => e,
        );
      assert.deepEqual(classifyDatabaseError(err), {
        kind: 'unique',
        key: 'users_username_key',
        cause: (err as Error).message,
      });
      // Escaping a service, it is still the key's 409 (the HTTP error handler asks this).
      const answer = appErrorForDatabase(err);
      assert.equal(answer?.error.code, 'DUPLICATE_USERNAME');
      assert.equal(answer.error.status, 409);
      assert.equal(answer.log, null);
    });
  });
}

describe('unique key answers', () => {
  it('gives every listed key an answer, and keys SQLite cannot tell apart the same one', () => {
    for (const [name, key] of Object.entries(UNIQUE_KEYS)) {
      const first = uniqueKeyOnColumns(key.table, key.columns);
      assert.ok(first, name);
      assert.equal(
        UNIQUE_CONFLICTS[first].code,
        UNIQUE_CONFLICTS[name as keyof typeof UNIQUE_KEYS].code,
        name,
      );
    }
  });
});
