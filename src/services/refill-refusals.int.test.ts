import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejects } from '../../test/support/assertions.ts';
import { DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import { openRefillWorld } from '../../test/support/refill-service-world.ts';
import { TestClock } from '../../test/support/clock.ts';
import type { Actor } from './audit-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { recordRefill } from './refill-service.ts';
import { amendRefill, confirmRefillAmendment, rejectRefillAmendment } from './refill-amendment-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { rejectRefill, reviewRefill } from './refill-review-service.ts';
import { signRefill } from './refill-sign-service.ts';
import { REFILL_REFUSALS } from './refusals/refills.ts';

/**
 * Every refusal of a refill answers 409 INVALID_STATE with its own reason, each one reached
 * here; the four-eyes rule stays a field error naming who acts (400), with its own reason.
 *
 * The pump: 20 mL reservoir, alarm at 2 mL, 150 mcg/day of 500 mcg/mL.
 */
const REFILL = {
  performedOn: '2026-11-01',
  expectedResidualMl: '5',
  withdrawnMl: '5',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-400',
  expiresOn: '2027-12-31',
  instilledMl: '20',
  alarmMl: '2',
};
const SIMPLE = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
  reason: 'Spasms at night',
});

for (const dialect of DIALECTS) {
  describe(`refill refusals on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock('2026-11-01T10:00:00.000Z');
    let nurse: Actor;
    let nurse2: Actor;
    let consultant: Actor;
    let pumpId = '';
    const seen = new Set<string>();

    /** The call is refused with this reason; the reason is noted as reached. */
    const refusedWith = async (call: Promise<unknown>, reason: string, message?: RegExp) => {
      const err = await rejects(call, 'INVALID_STATE');
      assert.equal(err.reason, reason, err.message);
      if (message) {
        assert.match(err.message, message);
      }
      seen.add(reason);
    };
    /** A two-person rule broken: a field error naming who acts, with its reason, noted as reached. */
    const notByThem = async (call: Promise<unknown>, field: string, reason: string) => {
      const err = await rejects(call, 'VALIDATION_FAILED', field);
      assert.equal(err.reason, reason, err.message);
      seen.add(reason);
    };

    before(async () => {
      ({ database, deps, nurse, nurse2, consultant, pumpId } = await openRefillWorld(
        dialect,
        clock,
        'NGP400001H',
      ));
      const p = await proposePrescription(deps, nurse, pumpId, SIMPLE(150));
      await confirmPrescription(deps, consultant, p.id, {});
    });
    after(async () => {
      await database.dispose();
    });

    it('refuses each action the refill’s state does not allow, with its reason', async () => {
      const first = await recordRefill(deps, nurse, pumpId, REFILL);
      await refusedWith(recordRefill(deps, nurse, pumpId, REFILL), 'PREVIOUS_REFILL_UNSIGNED');
      await refusedWith(reviewRefill(deps, nurse2, first.id, { note: 'Fine' }), 'REFILL_REVIEW_NOT_NEEDED');
      await refusedWith(
        amendRefill(deps, nurse, first.id, { reason: 'Batch', batch: 'LB2026-401' }),
        'REFILL_NOT_SIGNED',
        /not signed yet/,
      );
      // The four-eyes rule is not a state: a field error naming who acts, as it always was,
      // with its own reason.
      await notByThem(signRefill(deps, nurse, first.id, { version: 1 }), 'checkedBy', 'SIGNER_IS_PERFORMER');
      await signRefill(deps, consultant, first.id, { version: first.version });
      await refusedWith(signRefill(deps, consultant, first.id, { version: 2 }), 'REFILL_SIGNED');
      await refusedWith(rejectRefill(deps, consultant, first.id, { reason: 'Late' }), 'REFILL_SIGNED');

      // Volume corrections: one at a time, and each decided once.
      const a = await amendRefill(deps, nurse, first.id, { reason: 'Syringe held 18 mL', instilledMl: 18 });
      await refusedWith(
        amendRefill(deps, nurse2, first.id, { reason: 'Alarm', alarmMl: 3 }),
        'VOLUME_CORRECTION_PENDING',
      );
      await notByThem(
        confirmRefillAmendment(deps, nurse, first.id, a.id, {}),
        'checkedBy',
        'CORRECTION_CHECKER_IS_AUTHOR',
      );
      await rejectRefillAmendment(deps, consultant, first.id, a.id, { note: 'Log shows 20 mL' });
      await refusedWith(
        confirmRefillAmendment(deps, consultant, first.id, a.id, {}),
        'VOLUME_CORRECTION_DECIDED',
        /This correction was rejected already/,
      );

      // A programme change at a refill waits for the change already proposed.
      const proposed = await proposePrescription(deps, nurse, pumpId, SIMPLE(165));
      await refusedWith(
        recordRefill(deps, nurse, pumpId, {
          ...REFILL,
          newPrescription: { programme: SIMPLE(170).programme, phase: 'titration', reason: 'Spasms' },
        }),
        'REFILL_PRESCRIPTION_PENDING',
      );
      await confirmPrescription(deps, consultant, proposed.id, {});

      // Voided by the checker: final.
      const second = await recordRefill(deps, nurse, pumpId, { ...REFILL, concentrationMcgPerMl: '500' });
      await rejectRefill(deps, consultant, second.id, { reason: 'Wrong batch' });
      await refusedWith(
        signRefill(deps, consultant, second.id, { version: 2 }),
        'REFILL_VOIDED',
        /record the refill again/,
      );
      await refusedWith(
        amendRefill(deps, nurse, second.id, { reason: 'Batch', batch: 'LB2026-402' }),
        'REFILL_VOIDED',
        /cannot be amended/,
      );

      // A flagged refill is not signed before its review.
      const third = await recordRefill(deps, nurse, pumpId, { ...REFILL, withdrawnMl: '3' });
      assert.equal(third.flagged, true);
      await refusedWith(
        signRefill(deps, consultant, third.id, { version: third.version }),
        'REFILL_REVIEW_NEEDED',
        /record its review before signing/,
      );
      await notByThem(
        reviewRefill(deps, nurse, third.id, { note: 'Checked' }),
        'reviewedBy',
        'REVIEWER_IS_PERFORMER',
      );

      assert.deepEqual([...seen].sort(), Object.keys(REFILL_REFUSALS).sort());
    });
  });
}
