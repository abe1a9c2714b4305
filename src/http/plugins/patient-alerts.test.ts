import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { NON_PATIENT_FAMILIES, PATIENT_RECORD_FAMILIES, patientRecordOf } from './patient-alerts.ts';
import { isApiPath } from './auth.ts';

describe('which record a page belongs to', () => {
  const cases: readonly [string, Record<string, string>, { kind: string; id: string } | null][] = [
    ['/patients/:id', { id: 'p1' }, { kind: 'patient', id: 'p1' }],
    ['/patients/:patientId/measures', { patientId: 'p1' }, { kind: 'patient', id: 'p1' }],
    ['/pumps/:pumpId/refills/new', { pumpId: 'u1' }, { kind: 'pump', id: 'u1' }],
    ['/refills/:refillId', { refillId: 'r1' }, { kind: 'refill', id: 'r1' }],
    ['/test-doses/:id/boluses/new', { id: 't1' }, { kind: 'test-dose', id: 't1' }],
    ['/appointments/:id/outcome', { id: 'a1' }, { kind: 'appointment', id: 'a1' }],
    ['/emergency-events/:eventId', { eventId: 'e1' }, { kind: 'emergency-event', id: 'e1' }],
    ['/life-events/:id/letter', { id: 'l1' }, { kind: 'life-event', id: 'l1' }],
    ['/mri-scans/:id/check', { id: 'm1' }, { kind: 'mri-scan', id: 'm1' }],
    ['/complications/:id/edit', { id: 'c1' }, { kind: 'complication', id: 'c1' }],
    ['/patients/new', {}, null],
    ['/patients', {}, null],
    ['/worklist', {}, null],
    ['/intake/:id', { id: 'i1' }, null],
    ['/admin/users/:id', { id: 'u1' }, null],
  ];
  for (const [url, params, expected] of cases) {
    it(`${url} → ${expected ? `${expected.kind} ${expected.id}` : 'no patient'}`, () => {
      assert.deepEqual(patientRecordOf(url, params), expected);
    });
  }
});

/**
 * Hazard H-110: an open emergency unseen on a page of the patient's record. Every page route that
 * names a record must be under a family the banner hook knows, or one listed as belonging to no
 * patient, so a new kind of patient page cannot be added without its banner.
 */
describe('every page route naming a record is covered by the emergency banner', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('each family with an id is a patient record family or listed as belonging to no patient', () => {
    // The APIs (/api/v1 and the FHIR endpoint) are JSON, not pages: they show no banner.
    const pages = t.app.routeTable.filter((r) => !isApiPath(r.url) && r.url.includes('/:'));
    assert.ok(pages.length > 40, `only ${pages.length} page routes with ids`);
    const unknown = pages
      .map((r) => r.url.split('/')[1] ?? '')
      .filter((family) => !(family in PATIENT_RECORD_FAMILIES) && !NON_PATIENT_FAMILIES.has(family));
    assert.deepEqual([...new Set(unknown)], []);
  });
});
