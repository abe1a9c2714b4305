import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Resource } from '@medplum/fhirtypes';
import { DIALECTS } from '../../../test/support/databases.ts';
import { assertValidFhir, assertValidR4, loadFhirDefinitions } from '../../../test/support/fhir-validator.ts';
import { NO_SUCH_ID, seedWorld, type SeededWorld } from '../../../test/support/seeded-world.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { FHIR_EXPORT_TYPES, type FhirExportType } from '../../domain/fhir/fhir-types.ts';
import { actorOf, type Actor } from '../audit-service.ts';

loadFhirDefinitions();

const NHS = '4857773457';

/** The rows seedWorld's API journey does not make: a first appointment, measures, an open
 * emergency and alerts on the record, so the patient has every exported type. */
async function addTheRest(t: TestApp, world: SeededWorld): Promise<void> {
  const db = t.database.handle.db;
  const patientId = world.ids.get('patient') ?? '';
  const referralId = world.ids.get('referral') ?? '';
  const by = world.users.get('consultant')?.id ?? '';
  const now = '2026-11-20T10:00:00.000Z';
  await db
    .insertInto('appointments')
    .values({
      id: randomUUID(),
      referral_id: referralId,
      appointment_date: '2026-12-01',
      appointment_time: '09:30',
      clinic: 'ITB clinic',
      clinician: 'Dr Consultant',
      state: 'booked',
      rebooked_from: null,
      cancel_reason: null,
      cancel_note: null,
      cancelled_at: null,
      cancelled_by: null,
      outcome_note: null,
      outcome_at: null,
      outcome_by: null,
      created_at: now,
      created_by: by,
      version: 1,
      beyond_target_date: null,
    })
    .execute();
  await db
    .insertInto('outcome_measure_sets')
    .values({
      id: randomUUID(),
      patient_id: patientId,
      recorded_on: '2026-11-10',
      occasion: 'assessment',
      assessment_id: null,
      mas: JSON.stringify([{ muscleGroup: 'hip-adductors', side: 'left', grade: '1+' }]),
      penn_frequency: 3,
      penn_severity: 2,
      gas_goals: JSON.stringify([{ text: 'Sit for 2 hours', weight: 4, baseline: -1, achieved: null }]),
      gmfcs_level: null,
      pain_nrs: 6,
      note: null,
      created_at: now,
      created_by: by,
    })
    .execute();
  await db
    .insertInto('emergency_events')
    .values({
      id: randomUUID(),
      patient_id: patientId,
      pump_id: world.ids.get('pump') ?? null,
      kind: 'withdrawal',
      onset_at: now,
      signs: '[]',
      signs_note: null,
      actions_taken: 'Advised to attend the emergency department',
      advice_call_id: null,
      state: 'open',
      recorded_at: now,
      recorded_by: by,
      closed_at: null,
      closed_by: null,
      outcome: null,
      outcome_note: null,
    })
    .execute();
  await db
    .updateTable('patients')
    .set({ alerts: 'T4 spinal cord injury: autonomic dysreflexia risk' })
    .where('id', '=', patientId)
    .execute();
}

async function auditCount(t: TestApp, action: string, patientId?: string): Promise<number> {
  let q = t.database.handle.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('action', '=', action);
  if (patientId !== undefined) {
    q = q.where('patient_id', '=', patientId);
  }
  return Number((await q.executeTakeFirstOrThrow()).n);
}

