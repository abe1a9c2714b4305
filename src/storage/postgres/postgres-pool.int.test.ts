import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { PG_URL } from '../../../test/support/databases.ts';
import { CapturedLog } from '../../../test/support/pg-proxy.ts';
import { openDatabase, type DatabaseHandle } from '../create-database.ts';
import { classifyDatabaseError } from '../database-errors.ts';

/**
 * The PostgreSQL server closing the service's connections (a restart, pg_terminate_backend, a
 * network blip) must not end the process: pg emits 'error' on the pool or the client, and an
 * unheard 'error' event would crash this test file as it crashed the service.
 */
describe('PostgreSQL connections closed by the server', () => {
  const appName = `itb-test-${String(process.pid)}-${String(Date.now())}`;
  const log = new CapturedLog();
  let handle: DatabaseHandle;
  let admin: pg.Client;

  /** Ends this handle's connections only: other tests share the server. */
  async function terminateOurConnections(): Promise<number> {
    const r = await admin.query<{ n: string }>(
      'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1',
      [appName],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !condition(); i++) {
      await sleep(20);
    }
  }

  before(async () => {
    handle = openDatabase(
      { kind: 'postgres', url: PG_URL },
      { pgApplicationName: appName, pgPoolSize: 3, log },
    );
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
  });
  after(async () => {
    await handle.close();
    await admin.end();
  });

  it('logs one line per idle connection lost, keeps running and answers the next query', async () => {
    // Three queries at once leave three idle connections in the pool.
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(handle.db)));
    assert.equal(await terminateOurConnections(), 3);
    await until(() => log.lines.length >= 3);
    assert.equal(log.lines.length, 3, log.lines.join('\n'));
    for (const line of log.lines) {
      assert.match(line, /^PostgreSQL connection to 127\.0\.0\.1:5432 lost \(terminating connection/);
    }
    const r = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    assert.equal(r.rows[0]?.one, 1);
  });

  it('fails the transaction whose connection was closed between its statements with the real cause, then recovers', async () => {
    log.lines.length = 0;
    const failed = await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await terminateOurConnections();
        // The client hears of it while checked out and idle: pg emits 'error' on it.
        await until(() => log.lines.length >= 1);
        await sql`select 2`.execute(trx);
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    assert.ok(failed instanceof Error);
    assert.equal(classifyDatabaseError(failed)?.kind, 'unavailable', String(failed));
    assert.match(log.lines[0] ?? '', /lost \(terminating connection due to administrator command\)/);
    const r = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    assert.equal(r.rows[0]?.one, 1);
  });

  it('reports the statement’s own error, not the failed rollback after it, when a connection dies mid-transaction', async () => {
    const failed = await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    assert.ok(failed instanceof Error);
    // SQLSTATE 57P01 admin_shutdown, not "Client has encountered a connection error and is not queryable".
    assert.equal((failed as { code?: unknown }).code, '57P01', failed.message);
    assert.equal(classifyDatabaseError(failed)?.kind, 'unavailable');
    const r = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    assert.equal(r.rows[0]?.one, 1);
  });
});
