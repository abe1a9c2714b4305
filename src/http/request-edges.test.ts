import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  startTestApp,
  type TestApp,
} from '../../test/support/test-app.ts';
import { DIALECTS } from '../../test/support/databases.ts';
import { countRows } from '../../test/support/assertions.ts';
import type { User } from '../storage/users.repository.ts';

const ANN = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

async function auditActions(t: TestApp, action: string) {
  return t.deps.database.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();
}

describe('the API and the pages are told apart by the matched route, not the raw URL', () => {
  let t: TestApp;
  let nurse: Browser;
  before(async () => {
    t = await startTestApp();
    await addTestUser(t, 'nurse-specialist', 'nia');
    nurse = new Browser(t);
    await nurse.signIn('nia');
  });
  after(async () => {
    await t.close();
  });

  // Each is a way of writing /api/v1/patients that a same-site page could post to with the
  // browser's session cookie and no CSRF token. None may create a patient.
  const variants = [
    '/api/v1/patients',
    '/api/%761/patients',
    '/%61pi/v1/patients',
    '/%61%70%69/%76%31/patients',
    '/api/v1/%70atients',
    '//api/v1/patients',
    '/api//v1/patients',
    '/api/v1/patients.',
    '/api/v1/patients/',
    '/API/v1/patients',
    '/Api/V1/patients',
    '/api/v1/patients%2e',
    '/api/v1/./patients',
    '/api/v1/x/../patients',
  ];
  for (const url of variants) {
    it(`a cookie without a bearer token cannot create a patient at ${url}`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: [...nurse.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/json',
        },
        payload: JSON.stringify(ANN),
      });
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${url}: ${res.statusCode} ${res.body.slice(0, 120)}`,
      );
      assert.equal(await countRows(t.deps.database.db, 'patients'), 0);
    });
  }

  it('an encoded API path is the API: 401 in JSON, not a page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/%761/patients?q=smith' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'UNAUTHENTICATED');
  });

  it('every page form post is checked for its CSRF token, whatever the path looks like', async () => {
    for (const url of ['/patients', '/%70atients']) {
      const res = await nurse.postRaw(url, { ...ANN });
      assert.equal(res.statusCode, 403, url);
      assert.match(res.body, /Your form could not be sent/);
    }
    assert.equal(await countRows(t.deps.database.db, 'patients'), 0);
  });
});

describe('who may call is settled before the body is read', () => {
  let t: TestApp;
  let managerToken: string;
  before(async () => {
    t = await startTestApp();
    managerToken = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'sam'));
  });
  after(async () => {
    await t.close();
  });

  it('nobody signed in: 401, never a 400 listing the fields, even for a body that cannot be parsed', async () => {
    for (const payload of ['{}', '{"nhsNumber": 1}', '{not json']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/patients',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      assert.equal(res.statusCode, 401, payload);
      assert.equal(res.json<{ error: { fields: unknown[] } }>().error.fields.length, 0);
    }
  });

  it('a role without the permission: 403, never a 400 listing the fields', async () => {
    for (const payload of ['{}', '{not json']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/patients',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${managerToken}` },
        payload,
      });
      assert.equal(res.statusCode, 403, payload);
    }
  });

  it('a page post without a session is sent to sign in before its body is read', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/patients',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in/);
  });
});

describe('refused requests are audited, a flood of them is not', () => {
  let t: TestApp;
  let managerToken: string;
  before(async () => {
    t = await startTestApp();
    await addTestUser(t, 'nurse-specialist', 'nia');
    managerToken = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'sam'));
  });
  after(async () => {
    await t.close();
  });

  it('a failed bearer token is audited once a minute per source, with how many were held back', async () => {
    const call = () =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/patients?q=smith',
        headers: { authorization: 'Bearer nope' },
      });
    for (let i = 0; i < 20; i++) {
      assert.equal((await call()).statusCode, 401);
    }
    const rows = await auditActions(t, 'auth.token-refused');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.outcome, 'denied');
    t.clock.advanceSeconds(60);
    await call();
    const later = await auditActions(t, 'auth.token-refused');
    assert.equal(later.length, 2);
    assert.equal(
      (JSON.parse(String(later[1]?.details)) as { heldBackSinceLastRow: number }).heldBackSinceLastRow,
      19,
    );
  });

  it('a failed CSRF check is audited with who sent it', async () => {
    const nurse = new Browser(t);
    await nurse.signIn('nia');
    for (let i = 0; i < 5; i++) {
      assert.equal((await nurse.postRaw('/patients', { ...ANN })).statusCode, 403);
    }
    const rows = await auditActions(t, 'csrf.refused');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.username, 'nia');
  });

  it('a forbidden API call is audited, and repeats within the minute are held back', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/patients?q=smith',
        headers: { authorization: `Bearer ${managerToken}` },
      });
      assert.equal(res.statusCode, 403);
    }
    const rows = (await auditActions(t, 'access.denied')).filter((r) => r.username === 'sam');
    assert.equal(rows.length, 1);
  });
});

