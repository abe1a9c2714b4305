import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, type TestDatabase } from '../../test/support/databases.ts';
import { openRefillWorld } from '../../test/support/refill-service-world.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { findPrescriptionById } from '../storage/prescriptions.repository.ts';
import { listAmendments } from '../storage/refill-amendments.repository.ts';
import { countWithdrawalRiskRefills, findRefillById } from '../storage/refills.repository.ts';
import { type Actor } from './audit-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { pumpOverview } from './pump-overview.ts';
import { recordRefill } from './refill-service.ts';
import { amendRefill, confirmRefillAmendment, rejectRefillAmendment } from './refill-amendment-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { rejectRefill, reviewRefill } from './refill-review-service.ts';
import { signRefill } from './refill-sign-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/**
 * The refill checks on both databases: programmed dates, the software's expected residual, the
 * checker's rejection, reviews by someone other than the performer with the withdrawal-signs
 * answer after a pump ran dry, and volume corrections confirmed by a second clinician. Every
 * refusal is shown to leave the records as they were.
 *
 * The pump: 20 mL reservoir, alarm at 2 mL, 500 mcg/mL. 150 mcg/day is 0.3 mL a day, 300 mcg/day
 * 0.6 mL a day.
 */
const SIMPLE = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

const refill = (performedOn: string, expected: string, withdrawn: string, instilled = '20') => ({
  performedOn,
  expectedResidualMl: expected,
  withdrawnMl: withdrawn,
  concentrationMcgPerMl: '500',
  batch: 'LB2026-200',
  expiresOn: '2027-12-31',
  instilledMl: instilled,
  alarmMl: '2',
  complications: [],
});

