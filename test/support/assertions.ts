import assert from 'node:assert/strict';
import { AppError } from '../../src/services/app-error.ts';
import type { Database, DbOrTrx } from '../../src/storage/database.ts';

/** Awaits a service call that must fail with this error code (and, if given, name this field). */
export async function rejects(promise: Promise<unknown>, code: string, field?: string): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (field) {
      assert.ok(
        err.fieldErrors.some((e) => e.field === field),
        `expected an error on ${field}: ${JSON.stringify(err.fieldErrors)}`,
      );
    }
    return err;
  }
  assert.fail(`expected ${code}`);
}

/** How many rows a table holds, on SQLite or PostgreSQL (which counts as a string). */
export async function countRows(db: DbOrTrx, table: keyof Database): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
