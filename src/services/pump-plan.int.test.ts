import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription, rejectPrescription } from './prescription-service.ts';
import { registerPump } from './pump-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { signRefill } from './refill-sign-service.ts';
import { addUser } from './user-service.ts';

/**
 * The pump's dates while a change waits for its second check. The change may already be in the
 * pump (it is programmed on or after the day it is proposed), so a change that uses more drug
 * brings the alarm and due dates forward at once; a rejected change puts them back; a confirmed
 * one counts from the day the pump was programmed.
 */

const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  implantedOn: '2026-09-01',
  surgeon: 'Mr A Surgeon',
  alarmMl: 2,
  origin: 'spinal',
};

const simple = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  reason: 'Worked example',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

/** 20 mL instilled at 150 mcg/day of 500 mcg/mL: 0.3 mL/day. */
const REFILL = {
  performedOn: '2026-11-02',
  expectedResidualMl: '4.0',
  withdrawnMl: '4.0',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
};

for (const dialect of DIALECTS) {
  describe(`a change waiting for its check brings the dates forward on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock('2026-11-02T10:00:00.000Z');
    let nina: Actor;
    let carla: Actor;
    let patientId = '';
    let serial = 0;

    const actor = async (username: string, role: 'consultant' | 'nurse-specialist'): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: username,
        role,
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };
    /** A pump filled on 2 November at 150 mcg/day: (20 − 2) ÷ 0.3 = 60 days → alarm 1 January, due 25 December. */
    const filledPump = async () => {
      clock.set('2026-11-02T10:00:00.000Z');
      serial += 1;
      const pump = await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: `PLAN${String(serial)}`,
      });
      const p = await proposePrescription(deps, nina, pump.id, simple(150));
      await confirmPrescription(deps, carla, p.id, {});
      const r = await recordRefill(deps, nina, pump.id, REFILL);
      await signRefill(deps, carla, r.id, { version: r.version });
      const o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.alarmOn, '2027-01-01');
      assert.equal(o.pump.refillDueBy, '2026-12-25');
      return pump;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      deps = { db: database.handle.db, clock, config: loadConfig({}) };
      nina = await actor('nina', 'nurse-specialist');
      carla = await actor('carla', 'consultant');
      patientId = (
        await createPatient({ db: deps.db, clock, timeZone: 'Europe/London' }, nina, {
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

    it('a rise proposed on day 10 counts from day 10 until checked; rejected, the dates go back', async () => {
      const pump = await filledPump();
      clock.set('2026-11-12T10:00:00.000Z');
      // 150 → 180 mcg/day (+20 %): 0.36 mL/day from 12 November, charged from that day.
      // 2–11 November: 10 days × 0.3 = 3.0 mL, leaving 18 − 3 = 15 mL above the alarm volume;
      // then 15 ÷ 0.36 = 41.67 days → 10 + 41.67 = 51.67 days from the fill → alarm on day 51,
      // 23 December; due 7 days before, 16 December.
      const p = await proposePrescription(deps, nina, pump.id, simple(180));
      let o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.alarmOn, '2026-12-23');
      assert.equal(o.pump.refillDueBy, '2026-12-16');
      await rejectPrescription(deps, carla, p.id, { note: 'Not today' });
      o = await pumpOverview(deps, nina, pump.id);
      assert.equal(o.pump.alarmOn, '2027-01-01', 'back to the confirmed programme');
      assert.equal(o.pump.refillDueBy, '2026-12-25');
    });

    it('a cut waiting for its check never puts the dates later; confirmed, it counts from programming', async () => {
      const pump = await filledPump();
      clock.set('2026-11-12T10:00:00.000Z');
      const p = await proposePrescription(deps, nina, pump.id, simple(120));
      let o = await pumpOverview(deps, nina, pump.id);
      // Until the pump is known to run at 120, the sooner plan (150 mcg/day) stands.
      assert.equal(o.pump.alarmOn, '2027-01-01');
      clock.set('2026-11-14T10:00:00.000Z');
      await confirmPrescription(deps, carla, p.id, { programmedOn: '2026-11-12' });
      o = await pumpOverview(deps, nina, pump.id);
      // 10 days at 0.3 = 3.0 mL; the change day (12 Nov) at the higher 0.3: 15 − 0.3 = 14.7 mL
      // above the alarm; then 0.24 mL/day: 14.7 ÷ 0.24 = 61.25 days → 11 + 61.25 = 72.25 days from
      // the fill → alarm on day 72, 13 January 2027; due 6 January.
      assert.equal(o.pump.alarmOn, '2027-01-13');
      assert.equal(o.pump.refillDueBy, '2027-01-06');
    });
  });
}