describe('input a database cannot keep alike is refused with 400 naming the field', () => {
  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      let t: TestApp;
      let token: string;
      let nurse: User;
      before(async () => {
        t = await startTestApp(dialect);
        nurse = await addTestUser(t, 'nurse-specialist', 'nia');
        token = await apiTokenFor(t, nurse);
      });
      after(async () => {
        await t.close();
      });
      const api = (method: 'GET' | 'POST', url: string, payload?: string) =>
        t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(payload === undefined ? {} : { payload }),
        });

      it('a NUL in a JSON text field', async () => {
        const res = await api(
          'POST',
          '/api/v1/patients',
          JSON.stringify({ ...ANN, familyName: 'Sm\u0000ith' }),
        );
        assert.equal(res.statusCode, 400);
        const body = res.json<{ error: { code: string; fields: { field: string }[] } }>();
        assert.equal(body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          body.error.fields.map((f) => f.field),
          ['familyName'],
        );
        assert.equal(await countRows(t.deps.database.db, 'patients'), 0);
      });

      it('a lone surrogate in a JSON text field', async () => {
        const res = await api(
          'POST',
          '/api/v1/patients',
          `{"nhsNumber":"4857773457","givenName":"\\ud800","familyName":"Smith","dateOfBirth":"1961-03-14","sex":"female"}`,
        );
        assert.equal(res.statusCode, 400);
        assert.equal(
          res.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field,
          'givenName',
        );
      });

      it('a NUL in a path id and in a query', async () => {
        const byId = await api('GET', '/api/v1/patients/%00');
        assert.equal(byId.statusCode, 400);
        const search = await api('GET', '/api/v1/patients?q=sm%00ith');
        assert.equal(search.statusCode, 400);
        assert.equal(search.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field, 'q');
      });

      it('a NUL in a page form field', async () => {
        const b = new Browser(t);
        await b.signIn('nia');
        const res = await b.post('/patients', { ...ANN, givenName: 'A\u0000nn' }, '/patients/new');
        assert.equal(res.statusCode, 400);
        assert.match(res.body, /givenName/);
        assert.equal(await countRows(t.deps.database.db, 'patients'), 0);
      });
    });
  }
});

describe('malformed requests answer 4xx, never 500', () => {
  let t: TestApp;
  let nurse: Browser;
  let nia: User;
  before(async () => {
    t = await startTestApp();
    nia = await addTestUser(t, 'nurse-specialist', 'nia');
    nurse = new Browser(t);
    await nurse.signIn('nia');
  });
  after(async () => {
    await t.close();
  });

  it('a multipart body without a boundary answers 400, unauthenticated and signed in', async () => {
    for (const url of ['/sign-in', '/patients', '/referrals/new/upload', '/api/v1/patients']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'multipart/form-data',
          cookie: [...nurse.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        payload: 'x',
      });
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    }
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'multipart/form-data' },
      payload: 'x',
    });
    assert.equal(signIn.statusCode, 400);
  });

  it('a multipart body cut short or with another boundary answers 400, not 500', async () => {
    const part = (boundary: string) => `--${boundary}\r\ncontent-disposition: form-data; name="a"\r\n\r\nb`;
    for (const [type, payload] of [
      ['multipart/form-data; boundary=other', `${part('x')}\r\n--x--`],
      ['multipart/form-data; boundary=x', part('x')],
      [
        'multipart/form-data; boundary=x',
        `--x\r\ncontent-disposition: form-data; name="file"; filename="a.pdf"\r\n\r\nb`,
      ],
      [`multipart/form-data; boundary=${'b'.repeat(300)}`, part('b'.repeat(300))],
    ] as const) {
      for (const url of ['/sign-in', '/api/v1/patients']) {
        const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });
        assert.ok(
          res.statusCode >= 400 && res.statusCode < 500,
          `${url} ${type.slice(0, 40)}: ${res.statusCode}`,
        );
      }
    }
  });

  it('a repeated query parameter is read once: the first is taken, the repeat ignored', async () => {
    for (const url of [
      '/audit?username=a&username=b',
      '/patients?q=smith&q=jones',
      '/waiting-list?view=a&view=b',
      '/worklist?page=1&page=2',
      '/sign-in?next=/a&next=/b',
    ]) {
      const res = await nurse.get(url);
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
    }
    const token = await apiTokenFor(t, nia);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/patients?familyName=smith&familyName=jones',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200);
  });
});