for (const dialect of DIALECTS) {
  describe(`refill checks on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: RefillServiceDeps;
    const clock = new TestClock('2026-11-01T10:00:00.000Z');
    let nurse: Actor;
    let nurse2: Actor;
    let consultant: Actor;
    let pumpId = '';
    const at = (day: string) => {
      clock.set(`${day}T10:00:00.000Z`);
    };

    const pump = async () => (await pumpOverview(deps, consultant, pumpId)).pump;

    before(async () => {
      ({ database, deps, nurse, nurse2, consultant, pumpId } = await openRefillWorld(
        dialect,
        clock,
        'NGP300001H',
      ));
      const p = await proposePrescription(deps, nurse, pumpId, {
        ...SIMPLE(150),
        reason: 'Test dose elsewhere',
      });
      await confirmPrescription(deps, consultant, p.id, {});
      // The first fill on record: 20 mL on 1 November 2026, signed.
      const first = await recordRefill(deps, nurse, pumpId, refill('2026-11-01', '5', '5'));
      assert.equal(first.softwareExpectedMl, null, 'no earlier fill to work from');
      await signRefill(deps, consultant, first.id, { version: first.version });
    });
    after(async () => {
      await database.dispose();
    });

    it('a change programmed on day 10 and confirmed on day 12 is planned from day 10', async () => {
      at('2026-11-11');
      const p = await proposePrescription(deps, nurse, pumpId, {
        ...SIMPLE(300),
        reason: 'Spasms uncontrolled; doubled after discussion',
      });
      at('2026-11-13');
      // Never in the future, never before the proposal: refused naming programmedOn, nothing changes.
      await rejects(
        confirmPrescription(deps, consultant, p.id, { programmedOn: '2026-11-14' }),
        'VALIDATION_FAILED',
        'programmedOn',
      );
      await rejects(
        confirmPrescription(deps, consultant, p.id, { programmedOn: '2026-11-10' }),
        'VALIDATION_FAILED',
        'programmedOn',
      );
      assert.equal((await findPrescriptionById(deps.db, p.id))?.state, 'pending');
      const confirmed = await confirmPrescription(deps, consultant, p.id, { programmedOn: '2026-11-11' });
      assert.equal(confirmed.programmedOn, '2026-11-11');
      // 10 days at 0.3 mL (1–10 November) leave 17 mL; from 11 November 0.6 mL a day:
      // (17 − 2) ÷ 0.6 = 25 days → 10 + 25 = 35 days after 1 November = 6 December; due 29 November.
      // (From the confirmation on day 12 it would be 12 + (16.4 − 2) ÷ 0.6 = 36 days: 7 December.)
      const p2 = await pump();
      assert.equal(p2.alarmOn, '2026-12-06');
      assert.equal(p2.refillDueBy, '2026-11-29');
    });

    it('the checker rejects an unsigned refill: voided, its programme rejected, the pump’s dates restored', async () => {
      at('2026-11-20');
      const appt = await bookPumpAppointment(deps, nurse, pumpId, { kind: 'refill', onDate: '2026-11-20' });
      // Day 19: 10 × 0.3 + 0.6 + 8 × 0.6 = 8.4 mL used → 11.6 mL expected. Only 10 mL put in, with a
      // programme set at the refill: 10 mL at 0.6 mL a day reaches 2 mL in 13 days, 3 December,
      // before the pump's 6 December, so the pump's dates come forward at once.
      const r = await recordRefill(deps, nurse, pumpId, {
        ...refill('2026-11-20', '11.6', '11.6', '10'),
        newPrescription: { ...SIMPLE(300), phase: 'maintenance' },
      });
      assert.equal(r.softwareExpectedMl, 11.6);
      assert.deepEqual(r.flags, []);
      assert.equal((await pump()).alarmOn, '2026-12-03');
      const pendingId = r.prescriptionId;
      assert.equal((await findPrescriptionById(deps.db, pendingId))?.state, 'pending');

      // The nurse who did it cannot reject it; a reason is required. Neither stores anything.
      const own = await rejects(
        rejectRefill(deps, nurse, r.id, { reason: 'Wrong volume' }),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.equal(own.reason, 'SIGNER_IS_PERFORMER');
      await rejects(rejectRefill(deps, consultant, r.id, { reason: ' ' }), 'VALIDATION_FAILED', 'reason');
      assert.equal((await findRefillById(deps.db, r.id))?.state, 'recorded');
      assert.equal((await findPrescriptionById(deps.db, pendingId))?.state, 'pending');
      assert.equal((await pump()).alarmOn, '2026-12-03');

      const voided = await rejectRefill(deps, consultant, r.id, {
        reason: 'Instilled volume entered as 10 mL; the syringe held 20 mL',
      });
      assert.equal(voided.state, 'voided');
      assert.equal(voided.voidedBy, consultant.userId);
      assert.match(voided.voidReason ?? '', /syringe held 20 mL/);
      // Every value is kept.
      assert.equal(voided.instilledMl, 10);
      assert.equal(voided.withdrawnMl, 11.6);
      const rejected = await findPrescriptionById(deps.db, pendingId);
      assert.equal(rejected?.state, 'rejected');
      assert.equal(rejected.decidedBy, consultant.userId);
      const restored = await pump();
      assert.equal(restored.alarmOn, '2026-12-06');
      assert.equal(restored.refillDueBy, '2026-11-29');
      // The booking is not settled: the refill did not count.
      const o = await pumpOverview(deps, consultant, pumpId);
      assert.equal(o.appointments.find((a) => a.id === appt.id)?.state, 'booked');
      assert.equal(o.active?.doseMcgPerDay, 300);
      // Rejected once is final.
      const again = await rejects(rejectRefill(deps, nurse2, r.id, { reason: 'again' }), 'INVALID_STATE');
      assert.equal(again.reason, 'REFILL_VOIDED');
      await rejects(signRefill(deps, nurse2, r.id, { version: voided.version }), 'INVALID_STATE');
    });

    it('after a void the refill is recorded again, the software working from the signed fill', async () => {
      at('2026-12-01');
      // Day 30: 10 × 0.3 + 0.6 + 19 × 0.6 = 15.0 mL used → 5.0 mL (5.6 if counted from day 12).
      const r = await recordRefill(deps, nurse, pumpId, refill('2026-12-01', '5', '5'));
      assert.equal(r.softwareExpectedMl, 5);
      assert.deepEqual(r.flags, []);
      assert.equal(r.flagged, false);
      const signed = await signRefill(deps, consultant, r.id, { version: r.version });
      assert.equal(signed.state, 'signed');
    });

    it('a pump that ran dry: flagged with the day; the review is by another and records the withdrawal check', async () => {
      at('2027-01-10');
      // 20 mL at 0.6 mL a day: empty after 33.3 days, on 3 January 2027; (20 − 2) ÷ 0.6 = 30 days
      // to the alarm, 31 December 2026. Refilled on 10 January (day 40): 24 mL needed, 4 mL short.
      // The programmer shows 0 and nothing comes back: RAN_DRY whatever was withdrawn, and AFTER_ALARM.
      const r = await recordRefill(deps, nurse, pumpId, refill('2027-01-10', '0', '0'));
      assert.deepEqual(
        r.flags.map((f) => f.code),
        ['RAN_DRY', 'AFTER_ALARM'],
      );
      assert.equal(r.ranDryOn, '2027-01-03');
      assert.equal(r.softwareExpectedMl, 0);
      assert.equal(r.flagged, true);
      assert.equal(await countWithdrawalRiskRefills(deps.db, '2027-01-09T10:00:00.000Z'), 1);

      const early = await rejects(
        signRefill(deps, consultant, r.id, { version: r.version }),
        'INVALID_STATE',
      );
      assert.equal(early.reason, 'REFILL_REVIEW_NEEDED');
      const note = 'Pump empty on arrival. Patient seen the same hour.';
      // Not by the person who did the refill, and not without the withdrawal-signs answer.
      await rejects(
        reviewRefill(deps, nurse, r.id, { note, withdrawalSignsChecked: true, withdrawalSignsFound: 'None' }),
        'VALIDATION_FAILED',
        'reviewedBy',
      );
      await rejects(
        reviewRefill(deps, nurse2, r.id, { note }),
        'VALIDATION_FAILED',
        'withdrawalSignsChecked',
      );
      await rejects(
        reviewRefill(deps, nurse2, r.id, {
          note,
          withdrawalSignsChecked: false,
          withdrawalSignsFound: 'None',
        }),
        'VALIDATION_FAILED',
        'withdrawalSignsChecked',
      );
      await rejects(
        reviewRefill(deps, nurse2, r.id, { note, withdrawalSignsChecked: true, withdrawalSignsFound: ' ' }),
        'VALIDATION_FAILED',
        'withdrawalSignsFound',
      );
      const untouched = await findRefillById(deps.db, r.id);
      assert.equal(untouched?.reviewNote, null);
      assert.equal(untouched.version, r.version);

      const reviewed = await reviewRefill(deps, nurse2, r.id, {
        note,
        withdrawalSignsChecked: true,
        withdrawalSignsFound:
          'Itching since yesterday, spasticity back; oral baclofen started, consultant told',
      });
      assert.equal(reviewed.reviewedBy, nurse2.userId);
      assert.equal(reviewed.withdrawalSignsChecked, true);
      assert.match(reviewed.withdrawalSignsFound ?? '', /Itching/);
      const signed = await signRefill(deps, consultant, r.id, { version: reviewed.version });
      assert.equal(signed.state, 'signed');
    });

    it('a flagged discrepancy without a withdrawal risk needs no withdrawal answer, but still another reviewer', async () => {
      at('2027-01-20');
      // Day 10 of the 10 January fill: 20 − 6 = 14 mL expected by both; 12 mL withdrawn: −2 mL (−14 %).
      const r = await recordRefill(deps, nurse, pumpId, refill('2027-01-20', '14', '12'));
      assert.deepEqual(
        r.flags.map((f) => f.code),
        ['RESIDUAL_DISCREPANCY'],
      );
      await rejects(reviewRefill(deps, nurse, r.id, { note: 'Fine' }), 'VALIDATION_FAILED', 'reviewedBy');
      const reviewed = await reviewRefill(deps, consultant, r.id, { note: 'Residual drawn twice; fine.' });
      assert.equal(reviewed.withdrawalSignsChecked, null);
      await rejects(
        signRefill(deps, nurse, r.id, { version: reviewed.version }),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      await signRefill(deps, nurse2, r.id, { version: reviewed.version });
    });

    it('a volume correction needs a different clinician to confirm it, and then moves the pump’s dates', async () => {
      at('2027-01-21');
      const last = (await pump()).lastRefillId ?? '';
      // The 20 January fill: 20 mL at 0.6: (20 − 2) ÷ 0.6 = 30 days → 19 February; due 12 February.
      assert.equal((await pump()).alarmOn, '2027-02-19');
      await rejects(amendRefill(deps, nurse, last, { instilledMl: 18 }), 'VALIDATION_FAILED', 'reason');
      await rejects(
        amendRefill(deps, nurse, last, { reason: 'Misread', instilledMl: 25 }),
        'VALIDATION_FAILED',
        'instilledMl',
      );
      await rejects(
        amendRefill(deps, nurse, last, { reason: 'Misread', instilledMl: 18, batch: 'X1' }),
        'VALIDATION_FAILED',
        'instilledMl',
      );
      // An alarm volume of 19.8 mL in a 20 mL fill at 0.6 mL a day: 0.2 ÷ 0.6 = 0.33 days, so the
      // alarm would sound on the fill day, which a new refill is refused for: refused here too.
      await rejects(
        amendRefill(deps, nurse, last, { reason: 'Misread', alarmMl: 19.8 }),
        'VALIDATION_FAILED',
        'alarmMl',
      );
      assert.equal((await listAmendments(deps.db, last)).length, 0);
      const a = await amendRefill(deps, nurse, last, {
        reason: 'The syringe held 18 mL, not 20',
        instilledMl: 18,
      });
      assert.equal(a.state, 'pending');
      assert.deepEqual(a.changes, [{ field: 'instilledMl', old: '20', new: '18' }]);
      // Pending: nothing moves, and a second correction waits its turn.
      assert.equal((await findRefillById(deps.db, last))?.instilledMl, 20);
      assert.equal((await pump()).alarmOn, '2027-02-19');
      const second = await rejects(
        amendRefill(deps, nurse2, last, { reason: 'Alarm', alarmMl: 3 }),
        'INVALID_STATE',
      );
      assert.equal(second.reason, 'VOLUME_CORRECTION_PENDING');
      // The nurse who made it cannot confirm it; nothing changes.
      const author = await rejects(
        confirmRefillAmendment(deps, nurse, last, a.id, {}),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.equal(author.reason, 'CORRECTION_CHECKER_IS_AUTHOR');
      assert.equal((await findRefillById(deps.db, last))?.instilledMl, 20);

      const corrected = await confirmRefillAmendment(deps, consultant, last, a.id, {
        note: 'Checked the log',
      });
      // 18 mL at 0.6: (18 − 2) ÷ 0.6 = 26.7 → 26 days after 20 January = 15 February; due 8 February.
      assert.equal(corrected.instilledMl, 18);
      assert.equal(corrected.alarmOn, '2027-02-15');
      assert.equal(corrected.dueBy, '2027-02-08');
      const moved = await pump();
      assert.equal(moved.alarmOn, '2027-02-15');
      assert.equal(moved.refillDueBy, '2027-02-08');
      const [amended] = await listAmendments(deps.db, last);
      assert.equal(amended?.state, 'confirmed');
      assert.equal(amended.decidedBy, consultant.userId);
    });

    it('a volume correction can be rejected, with a note, leaving the refill as it was', async () => {
      const last = (await pump()).lastRefillId ?? '';
      const a = await amendRefill(deps, nurse, last, { reason: 'Alarm set at 3 mL', alarmMl: 3 });
      await rejects(
        rejectRefillAmendment(deps, nurse, last, a.id, { note: 'no' }),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      await rejects(rejectRefillAmendment(deps, consultant, last, a.id, {}), 'VALIDATION_FAILED', 'note');
      await rejectRefillAmendment(deps, consultant, last, a.id, { note: 'Printout shows 2 mL' });
      const r = await findRefillById(deps.db, last);
      assert.equal(r?.alarmMl, 2);
      assert.equal(r.alarmOn, '2027-02-15');
      const decided = await rejects(confirmRefillAmendment(deps, nurse2, last, a.id, {}), 'INVALID_STATE');
      assert.equal(decided.reason, 'VOLUME_CORRECTION_DECIDED');
      assert.equal(await countRows(deps.db, 'refill_amendments'), 2);
    });

    it('a change waiting before a refill is confirmed only once that refill is signed or rejected', async () => {
      at('2027-01-22');
      const p = await proposePrescription(deps, nurse, pumpId, { ...SIMPLE(330), phase: 'maintenance' });
      // The 20 January fill, corrected to 18 mL: 2 days at 0.6 mL = 1.2 mL → 16.8 mL.
      const r = await recordRefill(deps, nurse, pumpId, refill('2027-01-22', '16.8', '16.8'));
      assert.deepEqual(r.flags, []);
      const before = await pump();
      await rejects(confirmPrescription(deps, consultant, p.id, {}), 'INVALID_STATE');
      assert.equal((await findPrescriptionById(deps.db, p.id))?.state, 'pending');
      assert.equal((await pump()).alarmOn, before.alarmOn);
      await rejectRefill(deps, consultant, r.id, { reason: 'Recorded on the wrong pump' });
      const confirmed = await confirmPrescription(deps, consultant, p.id, {});
      assert.equal(confirmed.state, 'active');
      assert.equal(confirmed.programmedOn, '2027-01-22');
    });

    it('keeps the audit chain intact', async () => {
      assert.equal((await sealAndVerify(deps.db)).problem, null);
      const actions = await deps.db.selectFrom('audit_events').select('action').execute();
      for (const a of ['refill.reject', 'refill.amend-confirm', 'refill.amend-reject']) {
        assert.ok(
          actions.some((x) => x.action === a),
          a,
        );
      }
    });
  });
}
