import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeApp } from '../compose.ts';
import { loadConfig } from '../config.ts';
import { PG_URL } from '../../test/support/databases.ts';
import { CapturedLog, PgProxy } from '../../test/support/pg-proxy.ts';
import { openDatabase } from './create-database.ts';
import { DatabaseUnreachableError, waitForDatabase } from './wait-for-database.ts';

/** Nothing listens on port 1: connecting is refused at once, as with a database not yet started. */
const CLOSED = 'postgres://postgres@127.0.0.1:1/test';
const POLICY = { attempts: 5, firstDelayMs: 1000, maxDelayMs: 3000 };

describe('waiting for the database at start-up', () => {
  it('retries with back-off, one line per attempt naming host, port and cause, then gives up clearly', async () => {
    const log = new CapturedLog();
    const handle = openDatabase({ kind: 'postgres', url: CLOSED }, { log });
    const slept: number[] = [];
    const err = await waitForDatabase(handle, POLICY, {
      log,
      sleep: async (ms) => {
        slept.push(ms);
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    await handle.close();
    assert.deepEqual(slept, [1000, 2000, 3000, 3000]);
    assert.equal(log.lines.length, 4);
    assert.match(
      log.lines[0] ?? '',
      /^Cannot reach the PostgreSQL database at 127\.0\.0\.1:1 \(attempt 1 of 5\): connection refused .*\(ECONNREFUSED\); trying again in 1 s$/,
    );
    assert.match(log.lines[3] ?? '', /\(attempt 4 of 5\).*trying again in 3 s$/);
    assert.ok(err instanceof DatabaseUnreachableError);
    assert.match(
      err.message,
      /^Gave up waiting for the PostgreSQL database at 127\.0\.0\.1:1 after 5 attempts: connection refused .*Check the database is running and DATABASE_URL points at it\.$/,
    );
  });

  it('goes on once the database answers', async () => {
    const log = new CapturedLog();
    const proxy = new PgProxy();
    await proxy.start();
    await proxy.stop();
    const handle = openDatabase({ kind: 'postgres', url: proxy.url }, { log });
    let naps = 0;
    await waitForDatabase(handle, POLICY, {
      log,
      sleep: async () => {
        naps += 1;
        if (naps === 2) {
          await proxy.start();
        }
      },
    });
    await handle.close();
    await proxy.stop();
    assert.equal(naps, 2);
    assert.match(
      log.lines.at(-1) ?? '',
      /^Reached the PostgreSQL database at 127\.0\.0\.1:\d+ on attempt 3$/,
    );
  });

  it('stops at once on a setting to correct (a database that does not exist)', async () => {
    const url = new URL(PG_URL);
    url.pathname = '/itb_no_such_database';
    const handle = openDatabase({ kind: 'postgres', url: url.toString() });
    let naps = 0;
    const err = await waitForDatabase(handle, POLICY, {
      log: new CapturedLog(),
      sleep: async () => {
        naps += 1;
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    await handle.close();
    assert.equal(naps, 0);
    assert.ok(err instanceof DatabaseUnreachableError);
    assert.match(
      err.message,
      /^Cannot use the PostgreSQL database at 127\.0\.0\.1:5432: .*3D000.*Check DATABASE_URL\.$/,
    );
  });

  it('takes its limits from the DATABASE_CONNECT_* settings when the service starts', async () => {
    const log = new CapturedLog();
    const slept: number[] = [];
    const config = loadConfig({
      DATABASE_URL: CLOSED,
      DATABASE_CONNECT_ATTEMPTS: '3',
      DATABASE_CONNECT_RETRY_SECONDS: '2',
      DATABASE_CONNECT_RETRY_MAX_SECONDS: '3',
    });
    await assert.rejects(
      composeApp(config, {
        log,
        sleep: async (ms) => {
          slept.push(ms);
        },
      }),
      /Gave up waiting for the PostgreSQL database at 127\.0\.0\.1:1 after 3 attempts/,
    );
    assert.deepEqual(slept, [2000, 3000]);
    assert.equal(log.lines.length, 2);
  });
});
