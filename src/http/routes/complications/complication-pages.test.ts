import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf, type Actor } from '../../../services/audit-service.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */

const dateBoxes = (name: string, date: string): Record<string, string> => {
  const [y = '', m = '', d = ''] = date.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y };
};

describe('complications register pages', () => {
  let t: TestApp;
  let nina: Actor;
  let patientId = '';
  let pumpId = '';
  const as = async (username: string) => {
    const b = new Browser(t);
    assert.equal((await b.signIn(username)).statusCode, 303, `sign in ${username}`);
    return b;
  };

  before(async () => {
    t = await startTestApp('sqlite');
    const user = await addTestUser(t, 'nurse-specialist', 'nina');
    nina = actorOf(user, null);
    await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'physiotherapist', 'pat');
    patientId = (await registerAnn(t, user)).id;
    pumpId = (
      await t.deps.services.pumps.register(nina, patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP555001H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
  });
  after(async () => {
    await t.close();
  });

  it('the form shows each problem beside its field and keeps what was typed; saved, the entry is shown', async () => {
    const b = await as('nina');
    const form = `/patients/${patientId}/complications/new`;
    assert.equal((await b.get(form)).statusCode, 200);
    const bad = await b.post(
      `/patients/${patientId}/complications`,
      { kind: 'csf-leak', ...dateBoxes('onsetOn', '2026-11-25'), organism: 'E. coli', outcome: 'ongoing' },
      form,
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /href="#onsetOn-day"[^>]*>\s*Date of onset must be today or in the past/);
    assert.match(bad.body, /href="#organism"[^>]*>\s*An organism is recorded for an infection only/);
    assert.match(bad.body, /value="E. coli"/);
    const missing = await b.post(`/patients/${patientId}/complications`, { kind: 'csf-leak' }, form);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Enter the date of onset/);

    const saved = await b.post(
      `/patients/${patientId}/complications`,
      { kind: 'csf-leak', ...dateBoxes('onsetOn', '2026-11-20'), outcome: 'ongoing', pumpId: '' },
      form,
    );
    assert.equal(saved.statusCode, 303);
    const shown = await b.get(saved.headers.location as string);
    assert.match(shown.body, /Complication recorded in the register/);
    assert.match(shown.body, /CSF leak/);
    const register = await b.get(`/patients/${patientId}/complications`);
    assert.match(register.body, /CSF leak<\/a>/);
  });

  it('an edit from an old copy is refused above the form, nothing changed', async () => {
    const entry = await t.deps.services.complications.record(nina, patientId, {
      kind: 'pocket-fill',
      onsetOn: '2026-11-01',
      pumpId,
      device: 'pump',
      outcome: 'ongoing',
    });
    const b = await as('carl');
    const edit = `/complications/${entry.id}/edit`;
    const audits = async () =>
      t.database.handle.db
        .selectFrom('audit_events')
        .select(['action', 'entity_id'])
        .orderBy('seq')
        .execute();
    const before = (await audits()).length;
    const page = await b.get(edit);
    assert.match(page.body, /name="version" value="1"/);
    assert.deepEqual(
      (await audits()).slice(before).map((a) => [a.action, a.entity_id]),
      [['complication.view', entry.id]],
      'the form reads the record once, with one audit row',
    );
    const fields = {
      kind: 'pocket-fill',
      ...dateBoxes('onsetOn', '2026-11-01'),
      pumpId,
      device: 'pump',
      outcome: 'resolved',
      ...dateBoxes('resolvedOn', '2026-11-10'),
      version: '1',
    };
    assert.equal((await b.post(`/complications/${entry.id}`, fields, edit)).statusCode, 303);
    const stale = await b.post(`/complications/${entry.id}`, { ...fields, actions: 'Aspirated' }, edit);
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Nothing was saved/);
    assert.match(stale.body, /Someone else changed this complication/);
  });

  it('an entry’s page is one audited read: its plans shown, one complication.view row', async () => {
    const svc = t.deps.services.complications;
    const entry = await svc.record(nina, patientId, {
      kind: 'pocket-fill',
      onsetOn: '2026-11-02',
      pumpId,
      device: 'pump',
      outcome: 'ongoing',
    });
    const plan = {
      purpose: 'revision',
      kind: 'oral-cover',
      drug: 'Oral baclofen',
      frequency: 'Three times a day',
      startOn: '2026-11-02',
      reviewOn: '2026-11-09',
      responsible: 'Dr C Consultant',
    };
    await svc.recordBridgingPlan(nina, pumpId, { ...plan, dose: '15 mg', complicationId: entry.id });
    await svc.recordBridgingPlan(nina, pumpId, { ...plan, dose: '35 mg', complicationId: null });
    const b = await as('pat');
    const audits = async () =>
      t.database.handle.db
        .selectFrom('audit_events')
        .select(['action', 'entity_id'])
        .orderBy('seq')
        .execute();
    const before = (await audits()).length;
    const page = await b.get(`/complications/${entry.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Bridging plans for this complication/);
    assert.match(page.body, /15 mg/);
    assert.doesNotMatch(page.body, /35 mg/, 'a plan not linked to this entry is not listed');
    assert.deepEqual(
      (await audits()).slice(before).map((a) => [a.action, a.entity_id]),
      [['complication.view', entry.id]],
    );
  });

  it('reading needs patient:read, recording pump:manage', async () => {
    const pat = await as('pat');
    assert.equal((await pat.get(`/patients/${patientId}/complications`)).statusCode, 200);
    assert.equal((await pat.get('/complications')).statusCode, 200);
    assert.doesNotMatch(
      (await pat.get(`/patients/${patientId}/complications`)).body,
      /Record a complication/,
    );
    assert.equal((await pat.get(`/patients/${patientId}/complications/new`)).statusCode, 403);
    assert.equal((await pat.get(`/pumps/${pumpId}/bridging-plans/new`)).statusCode, 403);
  });

  it('the service register says which filter is wrong', async () => {
    const b = await as('pat');
    const bad = await b.get('/complications?kind=sprain');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#kind"[^>]*>\s*Choose a kind of complication from the list/);
    const later = await b.get('/complications?from=2026-11-30&to=2026-11-01');
    assert.equal(later.statusCode, 400);
    assert.match(later.body, /To date must be on or after the from date/);
    const none = await b.get('/complications?kind=meningitis');
    assert.match(none.body, /No complication matches the filter/);
  });

  it('the pump page says an explant waits for its bridging plan and links to the form; the refusal says why', async () => {
    const other = (
      await t.deps.services.pumps.register(nina, patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP555002H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
    const request = await t.deps.services.pumps.requestEnd(nina, other, {
      kind: 'explant',
      endedOn: '2026-11-24',
      reason: 'Removed',
    });
    const carl = await as('carl');
    const page = `/pumps/${other}`;
    const shown = (await carl.get(page)).body;
    assert.match(shown, /Bridging plan needed before this explant is confirmed/);
    assert.match(shown, new RegExp(`href="/pumps/${other}/bridging-plans/new\\?purpose=explant"`));
    const refused = await carl.post(`/pump-end-requests/${request.id}/confirm`, {}, page);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Nothing was saved/);
    assert.match(refused.body, /Record a bridging plan for this explant first/);

    const planForm = `/pumps/${other}/bridging-plans/new?purpose=explant`;
    assert.match((await carl.get(planForm)).body, /value="explant" checked/);
    const missing = await carl.post(`/pumps/${other}/bridging-plans`, { purpose: 'explant' }, planForm);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Enter the start date/);
    const plan = await carl.post(
      `/pumps/${other}/bridging-plans`,
      {
        purpose: 'explant',
        kind: 'taper',
        drug: 'Intrathecal baclofen',
        dose: '10% less every two days',
        frequency: 'Reprogrammed at each step',
        ...dateBoxes('startOn', '2026-11-24'),
        ...dateBoxes('reviewOn', '2026-11-30'),
        responsible: 'Dr C Consultant',
      },
      planForm,
    );
    assert.equal(plan.statusCode, 303);
    assert.equal(plan.headers.location, `/pumps/${other}?done=plan-recorded`);
    const after = (await carl.get(`${page}?done=plan-recorded`)).body;
    assert.match(after, /Bridging plan recorded/);
    assert.match(after, /Planned taper of the intrathecal dose/);
    assert.equal((await carl.post(`/pump-end-requests/${request.id}/confirm`, {}, page)).statusCode, 303);
  });
});
