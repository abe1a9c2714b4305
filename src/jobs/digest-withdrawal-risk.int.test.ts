import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { TestClock } from '../../test/support/clock.ts';
import type { AppDeps } from '../compose.ts';
import { createServices } from '../services/registry/registry.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from '../services/audit-service.ts';
import { createPatient } from '../services/patient-service.ts';
import { confirmPrescription, proposePrescription } from '../services/prescription-service.ts';
import { registerPump } from '../services/pump-service.ts';
import { recordRefill } from '../services/refill-service.ts';
import { rejectRefill, reviewRefill } from '../services/refill-review-service.ts';
import { signRefill } from '../services/refill-sign-service.ts';
import { addUser } from '../services/user-service.ts';
import { dailyReferralCheck } from './daily-referral-check.ts';

/**
 * The daily digest counts the refills recorded since the last check that found the pump ran dry
 * or came on or after its alarm date: each is a patient at risk of withdrawal. A voided refill is
 * not counted (the refill recorded again in its place carries its own flags).
 */
const refill = (performedOn: string, expected: string) => ({
  performedOn,
  expectedResidualMl: expected,
  withdrawnMl: expected,
  concentrationMcgPerMl: 500,
  batch: 'B1',
  expiresOn: '2027-12-31',
  instilledMl: 20,
  alarmMl: 2,
});

for (const dialect of DIALECTS) {
  describe(`daily digest: refills at risk of withdrawal, on ${dialect}`, () => {
    // Each test starts from the same world of its own: a pump filled and checked on 1 September.
    let database: TestDatabase;
    let deps: AppDeps;
    let clock: TestClock;
    let pumpId = '';
    let nurse: Actor;
    let consultant: Actor;

    const actor = async (username: string, role: 'nurse-specialist' | 'consultant'): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: username,
        role,
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };

    beforeEach(async () => {
      clock = new TestClock('2026-09-01T10:00:00.000Z');
      database = await openTestDatabase(dialect);
      // SMTP is set so the digest is written to the outbox; nothing is sent in this test.
      const config = loadConfig({
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: '2525',
        SMTP_REQUIRE_TLS: 'false',
        SMTP_FROM: 'itb@nhs.net',
        DIGEST_EMAIL_TO: 'lead.nurse@nhs.net',
      });
      deps = {
        config,
        database: database.handle,
        clock,
        services: createServices(database.handle, clock, config),
      };
      const db = database.handle.db;
      const svc = { db, clock, config };
      nurse = await actor('nia', 'nurse-specialist');
      consultant = await actor('cara', 'consultant');
      const patient = await createPatient({ db, clock, timeZone: 'Europe/London' }, nurse, {
        nhsNumber: '9434765919',
        givenName: 'Tom',
        familyName: 'Jones',
        dateOfBirth: '1980-01-01',
        sex: 'male',
      });
      pumpId = (
        await registerPump(svc, nurse, patient.id, {
          modelId: 'synchromed-ii',
          reservoirMl: 20,
          serialNumber: 'NGP000009H',
          implantedOn: '2026-08-01',
          surgeon: 'Mr A Surgeon',
          alarmMl: 2,
          origin: 'spinal',
        })
      ).id;
      // 250 mcg/day of 500 mcg/mL: 0.5 mL a day.
      const p = await proposePrescription(svc, nurse, pumpId, {
        concentrationMcgPerMl: 500,
        phase: 'titration',
        programme: { mode: 'simple', doseMcgPerDay: 250, schedules: [], bolus: null },
        reason: 'Test dose given at the referring centre',
      });
      await confirmPrescription(svc, consultant, p.id, {});
      const first = await recordRefill(svc, nurse, pumpId, refill('2026-09-01', '5'));
      await signRefill(svc, consultant, first.id, { version: first.version });
    });
    afterEach(async () => {
      await database.dispose();
    });

    /**
     * 60 days at 0.5 mL from 20 mL: ran dry on day 40. Recorded on 31 October, a voided copy
     * first; the refill is left recorded, not yet checked.
     */
    const recordRanDryRefill = async () => {
      const svc = { db: database.handle.db, clock, config: deps.config };
      clock.set('2026-10-31T09:00:00.000Z');
      const wrong = await recordRefill(svc, nurse, pumpId, refill('2026-10-31', '0'));
      await rejectRefill(svc, consultant, wrong.id, { reason: 'Recorded against the wrong batch' });
      return recordRefill(svc, nurse, pumpId, refill('2026-10-31', '0'));
    };

    /** The daily check as it runs at this moment. */
    const checkAt = async (iso: string) => {
      clock.set(iso);
      return dailyReferralCheck(deps);
    };

    it('counts a refill recorded in the last day that found the pump ran dry, and says so in the digest', async () => {
      const r = await recordRanDryRefill();
      assert.ok(r.flags.some((f) => f.code === 'RAN_DRY'));
      const result = await checkAt('2026-11-01T07:30:00.000Z');
      assert.ok(result.ran);
      assert.equal(result.summary.refillsWithdrawalRisk, 1);
      const email = await database.handle.db
        .selectFrom('outbound_emails')
        .select('body_text')
        .where('purpose', '=', 'daily-digest')
        .executeTakeFirstOrThrow();
      assert.match(
        email.body_text,
        /Refills since the last digest that found the pump ran dry or past its alarm date: 1/,
      );
    });

    it('a day later it is no longer counted', async () => {
      await recordRanDryRefill();
      assert.ok((await checkAt('2026-11-01T07:30:00.000Z')).ran);
      const result = await checkAt('2026-11-02T07:30:00.000Z');
      assert.ok(result.ran);
      assert.equal(result.summary.refillsWithdrawalRisk, 0);
    });

    it('counts every one since the last check, when a day was missed', async () => {
      await recordRanDryRefill();
      assert.ok((await checkAt('2026-11-01T07:30:00.000Z')).ran);
      assert.ok((await checkAt('2026-11-02T07:30:00.000Z')).ran);
      const svc = { db: database.handle.db, clock, config: deps.config };
      // Refilled on 2 November at 10:00, signed; no check runs on the 3rd; the next is on the 4th,
      // 45.5 hours later. A window of the last 24 hours would miss it.
      clock.set('2026-11-02T09:00:00.000Z');
      const open = (
        await database.handle.db
          .selectFrom('refills')
          .select(['id'])
          .where('pump_id', '=', pumpId)
          .where('state', '=', 'recorded')
          .executeTakeFirstOrThrow()
      ).id;
      const reviewed = await reviewRefill(svc, consultant, open, {
        note: 'Ran dry: admitted overnight',
        withdrawalSignsChecked: true,
        withdrawalSignsFound: 'Itching and rebound spasms',
      });
      await signRefill(svc, consultant, open, { version: reviewed.version });
      // The programmer shows 0 mL two days after a 20 mL fill: flagged as a pump that ran dry.
      clock.set('2026-11-02T10:00:00.000Z');
      const previous = await recordRefill(svc, nurse, pumpId, refill('2026-11-02', '0'));
      assert.ok(previous.flags.some((f) => f.code === 'RAN_DRY' || f.code === 'AFTER_ALARM'));
      clock.set('2026-11-04T07:30:00.000Z');
      const result = await dailyReferralCheck(deps);
      assert.ok(result.ran);
      assert.equal(result.summary.refillsWithdrawalRisk, 1);
    });
  });
}
