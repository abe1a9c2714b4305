import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { ANN, BOB, CAT, patientBundle, patientResource } from '../../../../test/support/fhir-bundles.ts';
import { fhirErrors } from '../../../../test/support/fhir-validation.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

interface Outcome {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; diagnostics?: string; expression?: string[] }[];
}
interface ResponseBundle {
  resourceType: 'Bundle';
  type: string;
  entry: { response: { status: string; location?: string; outcome?: Outcome } }[];
}

for (const dialect of DIALECTS) {
  describe(`FHIR Patient import (POST /fhir/R4) on ${dialect}`, () => {
    let t: TestApp;
    let nurse = '';
    let physio = '';
    let manager = '';
    const post = (payload: unknown, token: string | null = nurse, contentType = 'application/fhir+json') =>
      t.app.inject({
        method: 'POST',
        url: '/fhir/R4',
        headers: {
          'content-type': contentType,
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        payload: JSON.stringify(payload),
      });
    const valid = (res: LightMyRequestResponse): LightMyRequestResponse => {
      assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
      assert.deepEqual(fhirErrors(res.json()), []);
      return res;
    };
    const patients = async () =>
      (
        await t.deps.database.db.selectFrom('patients').select('nhs_number').orderBy('nhs_number').execute()
      ).map((r) => r.nhs_number);
    const imports = async () =>
      (
        await t.deps.database.db
          .selectFrom('audit_events')
          .select(['outcome', 'username', 'details'])
          .where('action', '=', 'fhir.import')
          .orderBy('seq')
          .execute()
      ).map((r) => ({
        outcome: r.outcome,
        username: r.username,
        details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<
          string,
          unknown
        >,
      }));

    beforeEach(async () => {
      t = await startTestApp(dialect);
      const nia = await addTestUser(t, 'nurse-specialist', 'nia');
      nurse = await apiTokenFor(t, nia);
      physio = await apiTokenFor(t, await addTestUser(t, 'physiotherapist', 'pia'));
      manager = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
      await registerAnn(t, nia);
    });
    afterEach(async () => {
      await t.close();
    });

    it('registers new patients (201) and matches a registered one (200), in one audited transaction', async () => {
      const res = await post(patientBundle([ANN, BOB, CAT]));
      assert.equal(res.statusCode, 200, res.body);
      const bundle = valid(res).json<ResponseBundle>();
      assert.equal(bundle.type, 'transaction-response');
      assert.deepEqual(
        bundle.entry.map((e) => e.response.status),
        ['200 OK', '201 Created', '201 Created'],
      );
      assert.ok(
        bundle.entry.every((e) => /\/fhir\/R4\/Patient\/[0-9a-f-]{36}$/.test(e.response.location ?? '')),
      );
      assert.deepEqual(await patients(), ['4857773457', '9434765870', '9434765919']);
      const [audit] = await imports();
      assert.equal(audit?.outcome, 'success');
      assert.equal(audit.username, 'nia');
      assert.equal(audit.details.created, 2);
      assert.equal(audit.details.matched, 1);
      // Each registration has its own row, as the registration form writes.
      const creates = await t.deps.database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'patient.create')
        .execute();
      assert.equal(creates.length, 3);
      // The registered patient reads back as the same FHIR Patient, NHS number and all.
      const read = await t.app.inject({
        method: 'GET',
        url: `/fhir/R4/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|${BOB.nhsNumber}`,
        headers: { authorization: `Bearer ${nurse}` },
      });
      const found = valid(read).json<{
        entry: { resource: { birthDate: string; name: { family: string }[] } }[];
      }>();
      assert.equal(found.entry[0]?.resource.birthDate, BOB.birthDate);
      assert.equal(found.entry[0].resource.name[0]?.family, BOB.family);
    });

    it('a second import of the same bundle matches everyone and changes nothing', async () => {
      assert.equal((await post(patientBundle([BOB, CAT]))).statusCode, 200);
      const again = valid(await post(patientBundle([BOB, CAT], 'transaction'), nurse, 'application/json'));
      assert.deepEqual(
        again.json<ResponseBundle>().entry.map((e) => e.response.status),
        ['200 OK', '200 OK'],
      );
      assert.equal((await patients()).length, 3);
    });

    it('a transaction with a conflict (same NHS number, another date of birth or name) saves nothing and lists every problem', async () => {
      const res = await post(
        patientBundle([
          BOB,
          { ...ANN, birthDate: '1962-03-14' },
          { ...ANN, given: 'Zed', family: 'Quinn', nhsNumber: '9434765862' },
          { ...CAT, nhsNumber: ANN.nhsNumber, given: 'Cat', family: 'Brown', birthDate: ANN.birthDate },
        ]),
      );
      assert.equal(res.statusCode, 400, res.body);
      const outcome = valid(res).json<Outcome>();
      assert.equal(outcome.resourceType, 'OperationOutcome');
      // Entries 1 and 3 carry the same NHS number: the repeat is reported, and so is the conflict.
      const where = outcome.issue.map((i) => `${i.code} ${i.expression?.[0] ?? ''}`);
      assert.ok(where.includes('conflict Bundle.entry[1].resource.birthDate'), where.join('\n'));
      assert.ok(where.includes('duplicate Bundle.entry[3].resource.identifier'), where.join('\n'));
      assert.deepEqual(await patients(), ['4857773457'], 'nothing saved, not even the clean entry');
      assert.equal((await imports())[0]?.outcome, 'failure');

      const conflictsOnly = await post(patientBundle([{ ...ANN, given: 'Zara', family: 'Quinn' }]));
      assert.equal(conflictsOnly.statusCode, 409);
      const issue = valid(conflictsOnly).json<Outcome>().issue[0];
      assert.equal(issue?.code, 'conflict');
      assert.deepEqual(issue.expression, ['Bundle.entry[0].resource.name']);
    });

    it('a likely duplicate under another NHS number is a conflict, never registered silently', async () => {
      const res = await post(patientBundle([{ ...ANN, nhsNumber: '9434765862', given: 'Anne' }]));
      assert.equal(res.statusCode, 409, res.body);
      assert.match(valid(res).json<Outcome>().issue[0]?.diagnostics ?? '', /Likely the same person/);
      assert.deepEqual(await patients(), ['4857773457']);
      // Two entries for one new person under two numbers: the second is caught as the form would.
      const twice = await post(patientBundle([BOB, { ...BOB, nhsNumber: '9434765862', given: 'Bobby' }]));
      assert.equal(twice.statusCode, 409, twice.body);
      assert.deepEqual(valid(twice).json<Outcome>().issue[0]?.expression, ['Bundle.entry[1].resource']);
    });

    it('invalid entries are a 400 naming the entry and element, from the rules and the FHIR validator', async () => {
      const noNumber = { ...patientResource(BOB), identifier: [] };
      const badNumber = patientResource({ ...CAT, nhsNumber: '9434765871' });
      const partialDate = { ...patientResource({ ...CAT, nhsNumber: '9434765862' }), birthDate: '1990' };
      const unknownElement = {
        ...patientResource({ ...BOB, nhsNumber: '9000000009' }),
        favouriteColour: 'blue',
      };
      const notPatient = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };
      const res = await post(patientBundle([noNumber, badNumber, partialDate, unknownElement, notPatient]));
      assert.equal(res.statusCode, 400, res.body);
      const where = valid(res)
        .json<Outcome>()
        .issue.map((i) => i.expression?.[0]);
      assert.deepEqual(where, [
        'Bundle.entry[0].resource.identifier',
        'Bundle.entry[1].resource.identifier',
        'Bundle.entry[2].resource.birthDate',
        'Bundle.entry[3].resource.favouriteColour',
        'Bundle.entry[4].resource.resourceType',
      ]);
      for (const [payload, path] of [
        [{ resourceType: 'Patient' }, 'Bundle.resourceType'],
        [{ resourceType: 'Bundle', type: 'collection', entry: [] }, 'Bundle.type'],
        [{ resourceType: 'Bundle', type: 'transaction' }, 'Bundle.entry'],
      ] as const) {
        const bad = await post(payload);
        assert.equal(bad.statusCode, 400);
        assert.deepEqual(valid(bad).json<Outcome>().issue[0]?.expression, [path]);
      }
      const notJson = await t.app.inject({
        method: 'POST',
        url: '/fhir/R4',
        headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${nurse}` },
        payload: '{"resourceType": "Bundle",',
      });
      assert.equal(notJson.statusCode, 400);
      valid(notJson);
      assert.deepEqual(await patients(), ['4857773457']);
    });

    it('a batch saves its clean entries and answers each problem on its own entry', async () => {
      const res = await post(patientBundle([BOB, { ...ANN, birthDate: '1962-03-14' }, BOB], 'batch'));
      assert.equal(res.statusCode, 200, res.body);
      const bundle = valid(res).json<ResponseBundle>();
      assert.equal(bundle.type, 'batch-response');
      assert.deepEqual(
        bundle.entry.map((e) => e.response.status),
        ['201 Created', '409 Conflict', '400 Bad Request'],
      );
      assert.equal(bundle.entry[1]?.response.outcome?.issue[0]?.code, 'conflict');
      assert.equal(bundle.entry[2]?.response.outcome?.issue[0]?.code, 'duplicate');
      assert.deepEqual(await patients(), ['4857773457', '9434765919']);
    });

    it('needs a token (401) with patient:write (403)', async () => {
      const anonymous = await post(patientBundle([BOB]), null);
      assert.equal(anonymous.statusCode, 401);
      assert.equal(valid(anonymous).json<Outcome>().issue[0]?.code, 'login');
      const refused = await post(patientBundle([BOB]), manager);
      assert.equal(refused.statusCode, 403);
      assert.equal(valid(refused).json<Outcome>().issue[0]?.code, 'forbidden');
      // A physiotherapist holds patient:write as every clinical role does.
      assert.equal((await post(patientBundle([BOB]), physio)).statusCode, 200);
    });

    it('refuses a body over the limit with a 413 OperationOutcome', async () => {
      const big = patientBundle([
        {
          ...patientResource(BOB),
          text: {
            status: 'generated',
            div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(17 * 1024 * 1024)}</div>`,
          },
        },
      ]);
      const res = await post(big);
      assert.equal(res.statusCode, 413);
      assert.equal(res.json<Outcome>().resourceType, 'OperationOutcome');
    });
  });
}