for (const dialect of DIALECTS) {
  describe(`FHIR export service on ${dialect}`, () => {
    let t: TestApp;
    let world: SeededWorld;
    let actor: Actor;
    let patientId = '';
    let everything: Resource[] = [];

    before(async () => {
      t = await startTestApp(dialect);
      world = await seedWorld(t);
      await addTheRest(t, world);
      const consultant = world.users.get('consultant');
      assert.ok(consultant);
      actor = actorOf(consultant, null);
      patientId = world.ids.get('patient') ?? '';
      const bundle = await t.deps.services.fhir.everything(actor, patientId);
      assert.ok(bundle);
      assertValidR4(bundle);
      everything = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
    });
    after(async () => {
      await t.close();
    });

    it('gives a patient with every exported type, each valid R4 and UK Core', () => {
      assert.deepEqual(world.missing, []);
      const types = new Set(everything.map((r) => r.resourceType));
      assert.deepEqual(
        FHIR_EXPORT_TYPES.filter((type) => !types.has(type)),
        [],
      );
      assert.equal(everything[0]?.resourceType, 'Patient');
      everything.forEach(assertValidFhir);
      const ids = everything.map((r) => `${r.resourceType}/${r.id ?? ''}`);
      assert.equal(new Set(ids).size, ids.length, 'logical ids are unique within a type');
    });

    it('$everything by NHS number gives the same bundle, and nothing for an unknown patient', async () => {
      const byNhs = await t.deps.services.fhir.everything(actor, NHS);
      assert.deepEqual(
        byNhs?.entry?.map((e) => e.resource),
        everything,
      );
      assert.equal(await t.deps.services.fhir.everything(actor, NO_SUCH_ID), null);
      assert.equal(await t.deps.services.fhir.everything(actor, '9434765919'), null);
    });

    it('reads every resource back by type and id, each read audited with the patient', async () => {
      const before = await auditCount(t, 'fhir.read', patientId);
      for (const r of everything) {
        const read = await t.deps.services.fhir.read(actor, r.resourceType as FhirExportType, r.id ?? '');
        assert.deepEqual(read, r, `${r.resourceType}/${r.id ?? ''}`);
      }
      assert.equal(await auditCount(t, 'fhir.read', patientId), before + everything.length);
    });

    it('answers null for unknown or malformed ids, auditing nothing', async () => {
      const before = await auditCount(t, 'fhir.read');
      const pumpId = world.ids.get('pump') ?? '';
      const cases: [FhirExportType, string][] = [
        ['Patient', NO_SUCH_ID],
        ['Patient', 'not an id'],
        ['Patient', 'a'.repeat(65)],
        ['Device', `catheter-${NO_SUCH_ID}`],
        ['Procedure', `implant-${NO_SUCH_ID}`],
        ['Procedure', pumpId],
        ['Observation', `mas-${NO_SUCH_ID}`],
        ['Observation', NO_SUCH_ID],
        ['Flag', `alerts-${NO_SUCH_ID}`],
        ['MedicationRequest', patientId],
        ['Appointment', NO_SUCH_ID],
      ];
      for (const [type, id] of cases) {
        assert.equal(await t.deps.services.fhir.read(actor, type, id), null, `${type}/${id}`);
      }
      assert.equal(await auditCount(t, 'fhir.read'), before);
    });

    it('searches each type by NHS number (spaces allowed), every search audited', async () => {
      const before = await auditCount(t, 'fhir.search', patientId);
      for (const type of FHIR_EXPORT_TYPES) {
        const found = await t.deps.services.fhir.search(actor, type, { nhsNumber: '485 777 3457' });
        assert.deepEqual(
          found,
          everything.filter((r) => r.resourceType === type),
          type,
        );
      }
      assert.equal(await auditCount(t, 'fhir.search', patientId), before + FHIR_EXPORT_TYPES.length);
      assert.deepEqual(await t.deps.services.fhir.search(actor, 'Patient', { nhsNumber: '9434765919' }), []);
      assert.deepEqual(await t.deps.services.fhir.search(actor, 'Patient', { nhsNumber: '4857773456' }), []);
    });

    it('audits $everything once per call, naming the patient', async () => {
      const before = await auditCount(t, 'fhir.everything', patientId);
      await t.deps.services.fhir.everything(actor, patientId);
      assert.equal(await auditCount(t, 'fhir.everything', patientId), before + 1);
    });

    it('exports everything in pages, as many as it counted, with one audit row', async () => {
      const before = await auditCount(t, 'fhir.export');
      const total = await t.deps.services.fhir.countForExport();
      const progress: [number, number][] = [];
      const all: Resource[] = [];
      for await (const r of t.deps.services.fhir.exportAll(actor, {
        onProgress: (done, of) => progress.push([done, of]),
      })) {
        all.push(r);
      }
      assert.equal(all.length, total);
      assert.deepEqual(progress.at(-1), [total, total]);
      all.forEach(assertValidFhir);
      const key = (r: Resource) => `${r.resourceType}/${r.id ?? ''}`;
      const exported = new Set(all.map(key));
      assert.equal(exported.size, all.length);
      assert.deepEqual(
        everything.map(key).filter((k) => !exported.has(k)),
        [],
      );
      assert.equal(await auditCount(t, 'fhir.export'), before + 1);
    });

    it('exports only the types asked for', async () => {
      const types: FhirExportType[] = ['Observation', 'Device'];
      const all: Resource[] = [];
      for await (const r of t.deps.services.fhir.exportAll(actor, { types })) {
        all.push(r);
      }
      assert.equal(all.length, await t.deps.services.fhir.countForExport(types));
      assert.deepEqual([...new Set(all.map((r) => r.resourceType))], ['Device', 'Observation']);
    });
  });
}
