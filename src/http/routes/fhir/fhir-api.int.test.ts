import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { fhirErrors } from '../../../../test/support/fhir-validation.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import type { Patient } from '../../../storage/patients.repository.ts';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics?: string; expression?: string[] }[];
}

for (const dialect of DIALECTS) {
  describe(`FHIR R4 read, search, $everything and metadata on ${dialect}`, () => {
    let t: TestApp;
    let ann: Patient;
    let nurse = '';
    let manager = '';
    const get = (url: string, token: string | null = nurse) =>
      t.app.inject({
        method: 'GET',
        url,
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
    /** The answer is FHIR JSON that the independent validator accepts. */
    const valid = (res: LightMyRequestResponse): LightMyRequestResponse => {
      assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
      assert.deepEqual(fhirErrors(res.json()), []);
      return res;
    };
    const auditActions = async () =>
      (
        await t.deps.database.db
          .selectFrom('audit_events')
          .select(['action', 'patient_id'])
          .orderBy('seq')
          .execute()
      ).map((r) => `${r.action}:${r.patient_id ?? ''}`);

    before(async () => {
      t = await startTestApp(dialect);
      const user = await addTestUser(t, 'nurse-specialist', 'nia');
      nurse = await apiTokenFor(t, user);
      manager = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
      ann = await registerAnn(t, user);
    });
    after(async () => {
      await t.close();
    });

    it('serves the CapabilityStatement without a token', async () => {
      const res = await get('/fhir/R4/metadata', null);
      assert.equal(res.statusCode, 200);
      const cs = valid(res).json<{
        resourceType: string;
        fhirVersion: string;
        rest: {
          resource: { type: string; interaction: { code: string }[]; searchParam: { name: string }[] }[];
          interaction: { code: string }[];
        }[];
      }>();
      assert.equal(cs.resourceType, 'CapabilityStatement');
      assert.equal(cs.fhirVersion, '4.0.1');
      const types = cs.rest[0]?.resource.map((r) => r.type);
      assert.deepEqual(types, [
        'Patient',
        'Device',
        'MedicationRequest',
        'MedicationAdministration',
        'Procedure',
        'ServiceRequest',
        'Appointment',
        'Observation',
        'Flag',
      ]);
      for (const r of cs.rest[0]?.resource ?? []) {
        assert.deepEqual(
          r.interaction.map((i) => i.code),
          ['read', 'search-type'],
        );
        assert.deepEqual(
          r.searchParam.map((p) => p.name),
          [r.type === 'Patient' ? 'identifier' : 'patient'],
        );
      }
      assert.deepEqual(
        cs.rest[0]?.interaction.map((i) => i.code),
        ['transaction', 'batch'],
      );
    });

    it('lists every FHIR endpoint in the OpenAPI document, answering application/fhir+json', async () => {
      const spec = (await get('/api/v1/openapi.json', null)).json<{
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
        >;
      }>();
      for (const [path, method] of [
        ['/fhir/R4/metadata', 'get'],
        ['/fhir/R4/{type}', 'get'],
        ['/fhir/R4/{type}/{id}', 'get'],
        ['/fhir/R4/Patient/{id}/$everything', 'get'],
        ['/fhir/R4', 'post'],
      ] as const) {
        const op = spec.paths[path]?.[method];
        assert.ok(op, `${method} ${path}`);
        assert.ok(op.responses['200']?.content?.['application/fhir+json'], `${method} ${path}`);
      }
    });

    it('refuses every other call without a token (401) or without patient:read (403), as OperationOutcomes', async () => {
      for (const url of [
        `/fhir/R4/Patient/${ann.id}`,
        `/fhir/R4/Patient?identifier=${NHS}|4857773457`,
        `/fhir/R4/Patient/${ann.id}/$everything`,
      ]) {
        const anonymous = await get(url, null);
        assert.equal(anonymous.statusCode, 401, url);
        assert.equal(valid(anonymous).json<Outcome>().issue[0]?.code, 'login');
        const bad = await get(url, 'itb_not-a-token');
        assert.equal(bad.statusCode, 401, url);
        const refused = await get(url, manager);
        assert.equal(refused.statusCode, 403, url);
        assert.equal(valid(refused).json<Outcome>().issue[0]?.code, 'forbidden');
      }
    });

    it('reads a Patient with the NHS number identifier, and audits the read', async () => {
      const res = await get(`/fhir/R4/Patient/${ann.id}`);
      assert.equal(res.statusCode, 200);
      const patient = valid(res).json<{
        resourceType: string;
        id: string;
        identifier: { system: string; value: string }[];
      }>();
      assert.equal(patient.id, ann.id);
      assert.ok(patient.identifier.some((i) => i.system === NHS && i.value === '4857773457'));
      assert.ok((await auditActions()).includes(`fhir.read:${ann.id}`));
    });

    it('answers 404 for an unknown type or id and 400 for a malformed id, as OperationOutcomes', async () => {
      const unknownId = await get('/fhir/R4/Patient/00000000-0000-4000-8000-000000000000');
      assert.equal(unknownId.statusCode, 404);
      assert.equal(valid(unknownId).json<Outcome>().issue[0]?.code, 'not-found');
      for (const url of [
        '/fhir/R4/Medication/1',
        '/fhir/R4/Encounter?patient=Patient/1',
        '/fhir/R4/nothing/here/at/all',
      ]) {
        const res = await get(url);
        assert.equal(res.statusCode, 404, url);
        valid(res).json<Outcome>();
      }
      const malformed = await get(`/fhir/R4/Patient/${'x'.repeat(65)}`);
      assert.equal(malformed.statusCode, 400);
      assert.deepEqual(valid(malformed).json<Outcome>().issue[0]?.expression, ['id']);
    });

    it('searches Patient by NHS number: a searchset with total, absolute fullUrl and self link', async () => {
      const res = await get(`/fhir/R4/Patient?identifier=${encodeURIComponent(`${NHS}|4857773457`)}`);
      assert.equal(res.statusCode, 200);
      const bundle = valid(res).json<{
        type: string;
        total: number;
        link: { relation: string; url: string }[];
        entry: { fullUrl: string; resource: { id: string } }[];
      }>();
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1);
      assert.equal(bundle.entry[0]?.fullUrl, `${t.deps.config.publicUrl}/fhir/R4/Patient/${ann.id}`);
      assert.match(bundle.link[0]?.url ?? '', /\/fhir\/R4\/Patient\?identifier=/);
      const none = valid(await get(`/fhir/R4/Patient?identifier=${NHS}|9434765919`)).json<{
        total: number;
      }>();
      assert.equal(none.total, 0);
      const bare = valid(await get('/fhir/R4/Patient?identifier=4857773457')).json<{ total: number }>();
      assert.equal(bare.total, 1);
    });

    it('refuses a bad NHS number, another system or no search parameter with a 400 naming the parameter', async () => {
      const cases: [string, string][] = [
        [`/fhir/R4/Patient?identifier=${NHS}|4857773456`, 'identifier'],
        ['/fhir/R4/Patient?identifier=http://example.org/mrn|123', 'identifier'],
        ['/fhir/R4/Patient', 'identifier'],
        [`/fhir/R4/Device?patient.identifier=${NHS}|12345`, 'patient.identifier'],
        ['/fhir/R4/Observation?patient=Patient/%20', 'patient'],
      ];
      for (const [url, param] of cases) {
        const res = await get(url);
        assert.equal(res.statusCode, 400, url);
        const [first] = valid(res).json<Outcome>().issue;
        assert.ok(first, url);
        assert.deepEqual(first.expression, [param], url);
        assert.ok(first.diagnostics?.includes(param), url);
      }
    });

    it('searches the other types by the patient chained by NHS number or by reference', async () => {
      for (const type of [
        'Device',
        'MedicationRequest',
        'Observation',
        'Flag',
        'ServiceRequest',
        'Appointment',
      ]) {
        for (const query of [
          `patient.identifier=${NHS}|4857773457`,
          `patient:identifier=${NHS}|4857773457`,
          `patient=Patient/${ann.id}`,
        ]) {
          const res = await get(`/fhir/R4/${type}?${query}`);
          assert.equal(res.statusCode, 200, `${type}?${query}: ${res.body}`);
          const bundle = valid(res).json<{
            type: string;
            entry?: { resource: { resourceType: string } }[];
          }>();
          assert.equal(bundle.type, 'searchset');
          assert.ok((bundle.entry ?? []).every((e) => e.resource.resourceType === type));
        }
      }
      const unknownPatient = valid(await get('/fhir/R4/Device?patient=Patient/no-such-patient')).json<{
        total: number;
      }>();
      assert.equal(unknownPatient.total, 0);
    });

    it("returns a patient's $everything Bundle, audited, and 404 for an unknown patient", async () => {
      const res = await get(`/fhir/R4/Patient/${ann.id}/$everything`);
      assert.equal(res.statusCode, 200);
      const bundle = valid(res).json<{
        resourceType: string;
        entry: { fullUrl: string; resource: { resourceType: string } }[];
      }>();
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.entry[0]?.resource.resourceType, 'Patient');
      assert.ok(bundle.entry.every((e) => e.fullUrl.startsWith(`${t.deps.config.publicUrl}/fhir/R4/`)));
      assert.ok((await auditActions()).includes(`fhir.everything:${ann.id}`));
      const missing = await get('/fhir/R4/Patient/00000000-0000-4000-8000-000000000000/$everything');
      assert.equal(missing.statusCode, 404);
      valid(missing).json<Outcome>();
    });
  });
}
