import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { bookPumpAppointment, recordReviewHeld } from './pump-appointment-service.ts';
import { pumpOverview } from './pump-overview.ts';
import type { PumpServiceDeps } from './pump-store.ts';
import { registerPump } from './pump-service.ts';
import { addUser } from './user-service.ts';
import { refillWorklist } from './worklist-service.ts';

/**
 * Reviews recorded as held, on both databases. Today is Tuesday 24 November 2026; the pumps are
 * implanted on 1 June 2026, so the 2-week review was due on 15 June (162 days ago) and the
 * 6-week review on 13 July (134 days ago).
 */
const NOW = '2026-11-24T10:00:00.000Z';

for (const dialect of DIALECTS) {
  describe(`reviews recorded as held on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: PumpServiceDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let bea: Actor;
    let patientId = '';
    let serial = 0;

    const newPump = async () => {
      serial += 1;
      return registerPump(deps, nina, patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: `NGP${String(serial)}R`,
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Surgeon',
        alarmMl: 2,
        origin: 'spinal',
      });
    };
    const entry = async (pumpId: string) =>
      (await refillWorklist(deps)).entries.find((e) => e.pumpId === pumpId);

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: loadConfig({}) };
      const actor = async (username: string, role: Actor['role']): Promise<Actor> => {
        const u = await addUser({ db, clock }, null, {
          username,
          displayName: username,
          role: role as 'consultant',
          password: 'a-long-test-password',
        });
        return { userId: u.id, username, role, requestId: null };
      };
      nina = await actor('nina', 'nurse-specialist');
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

    it('shows an overdue review on the worklist with its days overdue, and moves on when held', async () => {
      const pump = await newPump();
      const e = await entry(pump.id);
      assert.deepEqual(
        { dueOn: e?.review.dueOn, status: e?.review.status, daysOverdue: e?.review.daysOverdue },
        { dueOn: '2026-06-15', status: 'overdue', daysOverdue: 162 },
      );
      const held = await recordReviewHeld(deps, bea, pump.id, { heldOn: '2026-11-20' });
      assert.equal(held.state, 'attended');
      const after = await entry(pump.id);
      assert.ok(after);
      // The stored next-review date the worklist ranks on moved on with it.
      assert.equal(after.review.dueOn, '2026-07-13');
      assert.equal(after.review.daysOverdue, 134);
      const o = await pumpOverview(deps, bea, pump.id);
      assert.equal(o.nextReview.label, '6 weeks review');
      assert.equal(o.nextReview.daysOverdue, 134);
    });

    it('marks a review booked for that day attended instead of adding one', async () => {
      const pump = await newPump();
      const booked = await bookPumpAppointment(deps, bea, pump.id, { kind: 'review', onDate: '2026-11-24' });
      const held = await recordReviewHeld(deps, bea, pump.id, { heldOn: '2026-11-24', note: 'Seen' });
      assert.equal(held.id, booked.id);
      assert.equal(held.state, 'attended');
      assert.equal(held.note, 'Seen');
      const o = await pumpOverview(deps, bea, pump.id);
      assert.equal(o.appointments.length, 1);
      assert.equal(o.pump.reviewsHeld, 1);
    });

    it('refuses a second review on the same day, a future day, and a day beyond the limit', async () => {
      const pump = await newPump();
      await recordReviewHeld(deps, bea, pump.id, { heldOn: '2026-11-23' });
      const twice = await rejects(
        recordReviewHeld(deps, bea, pump.id, { heldOn: '2026-11-23' }),
        'INVALID_STATE',
      );
      assert.equal(twice.reason, 'REVIEW_ALREADY_RECORDED');
      await rejects(
        recordReviewHeld(deps, bea, pump.id, { heldOn: '2026-11-25' }),
        'VALIDATION_FAILED',
        'heldOn',
      );
      await rejects(
        recordReviewHeld(deps, bea, pump.id, { heldOn: '2026-10-24' }),
        'VALIDATION_FAILED',
        'heldOn',
      );
      assert.equal((await pumpOverview(deps, bea, pump.id)).pump.reviewsHeld, 1);
    });

    it('holds to the REVIEW_RECORD_DAYS_BACK setting', async () => {
      const pump = await newPump();
      const strict = { ...deps, config: loadConfig({ REVIEW_RECORD_DAYS_BACK: '7' }) };
      await rejects(
        recordReviewHeld(strict, bea, pump.id, { heldOn: '2026-11-16' }),
        'VALIDATION_FAILED',
        'heldOn',
      );
      const ok = await recordReviewHeld(strict, bea, pump.id, { heldOn: '2026-11-17' });
      assert.equal(ok.onDate, '2026-11-17');
    });
  });
}
