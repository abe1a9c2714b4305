import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { composeApp } from '../compose.ts';
import { loadConfig } from '../config.ts';
import { TestClock } from '../../test/support/clock.ts';
import { CapturedLog, openThroughProxy, PgProxy } from '../../test/support/pg-proxy.ts';
import { addTestUser, apiTokenFor, Browser, registerAnn, type TestApp } from '../../test/support/test-app.ts';
import { buildApp } from './app.ts';

/**
 * PostgreSQL goes away under a running service (a restart, a network failure) and comes back:
 * the relay in front of it is taken down, which cuts the pool's connections and refuses new ones.
 * Every answer meanwhile is 503 DATABASE_UNAVAILABLE, pages say the service is temporarily
 * unavailable, and the service recovers by itself when the database returns.
 */
describe('PostgreSQL down under a running service', () => {
  const proxy = new PgProxy();
  const log = new CapturedLog();
  let t: TestApp;
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  let token = '';
  let patientId = '';
  const browser = () => new Browser(t);
  let signedIn: Browser;

  before(async () => {
    await proxy.start();
    const opened = await openThroughProxy(proxy, log);
    dispose = opened.dispose;
    const clock = new TestClock();
    const deps = await composeApp(loadConfig({}), { clock, database: opened.handle, migrate: false });
    app = await buildApp(deps, { logger: false });
    t = {
      app,
      deps,
      clock,
      database: {
        handle: opened.handle,
        openAnother: () => {
          throw new Error('not needed');
        },
        dispose,
      },
      close: async () => {
        await app.close();
        await dispose();
      },
    };
    const nurse = await addTestUser(t, 'nurse-specialist');
    token = await apiTokenFor(t, nurse);
    patientId = (await registerAnn(t, nurse)).id;
    signedIn = browser();
    const res = await signedIn.signIn(nurse.username);
    assert.equal(res.statusCode, 303);
    assert.equal((await app.inject('/health')).statusCode, 200);
    await proxy.stop();
  });
  // Whatever failed above, the relay and the database are closed: a relay left listening would
  // keep this test's process alive and the run would never end.
  after(async () => {
    // Either may be unset when `before` failed part way.
    const started = t as TestApp | undefined;
    const opened = dispose as (() => Promise<void>) | undefined;
    try {
      await proxy.start();
      if (started) {
        await started.close();
      } else if (opened) {
        await opened();
      }
    } finally {
      await proxy.stop();
    }
  });

  it('answers /health with 503 and the reason', async () => {
    const res = await app.inject('/health');
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { status: 'unavailable', database: 'postgres', reason: 'unreachable' });
  });

  it('answers an API call with 503 DATABASE_UNAVAILABLE, not 500', async () => {
    const res = await app.inject({
      url: `/api/v1/patients/${patientId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 503, res.body);
    const body = res.json<{ error: { code: string; message: string; details: { reason: string } } }>();
    assert.equal(body.error.code, 'DATABASE_UNAVAILABLE');
    assert.equal(body.error.details.reason, 'unreachable');
    assert.match(body.error.message, /cannot reach its database/);
  });

  it('shows a signed-in page as temporarily unavailable', async () => {
    const res = await signedIn.get(`/patients/${patientId}`);
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /<h1>Sorry, the service is temporarily unavailable<\/h1>/);
    assert.match(res.body, /cannot reach its database just now, so nothing was read or saved/);
  });

  it('answers signing in, which needs the database before anyone is known, with 503 too', async () => {
    const res = await browser().signIn('nurse-specialistuser');
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /Sorry, the service is temporarily unavailable/);
  });

  it('logged the lost connections with the host and port, and recovers when the database returns', async () => {
    assert.ok(
      log.lines.some((l) => /^PostgreSQL connection to 127\.0\.0\.1:\d+ lost/.test(l)),
      log.lines.join('\n'),
    );
    await proxy.start();
    assert.equal((await app.inject('/health')).statusCode, 200);
    const res = await app.inject({
      url: `/api/v1/patients/${patientId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await signedIn.get(`/patients/${patientId}`)).statusCode, 200);
    await proxy.stop();
  });
});
