import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { confirmPrescription, proposePrescription } from '../../../services/prescription-service.ts';
import { registerPump } from '../../../services/pump-service.ts';
import { serviceContext } from '../../../services/registry/bind.ts';

/**
 * Recording a refill is audited as the refill recorded (refill.record), not as a view of the
 * pump: posting the form, whether it is stored or shown again with its mistakes, reads only what
 * the form needs and writes no pump.view row. Opening the empty form is a view of the pump and
 * is audited as one.
 */
const FORM = {
  'performedOn-day': '24',
  'performedOn-month': '11',
  'performedOn-year': '2026',
  expectedResidualMl: '6.0',
  withdrawnMl: '6.0',
  drug: 'baclofen',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-500',
  'expiresOn-day': '30',
  'expiresOn-month': '6',
  'expiresOn-year': '2027',
  instilledMl: '20',
  alarmMl: '2',
  changeProgramme: 'no',
  'np-mode': 'simple',
  'np-doseMcgPerDay': '200',
  'np-phase': 'maintenance',
  complicationNote: '',
  patientNote: '',
};

for (const dialect of DIALECTS) {
  describe(`recording a refill on ${dialect} is not a view of the pump`, () => {
    let t: TestApp;
    let pumpId = '';

    /** The audit rows of an action on this pump. */
    const audited = async (action: string): Promise<number> => {
      const rows = await t.deps.database.db
        .selectFrom('audit_events')
        .select('seq')
        .where('action', '=', action)
        .where('entity_id', '=', pumpId)
        .execute();
      return rows.length;
    };
    /** Nina's browser on the empty form, and the form's CSRF token. */
    const openForm = async () => {
      const b = new Browser(t);
      assert.equal((await b.signIn('nina')).statusCode, 303);
      const form = await b.get(`/pumps/${pumpId}/refills/new`);
      assert.equal(form.statusCode, 200);
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      return { b, token };
    };

    before(async () => {
      t = await startTestApp(dialect);
      const nina = await addTestUser(t, 'nurse-specialist', 'nina');
      const carl = await addTestUser(t, 'consultant', 'carl');
      const ctx = serviceContext(t.deps.database, t.clock, t.deps.config);
      const patient = await registerAnn(t, nina);
      pumpId = (
        await registerPump(ctx, actorOf(nina, null), patient.id, {
          modelId: 'synchromed-ii',
          reservoirMl: 20,
          serialNumber: 'NGP556001H',
          implantedOn: '2026-09-01',
          surgeon: 'Mr A Khan',
          alarmMl: 2,
          origin: 'spinal',
        })
      ).id;
      const p = await proposePrescription(ctx, actorOf(carl, null), pumpId, {
        reason: 'Starting dose from a test dose given at another centre',
        concentrationMcgPerMl: 500,
        phase: 'titration',
        programme: { mode: 'simple', doseMcgPerDay: 200, schedules: [], bolus: null },
      });
      await confirmPrescription(ctx, actorOf(nina, null), p.id, {});
    });
    after(async () => {
      await t.close();
    });

    it('opening the form is one audited view of the pump', async () => {
      const before = await audited('pump.view');
      await openForm();
      assert.equal(await audited('pump.view'), before + 1);
    });

    it('a refill refused for its mistakes writes no pump.view', async () => {
      const { b, token } = await openForm();
      const views = await audited('pump.view');
      const res = await b.postRaw(`/pumps/${pumpId}/refills`, { _csrf: token, ...FORM, withdrawnMl: '25' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /more than the reservoir holds/);
      // Shown again from the same read: the pump and the prescription it was filled in from.
      assert.match(res.body, /NGP556001H/);
      assert.match(res.body, /name="withdrawnMl"[^>]*value="25"/);
      assert.equal(await audited('pump.view'), views);
    });

    it('a refill recorded writes its refill.record and no pump.view', async () => {
      const { b, token } = await openForm();
      const views = await audited('pump.view');
      const res = await b.postRaw(`/pumps/${pumpId}/refills`, { _csrf: token, ...FORM });
      assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      assert.equal(await audited('pump.view'), views);
      const recorded = await t.deps.database.db
        .selectFrom('audit_events')
        .select('seq')
        .where('action', '=', 'refill.record')
        .execute();
      assert.equal(recorded.length, 1);
    });
  });
}
