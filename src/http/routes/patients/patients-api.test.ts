import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import type { User } from '../../../storage/users.repository.ts';

async function tokenFor(t: TestApp, user: User): Promise<{ id: string; token: string }> {
  return t.deps.services.accounts.createToken(
    { userId: user.id, username: user.username, role: user.role, requestId: null },
    user,
    'test',
  );
}

const ann = {
  nhsNumber: '485 777 3457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

for (const dialect of DIALECTS) {
  describe(`patients API on ${dialect}`, () => {
    let t: TestApp;
    let nurseToken = '';
    let managerToken = '';
    let nurse: User;
    const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });

    // Each test starts on an empty register of its own, with a nurse's and a manager's token.
    beforeEach(async () => {
      t = await startTestApp(dialect);
      nurse = await addTestUser(t, 'nurse-specialist', 'nia');
      nurseToken = (await tokenFor(t, nurse)).token;
      managerToken = (await tokenFor(t, await addTestUser(t, 'service-manager', 'max'))).token;
    });
    afterEach(async () => {
      await t.close();
    });

    it('refuses calls without a valid token with 401', async () => {
      for (const token of [null, 'itb_not-a-real-token', 'Basic abc']) {
        const res = await api('GET', '/api/v1/patients?nhsNumber=4857773457', token);
        assert.equal(res.statusCode, 401);
        assert.equal(res.json<{ error: { code: string } }>().error.code, 'UNAUTHENTICATED');
      }
    });

    it('ignores a session cookie: the API takes only bearer tokens', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      const res = await t.app.inject({
        url: '/api/v1/patients?nhsNumber=4857773457',
        headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      assert.equal(res.statusCode, 401);
    });

    it('POST /api/v1/patients registers a patient (201) and audits it under the token owner', async () => {
      const res = await api('POST', '/api/v1/patients', nurseToken, ann);
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json<{ id: string; nhsNumber: string; version: number }>();
      assert.equal(body.nhsNumber, '4857773457');
      assert.equal(body.version, 1);
      const audit = await t.deps.database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'patient.create')
        .executeTakeFirstOrThrow();
      assert.equal(audit.user_id, nurse.id);
      assert.equal(audit.request_id, res.headers['x-request-id']);
    });

    it('answers 400 naming every bad field, and stores nothing', async () => {
      await registerAnn(t, nurse);
      const res = await api('POST', '/api/v1/patients', nurseToken, {
        nhsNumber: '4857773456',
        givenName: '',
        dateOfBirth: '14/03/1961',
        sex: 'x',
      });
      assert.equal(res.statusCode, 400);
      const fields = res.json<{ error: { code: string; fields: { field: string }[] } }>().error;
      assert.equal(fields.code, 'VALIDATION_FAILED');
      const names = fields.fields.map((f) => f.field).sort();
      assert.deepEqual(names, ['dateOfBirth', 'familyName', 'givenName', 'nhsNumber', 'sex']);
      assert.equal(await countRows(t.deps.database.db, 'patients'), 1);
    });

    it('answers 400 for a date of birth in the future', async () => {
      const res = await api('POST', '/api/v1/patients', nurseToken, {
        ...ann,
        nhsNumber: '9434765870',
        dateOfBirth: '2030-01-01',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(
        res.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field,
        'dateOfBirth',
      );
    });

    it('answers 409 for a duplicate NHS number, with the existing patient id', async () => {
      await registerAnn(t, nurse);
      const res = await api('POST', '/api/v1/patients', nurseToken, { ...ann, givenName: 'Anne' });
      assert.equal(res.statusCode, 409);
      const e = res.json<{ error: { code: string; details: { existingPatientId: string } } }>().error;
      assert.equal(e.code, 'DUPLICATE_NHS_NUMBER');
      assert.ok(e.details.existingPatientId);
    });

    it('GET /api/v1/patients?nhsNumber= finds the patient, with spaces or without', async () => {
      await registerAnn(t, nurse);
      for (const q of ['4857773457', '485%20777%203457']) {
        const res = await api('GET', `/api/v1/patients?nhsNumber=${q}`, nurseToken);
        assert.equal(res.statusCode, 200);
        const list = res.json<{ patients: { familyName: string }[] }>().patients;
        assert.equal(list.length, 1);
        assert.equal(list[0]?.familyName, 'Smith');
      }
      const bad = await api('GET', '/api/v1/patients?nhsNumber=4857773456', nurseToken);
      assert.equal(bad.statusCode, 400);
      assert.equal(
        bad.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field,
        'nhsNumber',
      );
      assert.equal((await api('GET', '/api/v1/patients', nurseToken)).statusCode, 400);
    });

    it('refuses a likely duplicate (409 LIKELY_DUPLICATE_PATIENT) unless confirmNotDuplicate is true', async () => {
      const first = await registerAnn(t, nurse);
      const anne = { ...ann, nhsNumber: '943 476 5919', givenName: 'Anne' };
      const refused = await api('POST', '/api/v1/patients', nurseToken, anne);
      assert.equal(refused.statusCode, 409, refused.body);
      const e = refused.json<{
        error: {
          code: string;
          reason: string;
          details: { possibleDuplicates: { id: string; nhsNumber: string }[] };
        };
      }>().error;
      assert.equal(e.code, 'INVALID_STATE');
      assert.equal(e.reason, 'LIKELY_DUPLICATE_PATIENT');
      assert.deepEqual(
        e.details.possibleDuplicates.map((d) => [d.id, d.nhsNumber]),
        [[first.id, '4857773457']],
      );
      assert.equal(await countRows(t.deps.database.db, 'patients'), 1);
      const notConfirmed = await api('POST', '/api/v1/patients', nurseToken, {
        ...anne,
        confirmNotDuplicate: false,
      });
      assert.equal(notConfirmed.statusCode, 409);
      const confirmed = await api('POST', '/api/v1/patients', nurseToken, {
        ...anne,
        confirmNotDuplicate: true,
      });
      assert.equal(confirmed.statusCode, 201, confirmed.body);
      assert.equal(await countRows(t.deps.database.db, 'patients'), 2);
    });

    it('GET /api/v1/patients?q= reads the search box; hospitalNumber and parts of names work too', async () => {
      await api('POST', '/api/v1/patients', nurseToken, {
        ...ann,
        familyName: "O'BRIEN-SMITH",
        hospitalNumber: 'RR8 123456',
      });
      const names = async (query: string) => {
        const res = await api('GET', `/api/v1/patients?${query}`, nurseToken);
        assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
        return res.json<{ patients: { familyName: string; hospitalNumber: string }[] }>().patients;
      };
      for (const query of [
        'q=obrien',
        "q=o'brien",
        'q=Brien-Smith',
        'q=smith',
        'q=14%20March%201961',
        'q=14%2F03%2F1961',
        'q=RR8%20123456',
        'hospitalNumber=RR8%20123456',
        'hospitalNumber=rr8123456',
        'familyName=brien',
        'givenName=an&familyName=smith',
      ]) {
        assert.deepEqual(
          (await names(query)).map((p) => p.familyName),
          ["O'BRIEN-SMITH"],
          query,
        );
      }
      assert.equal((await names('q=obrien'))[0]?.hospitalNumber, 'RR8 123456');
      assert.deepEqual(await names('givenName=smith'), []);
      const bad = await api('GET', '/api/v1/patients?q=31%2F02%2F1961', nurseToken);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field, 'q');
    });

    it('PUT refuses a stale version with 409', async () => {
      await registerAnn(t, nurse);
      const found = (await api('GET', '/api/v1/patients?nhsNumber=4857773457', nurseToken)).json<{
        patients: { id: string }[];
      }>();
      const id = found.patients[0]?.id ?? '';
      const ok = await api('PUT', `/api/v1/patients/${id}`, nurseToken, {
        ...ann,
        phone: '0113 496 0000',
        version: 1,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const stale = await api('PUT', `/api/v1/patients/${id}`, nurseToken, {
        ...ann,
        phone: '0113 496 1111',
        version: 1,
      });
      assert.equal(stale.statusCode, 409);
      assert.equal(
        (await api('GET', `/api/v1/patients/${id}`, nurseToken)).json<{ phone: string }>().phone,
        '0113 496 0000',
      );
    });

    it('applies the same role rules as the pages: a service manager gets 403', async () => {
      const res = await api('GET', '/api/v1/patients?nhsNumber=4857773457', managerToken);
      assert.equal(res.statusCode, 403);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'FORBIDDEN');
    });

    it('a revoked token stops working', async () => {
      const b = new Browser(t);
      await b.signIn('nia');
      const page = await b.post('/account/tokens', { name: 'ward display' }, '/account');
      const token = /id="new-token">([^<]+)</.exec(page.body)?.[1] ?? '';
      assert.match(token, /^itb_/);
      assert.equal((await api('GET', '/api/v1/patients?nhsNumber=4857773457', token)).statusCode, 200);
      const stored = await t.deps.database.db.selectFrom('api_tokens').select('token_hash').execute();
      assert.ok(
        stored.every((s) => s.token_hash !== token),
        'only hashes are stored',
      );
      const row = await t.deps.database.db
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', 'ward display')
        .executeTakeFirstOrThrow();
      await b.post(`/account/tokens/${row.id}/revoke`, {}, '/account');
      assert.equal((await api('GET', '/api/v1/patients?nhsNumber=4857773457', token)).statusCode, 401);
    });
  });
}

describe('OpenAPI document', () => {
  it('is generated from the request schemas', async () => {
    const t = await startTestApp();
    const res = await t.app.inject('/api/v1/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<
                string,
                { schema: { properties: Record<string, unknown>; required: string[] } }
              >;
            };
          }
        >
      >;
    }>();
    assert.match(doc.openapi, /^3\./);
    const post = doc.paths['/api/v1/patients']?.post;
    const schema = post?.requestBody?.content['application/json']?.schema;
    assert.ok(schema?.properties.nhsNumber);
    assert.ok(schema.properties.dateOfBirth);
    assert.deepEqual([...schema.required].sort(), [
      'dateOfBirth',
      'familyName',
      'givenName',
      'nhsNumber',
      'sex',
    ]);
    assert.ok(doc.paths['/api/v1/patients/{id}']?.get);
    await t.close();
  });
});
