import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { EXPLANT_PLAN } from '../../test/support/bridging-plan-fixtures.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import {
  addActor,
  addPatient,
  ANN_SMITH,
  auditCount,
  BOB_JONES,
  SYNCHROMED_II,
} from '../../test/support/service-setup.ts';
import { loadConfig } from '../config.ts';
import { type Actor } from './audit-service.ts';
import { recordBridgingPlan } from './bridging-plan-service.ts';
import { patientRegister, pumpRegister, serviceRegister } from './complication-register-service.ts';
import {
  complicationPage,
  recordComplication,
  updateComplication,
  viewComplication,
  type ComplicationServiceDeps,
} from './complication-service.ts';
import { confirmEndRequest } from './pump-end-decisions.ts';
import { requestPumpEnd } from './pump-end-requests.ts';
import { registerPump } from './pump-service.ts';
import type { RefillServiceDeps } from './refill-common.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/** Today is Friday 20 November 2026 (GMT). */
const NOW = '2026-11-20T10:00:00.000Z';

const PUMP = { ...SYNCHROMED_II, catheterModel: '8709SC', catheterTipLevel: 'T10' };

for (const dialect of DIALECTS) {
  describe(`the complications register on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps & ComplicationServiceDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let carla: Actor;
    let bea: Actor;
    let pat: Actor;
    let patientId = '';
    let otherPatientId = '';
    let serial = 0;

    const newPump = async (forPatient = patientId) => {
      serial += 1;
      return registerPump(deps, nina, forPatient, { ...PUMP, serialNumber: `CMP${String(serial)}H` });
    };
    const audited = (action: string) => auditCount(deps.db, action);

    before(async () => {
      database = await openTestDatabase(dialect);
      deps = { db: database.handle.db, clock, config: loadConfig({}) };
      nina = await addActor(deps, 'nina', 'nurse-specialist');
      carla = await addActor(deps, 'carla', 'consultant');
      bea = await addActor(deps, 'bea', 'booking-coordinator');
      pat = await addActor(deps, 'pat', 'physiotherapist');
      patientId = await addPatient(deps, nina, ANN_SMITH);
      otherPatientId = await addPatient(deps, nina, BOB_JONES);
    });
    after(async () => {
      await database.dispose();
    });

    it('records a catheter kink against the patient’s own pump, keeping the catheter as registered, audited', async () => {
      const pump = await newPump();
      const before = await audited('complication.record');
      const entry = await recordComplication(deps, nina, patientId, {
        kind: 'catheter-kink',
        onsetOn: '2026-11-01',
        pumpId: pump.id,
        device: 'catheter',
        actions: 'X-ray: kink at the pocket exit',
        outcome: 'ongoing',
      });
      assert.equal(entry.catheterModel, '8709SC');
      assert.equal(entry.catheterTipLevel, 'T10');
      assert.equal(await audited('complication.record'), before + 1);

      const theirs = await newPump(otherPatientId);
      const rows = await countRows(deps.db, 'complications');
      const err = await rejects(
        recordComplication(deps, nina, patientId, {
          kind: 'catheter-kink',
          onsetOn: '2026-11-01',
          pumpId: theirs.id,
          device: 'catheter',
          outcome: 'ongoing',
        }),
        'VALIDATION_FAILED',
        'pumpId',
      );
      assert.match(err.fieldErrors[0]?.message ?? '', /this patient’s pumps/);
      await rejects(
        recordComplication(deps, bea, patientId, {
          kind: 'csf-leak',
          onsetOn: '2026-11-01',
          outcome: 'ongoing',
        }),
        'FORBIDDEN',
      );
      await rejects(
        recordComplication(deps, pat, patientId, {
          kind: 'csf-leak',
          onsetOn: '2026-11-01',
          outcome: 'ongoing',
        }),
        'FORBIDDEN',
      );
      await rejects(recordComplication(deps, nina, 'no-such-patient', {}), 'NOT_FOUND');
      assert.equal(await countRows(deps.db, 'complications'), rows, 'nothing half-written');
    });

    it('an update needs the version read; the outcome is never silently overwritten (H-143)', async () => {
      const pump = await newPump();
      const body = {
        kind: 'pocket-fill',
        onsetOn: '2026-10-01',
        pumpId: pump.id,
        device: 'pump',
        outcome: 'ongoing',
      };
      const entry = await recordComplication(deps, nina, patientId, body);
      const resolved = await updateComplication(deps, carla, entry.id, {
        ...body,
        outcome: 'resolved',
        resolvedOn: '2026-10-20',
        version: 1,
      });
      assert.equal(resolved.version, 2);
      await rejects(updateComplication(deps, nina, entry.id, { ...body, version: 1 }), 'STALE_EDIT');
      const { complication } = await viewComplication(deps, pat, entry.id);
      assert.equal(complication.outcome, 'resolved');
      assert.equal(complication.resolvedOn, '2026-10-20');
      await rejects(updateComplication(deps, nina, 'nope', { ...body, version: 1 }), 'NOT_FOUND');
    });

    it('refuses to confirm an explant with no explant bridging plan, then confirms it once one is recorded (H-140)', async () => {
      const pump = await newPump();
      const request = await requestPumpEnd(deps, nina, pump.id, {
        kind: 'explant',
        endedOn: '2026-11-19',
        reason: 'Pocket infection: pump removed',
      });
      const refused = await rejects(confirmEndRequest(deps, carla, request.id, {}), 'INVALID_STATE');
      assert.equal(refused.reason, 'BRIDGING_PLAN_REQUIRED');
      assert.equal(refused.fieldErrors[0]?.field, 'bridgingPlan');
      let register = await pumpRegister(deps, nina, pump.id);
      assert.equal(register.pump.state, 'implanted', 'nothing changed');
      const decided = await deps.db
        .selectFrom('pump_end_requests')
        .select('state')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.equal(decided.state, 'pending');

      // A revision's plan is not the explant's.
      await recordBridgingPlan(deps, nina, pump.id, { ...EXPLANT_PLAN, purpose: 'revision' });
      await rejects(confirmEndRequest(deps, carla, request.id, {}), 'INVALID_STATE');
      await rejects(recordBridgingPlan(deps, bea, pump.id, EXPLANT_PLAN), 'FORBIDDEN');
      const before = await audited('bridging-plan.record');
      await recordBridgingPlan(deps, nina, pump.id, EXPLANT_PLAN);
      assert.equal(await audited('bridging-plan.record'), before + 1);
      const done = await confirmEndRequest(deps, carla, request.id, {});
      assert.equal(done.pump.state, 'explanted');
      register = await pumpRegister(deps, nina, pump.id);
      assert.deepEqual(register.plans.map((p) => p.purpose).sort(), ['explant', 'revision']);
    });

    it('reads an entry’s page (patient, pumps, its own plans) with one audit row', async () => {
      const pump = await newPump();
      const entry = await recordComplication(deps, nina, patientId, {
        kind: 'pocket-fill',
        onsetOn: '2026-11-03',
        pumpId: pump.id,
        device: 'pump',
        outcome: 'ongoing',
      });
      const plan = { ...EXPLANT_PLAN, purpose: 'revision' } as const;
      await recordBridgingPlan(deps, nina, pump.id, { ...plan, complicationId: entry.id });
      await recordBridgingPlan(deps, nina, pump.id, { ...plan, complicationId: null });
      const rows = await countRows(deps.db, 'audit_events');
      const page = await complicationPage(deps, pat, entry.id);
      assert.equal(await countRows(deps.db, 'audit_events'), rows + 1, 'one audit row');
      assert.equal(page.patient.id, patientId);
      assert.equal(page.complication.id, entry.id);
      assert.ok(page.pumps.some((p) => p.id === pump.id));
      assert.deepEqual(
        page.plans.map((p) => p.complicationId),
        [entry.id],
      );
      await rejects(complicationPage(deps, pat, 'nope'), 'NOT_FOUND');
    });

    it('death and transfer of care need no bridging plan', async () => {
      for (const kind of ['death', 'transfer'] as const) {
        const pump = await newPump();
        const r = await requestPumpEnd(deps, nina, pump.id, { kind, endedOn: '2026-11-19', reason: kind });
        assert.equal(
          (await confirmEndRequest(deps, carla, r.id, {})).pump.state,
          kind === 'death' ? 'deceased' : 'transferred',
        );
      }
    });

    it('lists the patient’s register (audited) and the service-wide register by kind and date', async () => {
      await recordComplication(deps, nina, patientId, {
        kind: 'meningitis',
        onsetOn: '2026-09-15',
        organism: 'Streptococcus pneumoniae',
        outcome: 'resolved',
        resolvedOn: '2026-10-01',
      });
      const before = await audited('complication.list');
      const mine = await patientRegister(deps, pat, patientId);
      assert.equal(await audited('complication.list'), before + 1);
      assert.ok(mine.complications.length >= 3);
      assert.deepEqual(
        mine.complications.map((c) => c.onsetOn),
        [...mine.complications.map((c) => c.onsetOn)].sort().reverse(),
        'newest onset first',
      );
      const meningitis = await serviceRegister(deps, pat, { kind: 'meningitis' });
      assert.deepEqual(
        meningitis.rows.map((r) => r.organism),
        ['Streptococcus pneumoniae'],
      );
      assert.equal(meningitis.rows[0]?.patient?.name, 'SMITH, Ann');
      const september = await serviceRegister(deps, pat, { from: '2026-09-01', to: '2026-09-30' });
      assert.deepEqual(
        september.rows.map((r) => r.kind),
        ['meningitis'],
      );
      assert.equal(september.truncated, false);
      await rejects(
        serviceRegister(deps, pat, { from: '2026-10-01', to: '2026-09-01' }),
        'VALIDATION_FAILED',
        'to',
      );
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
