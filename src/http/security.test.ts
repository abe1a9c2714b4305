import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import { helmetFor, NONCE_SLOT, securityHeaders } from './plugins/security.ts';

describe('security basics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await addTestUser(t, 'nurse-specialist', 'nia');
  });
  after(async () => {
    await t.close();
  });

  it('GET /health answers 200 with JSON while the database is reachable', async () => {
    const res = await t.app.inject('/health');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', database: 'sqlite' });
  });

  it('sends a strict Content-Security-Policy and the other security headers', async () => {
    const res = await t.app.inject('/sign-in');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'nonce-[0-9a-f]+'/);
    assert.match(csp, /frame-ancestors 'none'/);
    // The CSP's frame-ancestors is the framing control; the obsolete header is not also sent.
    assert.equal(res.headers['x-frame-options'], undefined);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.ok(res.headers['x-request-id']);
    // The template's one inline script carries the nonce, so the CSP allows it and nothing else.
    const nonce = /'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
    assert.ok(res.body.includes(`<script nonce="${nonce}">`));
  });

  it('refuses a form post without a CSRF token, and stores nothing', async () => {
    const b = new Browser(t);
    await b.signIn('nia');
    const res = await b.postRaw('/patients', {
      nhsNumber: '4857773457',
      givenName: 'A',
      familyName: 'B',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '1',
      'dateOfBirth-year': '1970',
      sex: 'female',
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Your form could not be sent/);
    const n = await t.deps.database.db
      .selectFrom('patients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(n.n, 0);
  });

  it('refuses a CSRF token from another browser', async () => {
    const attacker = new Browser(t);
    const page = await attacker.get('/sign-in');
    const stolen = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const victim = new Browser(t);
    await victim.signIn('nia');
    const res = await victim.postRaw('/sign-out', { _csrf: stolen });
    assert.equal(res.statusCode, 403);
  });

  it('sends people who are not signed in to the sign-in page, keeping where they were going', async () => {
    const res = await t.app.inject('/patients?q=Smith');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in?next=%2Fpatients%3Fq%3DSmith');
  });

  it('never follows a sign-in redirect to another site', async () => {
    const b = new Browser(t);
    const res = await b.post('/sign-in', {
      username: 'nia',
      password: 'a-long-test-password-1',
      next: '//evil.example/x',
    });
    assert.equal(res.headers.location, '/');
  });

  it('serves the NHS.UK assets without sign-in, and nothing else from those folders', async () => {
    for (const url of [
      '/assets/nhsuk-frontend.min.css',
      '/assets/nhsuk-frontend.min.js',
      '/assets/images/favicon.svg',
      '/assets/app.js',
    ]) {
      const res = await t.app.inject(url);
      assert.equal(res.statusCode, 200, url);
      // Assets may be cached; nothing else may.
      assert.equal(res.headers['cache-control'], 'public, max-age=3600', url);
    }
    for (const url of [
      '/assets/nhsuk.scss',
      '/assets/index.d.mts',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
    ]) {
      assert.equal((await t.app.inject(url)).statusCode, 404, url);
    }
  });

  it('shows a not-found page in the NHS style', async () => {
    const res = await t.app.inject('/no-such-page');
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
  });

  it('marks refusals and errors not to be stored, with the request id, as it does pages', async () => {
    const b = new Browser(t);
    await b.signIn('nia');
    for (const res of [
      await t.app.inject('/no-such-page'),
      await t.app.inject('/patients'),
      await b.get('/admin/users'),
      await t.app.inject({ method: 'GET', url: '/api/v1/patients?nhsNumber=1' }),
    ]) {
      assert.ok([303, 400, 401, 403, 404].includes(res.statusCode), String(res.statusCode));
      assert.equal(res.headers['cache-control'], 'no-store', String(res.statusCode));
      assert.ok(res.headers['x-request-id']);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self' 'nonce-[0-9a-f]{32}'/);
    }
  });

  it('gives every response a nonce of its own', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const csp = String((await t.app.inject('/sign-in')).headers['content-security-policy']);
      nonces.add(/'nonce-([0-9a-f]+)'/.exec(csp)?.[1] ?? '');
    }
    assert.equal(nonces.size, 20);
  });
});

describe('security headers worked out once (plugins/security.ts)', () => {
  /** What helmet itself sets on a real response for this nonce. */
  function helmetsOwn(cookieSecure: boolean, nonce: string): Record<string, string> {
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    Object.assign(response, { [NONCE_SLOT]: nonce });
    let failed: unknown = null;
    helmetFor(loadConfig({}, { cookieSecure }))(request, response, (err?: unknown) => {
      failed = err ?? null;
    });
    assert.equal(failed, null);
    return Object.fromEntries(Object.entries(response.getHeaders()).map(([k, v]) => [k, String(v)]));
  }

  it('are the headers helmet sets, with each response’s nonce in its policy', () => {
    for (const cookieSecure of [true, false]) {
      const headersWith = securityHeaders(helmetFor(loadConfig({}, { cookieSecure })));
      for (const nonce of ['0123456789abcdef0123456789abcdef', 'ffffffffffffffffffffffffffffffff']) {
        const ours = headersWith(nonce);
        assert.deepEqual(ours, helmetsOwn(cookieSecure, nonce));
        assert.ok(ours['content-security-policy']?.includes(`'nonce-${nonce}'`));
        assert.equal('strict-transport-security' in ours, cookieSecure);
      }
    }
  });

  it('gives each call headers of its own (one response’s nonce never reaches another)', () => {
    const headersWith = securityHeaders(helmetFor(loadConfig({}, { cookieSecure: false })));
    const a = headersWith('a'.repeat(32));
    const b = headersWith('b'.repeat(32));
    assert.notEqual(a['content-security-policy'], b['content-security-policy']);
    assert.ok(a['content-security-policy']?.includes('a'.repeat(32)));
    assert.ok(!a['content-security-policy']?.includes('b'.repeat(32)));
  });
});

describe('health when the database is gone', () => {
  it('answers 503', async () => {
    const t = await startTestApp();
    await t.deps.database.close();
    const res = await t.app.inject('/health');
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<{ status: string }>().status, 'unavailable');
    await t.app.close();
  });
});
