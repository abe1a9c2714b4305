import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from './audit-service.ts';
import { cancelMri, completeMriCheck, planMri, recordMriScan } from './mri-service.ts';
import { listPendingMriChecks, mriCheckCounts, pumpMri } from './mri-view-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { registerPump } from './pump-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import type { RefillServiceDeps } from './refill-common.ts';
import { addUser } from './user-service.ts';

/** Today is Wednesday 15 July 2026, 09:00 BST (08:00 UTC), unless a test moves the clock. */
const NOW = '2026-07-15T08:00:00.000Z';

const PUMP = {
  reservoirMl: 20,
  implantedOn: '2026-01-10',
  surgeon: 'Mr A Surgeon',
  alarmMl: 2,
  origin: 'spinal',
};
const SM_STEPS = ['cover', 'conditions', 'check-booked', 'patient-told'];
const PROM_STEPS = ['empty', 'conditions', 'cover', 'refill-booked'];
const CHECK_OK = {
  checkedAt: '2026-07-15T12:00:00Z',
  pumpRunning: true,
  rotorCheck: 'passed',
  logsReviewed: true,
  reservoirMl: 12,
};

for (const dialect of DIALECTS) {
  describe(`MRI workflow on ${dialect} (H-130 to H-137)`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let carla: Actor;
    let bea: Actor;
    let patientId = '';
    let serial = 0;

    const actor = async (username: string, role: Actor['role']): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: username,
        role: role as 'consultant',
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };
    const pump = async (modelId: string) => {
      serial += 1;
      const p = await registerPump(deps, nina, patientId, {
        ...PUMP,
        modelId,
        serialNumber: `MRI${String(serial)}X`,
      });
      const rx = await proposePrescription(deps, nina, p.id, {
        concentrationMcgPerMl: 500,
        phase: 'titration',
        reason: 'Test dose given at another centre',
        programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
      });
      await confirmPrescription(deps, carla, rx.id, {});
      return p;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: loadConfig({}) };
      nina = await actor('nina', 'nurse-specialist');
      carla = await actor('carla', 'consultant');
      bea = await actor('bea', 'booking-coordinator');
      patientId = (
        await createPatient({ db, clock, timeZone: 'Europe/London' }, nina, {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
        })
      ).id;
    });
    after(async () => {
      await database.dispose();
    });

    it('SynchroMed: plan, scan, a check due by local midnight, overdue after it, then done once', async () => {
      clock.set(NOW);
      const p = await pump('synchromed-ii');
      const plan = await planMri(deps, nina, p.id, {
        plannedOn: '2026-07-15',
        scanner: 'MRI 2, Leeds General',
        fieldStrengthTesla: 1.5,
        confirmedSteps: SM_STEPS,
      });
      assert.equal(plan.planKind, 'interrogate-after');
      assert.equal(plan.state, 'planned');
      // A second plan while one is open: 409.
      await rejects(
        planMri(deps, nina, p.id, { plannedOn: '2026-07-16', confirmedSteps: SM_STEPS }),
        'INVALID_STATE',
      );
      // The check cannot come before the scan.
      await rejects(completeMriCheck(deps, nina, plan.id, CHECK_OK), 'INVALID_STATE');

      clock.set('2026-07-15T11:00:00.000Z');
      // Scan before the planned day (UK date): 400.
      await rejects(
        recordMriScan(deps, nina, plan.id, { scannedAt: '2026-07-14T22:30:00Z' }),
        'VALIDATION_FAILED',
        'scannedAt',
      );
      const scanned = await recordMriScan(deps, nina, plan.id, { scannedAt: '2026-07-15T10:00:00Z' });
      // BST: the end of 15 July in London is 23:00 UTC.
      assert.equal(scanned.checkDueAt, '2026-07-15T23:00:00.000Z');
      await rejects(
        recordMriScan(deps, nina, plan.id, { scannedAt: '2026-07-15T10:00:00Z' }),
        'INVALID_STATE',
      );
      // The scan is in the pump's events, as MRI scans always were.
      const events = (await pumpOverview(deps, nina, p.id)).events;
      assert.ok(events.some((e) => e.kind === 'mri' && e.occurredOn === '2026-07-15'));

      assert.deepEqual(await mriCheckCounts(deps), { pending: 1, overdue: 0 });
      clock.set('2026-07-15T23:00:00.000Z');
      assert.deepEqual(await mriCheckCounts(deps), { pending: 1, overdue: 1 });
      const pending = await listPendingMriChecks(deps, bea);
      const [first, ...rest] = pending;
      assert.deepEqual(rest, []);
      assert.ok(first);
      assert.equal(first.overdue, true);
      assert.equal(first.patientName, 'SMITH, Ann');

      // Before the scan time: 400. A booking coordinator cannot record it.
      await rejects(
        completeMriCheck(deps, nina, plan.id, { ...CHECK_OK, checkedAt: '2026-07-15T09:59:00Z' }),
        'VALIDATION_FAILED',
        'checkedAt',
      );
      await rejects(completeMriCheck(deps, bea, plan.id, CHECK_OK), 'FORBIDDEN');
      const checked = await completeMriCheck(deps, nina, plan.id, CHECK_OK);
      assert.equal(checked.state, 'checked');
      assert.equal(checked.rotorCheck, 'passed');
      assert.equal(checked.reservoirMl, 12);
      const twice = await rejects(completeMriCheck(deps, nina, plan.id, CHECK_OK), 'INVALID_STATE');
      assert.equal(twice.reason, 'MRI_CHECK_DONE');
      assert.deepEqual(await mriCheckCounts(deps), { pending: 0, overdue: 0 });

      const view = await pumpMri(deps, nina, p.id);
      assert.equal(view.open, null);
      assert.equal(view.history.length, 1);
      const audit = await database.handle.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'like', 'mri.%')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['mri.plan', 'mri.scan', 'mri.list', 'mri.check'],
      );
    });

    it('Prometra: the check waits for a refill recorded after the scan', async () => {
      clock.set(NOW);
      const p = await pump('prometra-ii');
      // 3 T is outside its labelling, and every step must be confirmed.
      await rejects(
        planMri(deps, nina, p.id, {
          plannedOn: '2026-07-15',
          fieldStrengthTesla: 3,
          confirmedSteps: PROM_STEPS,
        }),
        'VALIDATION_FAILED',
        'fieldStrengthTesla',
      );
      await rejects(
        planMri(deps, nina, p.id, { plannedOn: '2026-07-15', confirmedSteps: PROM_STEPS.slice(1) }),
        'VALIDATION_FAILED',
        'confirmedSteps',
      );
      const plan = await planMri(deps, nina, p.id, {
        plannedOn: '2026-07-15',
        fieldStrengthTesla: '1.5',
        confirmedSteps: PROM_STEPS,
      });
      assert.equal(plan.planKind, 'empty-before');
      clock.set('2026-07-15T11:00:00.000Z');
      await recordMriScan(deps, nina, plan.id, { scannedAt: '2026-07-15T10:00:00Z' });
      const check = { checkedAt: '2026-07-15T10:50:00Z', pumpRunning: true, reservoirMl: 20 };
      const refused = await rejects(completeMriCheck(deps, nina, plan.id, check), 'INVALID_STATE');
      assert.equal(refused.reason, 'MRI_REFILL_NOT_RECORDED');
      const refill = await recordRefill(deps, nina, p.id, {
        performedOn: '2026-07-15',
        expectedResidualMl: '0',
        withdrawnMl: '0',
        concentrationMcgPerMl: '500',
        batch: 'LB2026-117',
        expiresOn: '2027-06-30',
        instilledMl: '20',
        alarmMl: '2',
        complications: [],
      });
      const done = await completeMriCheck(deps, nina, plan.id, check);
      assert.equal(done.refillId, refill.id);
      assert.equal(done.rotorCheck, null);
    });

    it('a cancelled plan frees the pump for a new one; a scanned one cannot be cancelled', async () => {
      clock.set(NOW);
      const p = await pump('synchromed-ii');
      const plan = await planMri(deps, nina, p.id, { plannedOn: '2026-07-20', confirmedSteps: SM_STEPS });
      await rejects(cancelMri(deps, nina, plan.id, { reason: '' }), 'VALIDATION_FAILED', 'reason');
      await cancelMri(deps, nina, plan.id, { reason: 'Scan postponed by radiology' });
      const again = await planMri(deps, nina, p.id, { plannedOn: '2026-07-15', confirmedSteps: SM_STEPS });
      await recordMriScan(deps, nina, again.id, { scannedAt: '2026-07-15T07:30:00Z' });
      const r = await rejects(cancelMri(deps, nina, again.id, { reason: 'Too late' }), 'INVALID_STATE');
      assert.equal(r.reason, 'MRI_NOT_PLANNED');
      assert.ok((await countRows(database.handle.db, 'mri_scans')) >= 2);
    });

    it('two plans at the same moment: one wins, the other is a 409', async () => {
      clock.set(NOW);
      const p = await pump('synchromed-ii');
      const input = { plannedOn: '2026-07-20', confirmedSteps: SM_STEPS };
      const results = await Promise.allSettled([
        planMri(deps, nina, p.id, input),
        planMri(deps, carla, p.id, input),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      assert.equal((lost?.reason as { code?: string } | undefined)?.code, 'INVALID_STATE');
    });
  });
}
