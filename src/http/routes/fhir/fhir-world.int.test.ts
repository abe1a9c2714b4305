import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { fhirErrors } from '../../../../test/support/fhir-validation.ts';
import { seedWorld, type SeededWorld } from '../../../../test/support/seeded-world.ts';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { FHIR_EXPORT_TYPES } from '../../../domain/fhir/fhir-types.ts';

interface Found {
  total: number;
  entry?: { fullUrl: string; resource: { resourceType: string; id: string } }[];
}

/**
 * The seeded world's patient (a referral, an assessment, a pump with its prescription and a
 * refill, a test dose, appointments) through the HTTP endpoints: every resource found by NHS
 * number is read back by its id and is the same, and all of them, and the $everything Bundle,
 * pass the independent validator and the UK Core rules.
 */
for (const dialect of DIALECTS) {
  describe(`FHIR R4 over a seeded patient's whole record on ${dialect}`, () => {
    let t: TestApp;
    let world: SeededWorld;
    const get = (url: string) =>
      t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${world.tokens.get('nurse-specialist') ?? ''}` },
      });

    before(async () => {
      t = await startTestApp(dialect);
      world = await seedWorld(t);
      assert.deepEqual(world.missing, []);
    });
    after(async () => {
      await t.close();
    });

    it('finds each type by NHS number, reads each back by id, and every resource is valid', async () => {
      const seen = new Map<string, number>();
      for (const type of FHIR_EXPORT_TYPES) {
        const param = type === 'Patient' ? 'identifier' : 'patient.identifier';
        const res = await get(`/fhir/R4/${type}?${param}=https://fhir.nhs.uk/Id/nhs-number|4857773457`);
        assert.equal(res.statusCode, 200, `${type}: ${res.body.slice(0, 300)}`);
        const bundle = res.json<Found>();
        assert.deepEqual(fhirErrors(bundle), [], type);
        seen.set(type, bundle.total);
        for (const e of bundle.entry ?? []) {
          assert.equal(e.resource.resourceType, type);
          assert.ok(e.fullUrl.endsWith(`/fhir/R4/${type}/${e.resource.id}`));
          const read = await get(`/fhir/R4/${type}/${e.resource.id}`);
          assert.equal(read.statusCode, 200, `${type}/${e.resource.id}`);
          assert.deepEqual(read.json(), e.resource, `${type}/${e.resource.id} reads as it was found`);
        }
      }
      for (const type of ['Patient', 'Device', 'MedicationRequest', 'ServiceRequest']) {
        assert.ok(
          (seen.get(type) ?? 0) > 0,
          `the seeded patient has a ${type}: ${JSON.stringify([...seen])}`,
        );
      }
      const everything = await get(`/fhir/R4/Patient/${world.ids.get('patient') ?? ''}/$everything`);
      assert.equal(everything.statusCode, 200);
      const bundle = everything.json<Found>();
      assert.deepEqual(fhirErrors(bundle), []);
      // $everything holds every resource the searches found, and no other.
      assert.equal(
        bundle.entry?.length,
        [...seen.values()].reduce((a, b) => a + b, 0),
      );
    });
  });
}
