import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXPLANT_PLAN } from '../../../../test/support/bridging-plan-fixtures.ts';
import type { TestApp } from '../../../../test/support/test-app.ts';
import {
  NOW,
  PUMP,
  SIMPLE_100,
  PRESCRIPTION,
  FIRST_REASON,
  FIRST_PRESCRIPTION,
  FLEX_WITH_GAP,
  REFILL,
  type Body,
  pumpsApiCalls,
  startPumpsApi,
} from '../../../../test/support/pumps-api-fixtures.ts';

/**
 * The pumps, prescriptions and refills API along one pump's life, each test building on the last:
 * Ann's pump registered, its first prescription proposed and confirmed, a flagged refill reviewed
 * and signed, its plan and standing shown, appointments booked and settled, the refill amended, a
 * change rejected, events recorded and the pump explanted; then the permission guards.
 */

describe('pumps, prescriptions and refills API on sqlite', () => {
  let t: TestApp;
  let nurseToken = '';
  let otherNurseToken = '';
  let consultantToken = '';
  let bookingToken = '';
  let managerToken = '';
  let nurseId = '';
  let consultantId = '';
  let patientId = '';
  let pumpId = '';
  let prescriptionId = '';
  let refillId = '';
  let refillVersion = 0;

  const { api, ok, refused, conflict, count } = pumpsApiCalls(() => t);

  before(async () => {
    ({
      t,
      nurseId,
      consultantId,
      nurseToken,
      consultantToken,
      otherNurseToken,
      bookingToken,
      managerToken,
      patientId,
    } = await startPumpsApi());
  });
  after(async () => {
    await t.close();
  });

  // One journey through the API: each step uses what the step before it made, so the steps run

  // in order inside one test, and the test runs alone or in any order among the others.

  it('runs as one journey, each step in order', async (journey) => {
    await journey.test('registers a pump (201), refusing bad ones by field, and lists it', async () => {
      const url = `/patients/${patientId}/pumps`;
      await refused(url, nurseToken, { ...PUMP, reservoirMl: 30 }, 'reservoirMl', /20 or 40/);
      await refused(url, nurseToken, { ...PUMP, alarmMl: 20 }, 'alarmMl');
      await refused(url, nurseToken, { ...PUMP, implantedOn: '2026-12-01' }, 'implantedOn');
      await refused(url, nurseToken, { ...PUMP, reservoirMl: '20 mL' }, 'reservoirMl', /no units/);
      await refused(url, nurseToken, [PUMP], 'body');
      assert.equal(await count('pumps'), 0);

      const pump = await ok('POST', url, nurseToken, 201, PUMP);
      pumpId = pump.id as string;
      assert.equal(pump.state, 'implanted');
      assert.equal(pump.reservoirMl, 20);
      assert.equal(pump.alarmOn, null);
      await conflict(url, nurseToken, PUMP, 'DUPLICATE_PUMP_SERIAL');

      const list = await ok('GET', url, bookingToken, 200);
      assert.deepEqual(
        (list.pumps as Body[]).map((p) => p.id),
        [pumpId],
      );
    });

    await journey.test(
      'refuses implausible prescriptions naming the field, in the units the mistake was made in',
      async () => {
        const url = `/pumps/${pumpId}/prescriptions`;
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, concentrationMcgPerMl: 0 },
          'concentrationMcgPerMl',
        );
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, concentrationMcgPerMl: 2 },
          'concentrationMcgPerMl',
          /mg\/mL/,
        );
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 0.4 } },
          'programme.doseMcgPerDay',
          /milligrams/,
        );
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, programme: FLEX_WITH_GAP },
          'programme.schedules.0.steps',
          /no gap or overlap/,
        );
        await refused(url, nurseToken, { ...PRESCRIPTION, phase: 'loading' }, 'phase');
        assert.equal(await count('prescriptions'), 0);
      },
    );

    await journey.test(
      'proposes a prescription (nurse) that only the second clinician can confirm',
      async () => {
        const url = `/pumps/${pumpId}/prescriptions`;
        // The first prescription has no dose 24 hours ago to be compared with: it is compared with
        // the starting dose from the latest positive test dose, and Ann has none on record.
        await refused(url, nurseToken, PRESCRIPTION, 'reason', /^Give the reason: No positive test dose/);
        await refused(url, nurseToken, { ...PRESCRIPTION, reason: '   ' }, 'reason', /No positive test dose/);
        assert.equal(await count('prescriptions'), 0);

        const proposed = await ok('POST', url, nurseToken, 201, FIRST_PRESCRIPTION);
        prescriptionId = proposed.id as string;
        assert.equal(proposed.state, 'pending');
        assert.equal(proposed.planningDoseMcgPerDay, 100);
        assert.equal(proposed.proposedBy, nurseId);
        assert.equal(proposed.reason, FIRST_REASON);
        // Nothing to compare with: no percentage and no within-limit verdict are made up.
        assert.equal(proposed.comparedDoseMcgPerDay, null);
        assert.equal(proposed.changePercent, null);
        assert.equal(proposed.withinLimit, null);
        assert.match(proposed.description as string, /100 mcg\/day/);

        // A second proposal while one waits is a conflict, not a second pending change.
        await conflict(url, nurseToken, FIRST_PRESCRIPTION, 'INVALID_STATE', 'PRESCRIPTION_CHANGE_PENDING');
        // The proposer cannot be their own second check (hazard H-018).
        await refused(`/prescriptions/${prescriptionId}/confirm`, nurseToken, {}, 'checkedBy');

        const confirmed = await ok('POST', `/prescriptions/${prescriptionId}/confirm`, consultantToken, 200, {
          note: 'Checked against the titration plan',
        });
        assert.equal(confirmed.state, 'active');
        assert.equal(confirmed.decidedBy, consultantId);
        await conflict(
          `/prescriptions/${prescriptionId}/confirm`,
          otherNurseToken,
          {},
          'INVALID_STATE',
          'PRESCRIPTION_NOT_PENDING',
        );
      },
    );

    await journey.test(
      'refuses refills with bad volumes or a strength the prescription does not have',
      async () => {
        const url = `/pumps/${pumpId}/refills`;
        await refused(url, nurseToken, { ...REFILL, instilledMl: 25 }, 'instilledMl', /reservoir holds/);
        await refused(url, nurseToken, { ...REFILL, expiresOn: '2026-11-24' }, 'expiresOn');
        await refused(
          url,
          nurseToken,
          { ...REFILL, concentrationMcgPerMl: 1000 },
          'concentrationMcgPerMl',
          /differs from the prescription's 500/,
        );
        await refused(
          url,
          nurseToken,
          { ...REFILL, newPrescription: { programme: FLEX_WITH_GAP, phase: 'maintenance' } },
          'newPrescription.programme.schedules.0.steps',
        );
        await refused(
          url,
          nurseToken,
          {
            ...REFILL,
            concentrationMcgPerMl: 1000,
            newPrescription: { programme: { mode: 'simple', doseMcgPerDay: 0.1 }, phase: 'maintenance' },
          },
          'newPrescription.programme.doseMcgPerDay',
          /milligrams/,
        );
        // A booking coordinator books refills but does not record them.
        assert.equal((await api('POST', url, bookingToken, REFILL)).statusCode, 403);
        assert.equal(await count('refills'), 0);
      },
    );

    await journey.test('records a refill with a flagged 1.5 mL discrepancy and its plan', async () => {
      const refill = await ok('POST', `/pumps/${pumpId}/refills`, nurseToken, 201, REFILL);
      refillId = refill.id as string;
      refillVersion = refill.version as number;
      assert.equal(refill.state, 'recorded');
      assert.equal(refill.discrepancyMl, 1.5);
      assert.equal(refill.discrepancyPercent, 30);
      assert.equal(refill.thresholdMl, 1);
      assert.equal(refill.flagged, true);
      // 100 mcg/day at 500 mcg/mL is 0.2 mL/day; (20 − 2) mL lasts 90 days: alarm 22 Feb 2027,
      // due a 7-day buffer before, on Monday 15 February.
      assert.equal(refill.dailyVolumeMl, 0.2);
      assert.equal(refill.alarmOn, '2027-02-22');
      assert.equal(refill.dueBy, '2027-02-15');
      assert.equal(refill.limitedBy, 'alarm');
      assert.equal(refill.prescriptionId, prescriptionId);
      // Until it is signed the pump keeps whichever plan runs out sooner. It had none, so the
      // worklist already counts from this fill; it is not yet the pump's last (signed) refill.
      const before = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
      assert.equal((before.pump as Body).lastRefillId, null);
      assert.equal((before.pump as Body).alarmOn, '2027-02-22');
      assert.equal((before.pump as Body).refillDueBy, '2027-02-15');
      assert.equal((before.refillStanding as Body).status, 'not-booked');
      assert.equal((before.refillStanding as Body).dueOn, '2027-02-15');

      // No prescription change outside the refill while it waits to be checked (it would be
      // checked against a fill nobody has signed).
      await conflict(
        `/pumps/${pumpId}/prescriptions`,
        nurseToken,
        { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 110 } },
        'INVALID_STATE',
      );
      assert.equal(await count('prescriptions'), 1);
    });

    await journey.test('signs only after the review, by someone other than the performer', async () => {
      const sign = `/refills/${refillId}/sign`;
      // The signer says which version they checked; without it nothing is signed.
      await refused(sign, consultantToken, {}, 'version');
      await refused(sign, consultantToken, { note: 'looks fine' }, 'version', /version of the refill/);
      await conflict(sign, consultantToken, { version: refillVersion }, 'INVALID_STATE');

      const reviewUrl = `/refills/${refillId}/review`;
      // The review is written by someone other than the nurse who did the refill.
      await refused(reviewUrl, otherNurseToken, { note: '  ' }, 'note');
      const reviewed = await ok('POST', reviewUrl, otherNurseToken, 200, {
        note: 'Residual drawn twice; programmer residual was stale. Patient well, no withdrawal signs.',
      });
      assert.ok((reviewed.version as number) > refillVersion);
      // The checker opened it before the review: their sign is stale.
      await conflict(sign, consultantToken, { version: refillVersion }, 'STALE_EDIT');
      refillVersion = reviewed.version as number;

      await refused(sign, nurseToken, { version: refillVersion }, 'checkedBy');
      const signed = await ok('POST', sign, consultantToken, 200, { version: refillVersion });
      assert.equal(signed.state, 'signed');
      assert.equal(signed.checkedBy, consultantId);
      await conflict(sign, otherNurseToken, { version: signed.version }, 'INVALID_STATE');
    });

    await journey.test(
      "shows the pump's plan, due date and standing, and the refill with who did what",
      async () => {
        const o = await ok('GET', `/pumps/${pumpId}`, bookingToken, 200);
        const pump = o.pump as Body;
        assert.equal(pump.lastRefillId, refillId);
        assert.equal(pump.alarmOn, '2027-02-22');
        assert.equal(pump.refillDueBy, '2027-02-15');
        assert.deepEqual(o.refillStanding, {
          status: 'not-booked',
          escalated: true,
          dueOn: '2027-02-15',
          daysLeft: 83,
          alarmOn: '2027-02-22',
          daysToAlarm: 90,
          bookedRefillOn: null,
          resumeBy: null,
        });
        assert.equal((o.model as Body).mriRule, 'interrogate-after');
        assert.match((o.model as Body).mriAdvice as string, /Interrogate the pump/);
        assert.deepEqual(o.life, {
          endOfService: '2033-11-02',
          replaceBy: '2033-05-02',
          stopsAfterEri: null,
        });
        assert.equal((o.active as Body).id, prescriptionId);
        assert.equal(o.pending, null);
        // Two weeks after the implant is the first review [review schedule offsets].
        assert.equal((o.nextReview as Body).dueOn, '2026-11-16');
        const rows = o.refills as Body[];
        assert.equal(rows.length, 1);
        assert.deepEqual(
          { state: rows[0]?.state, flagged: rows[0]?.flagged, reviewed: rows[0]?.reviewed },
          { state: 'signed', flagged: true, reviewed: true },
        );

        const v = await ok('GET', `/refills/${refillId}`, bookingToken, 200);
        assert.equal(v.performedByName, 'Test nurse-specialist');
        assert.equal(v.reviewedByName, 'Test nurse-specialist');
        assert.equal(v.checkedByName, 'Test consultant');
        assert.equal(v.needsReview, true);
        assert.equal(v.dueOn, '2027-02-15');
        assert.equal((v.prescription as Body).id, prescriptionId);
        assert.equal(v.previousPrescription, null);
        assert.equal((v.refill as Body).state, 'signed');
      },
    );

    await journey.test('books and settles appointments as a booking coordinator', async () => {
      const url = `/pumps/${pumpId}/appointments`;
      await refused(url, bookingToken, { kind: 'refill', onDate: '2026-11-01' }, 'onDate');
      await refused(url, bookingToken, { kind: 'visit', onDate: '2027-02-10' }, 'kind');
      const appt = await ok('POST', url, bookingToken, 201, { kind: 'refill', onDate: '2027-02-10' });
      assert.equal(appt.state, 'booked');
      const o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
      assert.equal((o.refillStanding as Body).status, 'booked');
      assert.equal((o.refillStanding as Body).bookedRefillOn, '2027-02-10');

      // A booking dated before today was missed but nobody settled it: it does not count as
      // booked, and it hides the later booking too, so the pump is escalated until it is settled.
      const stale = await ok('POST', url, bookingToken, 201, { kind: 'refill', onDate: '2026-11-24' });
      const standingOf = async () => {
        const s = (await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).refillStanding as Body;
        const list = await ok('GET', '/worklist', nurseToken, 200);
        const entry = (list.entries as Body[]).find((e) => e.pumpId === pumpId);
        return { status: s.status, escalated: s.escalated, worklist: entry?.status };
      };
      assert.deepEqual(await standingOf(), { status: 'booked', escalated: false, worklist: 'booked' });
      t.clock.set('2026-11-25T10:00:00.000Z');
      try {
        assert.deepEqual(await standingOf(), {
          status: 'not-booked',
          escalated: true,
          worklist: 'not-booked',
        });
        const missed = await ok('POST', `/pump-appointments/${stale.id as string}`, bookingToken, 200, {
          state: 'missed',
        });
        assert.equal(missed.state, 'missed');
        assert.deepEqual(await standingOf(), { status: 'booked', escalated: false, worklist: 'booked' });
      } finally {
        t.clock.set(NOW);
      }

      const apptUrl = `/pump-appointments/${appt.id as string}`;
      await refused(apptUrl, bookingToken, { state: 'attended' }, 'state', /future/);
      const cancelled = await ok('POST', apptUrl, bookingToken, 200, {
        state: 'cancelled',
        note: 'Patient asked to move it',
      });
      assert.equal(cancelled.state, 'cancelled');
      assert.equal(cancelled.note, 'Patient asked to move it');
      await conflict(apptUrl, bookingToken, { state: 'missed' }, 'INVALID_STATE', 'APPOINTMENT_NOT_BOOKED');
      assert.equal(
        ((await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).refillStanding as Body).status,
        'not-booked',
      );
    });

    await journey.test('amends a signed refill with a reason, keeping the record', async () => {
      const url = `/refills/${refillId}/amend`;
      await refused(url, nurseToken, { batch: 'LIO-2213' }, 'reason');
      await refused(url, nurseToken, { reason: 'Typo', batch: 'LIO-2231' }, 'batch', /Nothing differs/);
      const a = await ok('POST', url, nurseToken, 201, {
        reason: 'Batch digits transposed',
        batch: 'LIO-2213',
      });
      assert.deepEqual(a.changes, [{ field: 'batch', old: 'LIO-2231', new: 'LIO-2213' }]);
      const v = await ok('GET', `/refills/${refillId}`, nurseToken, 200);
      assert.equal((v.effective as Body).batch, 'LIO-2213');
      assert.equal((v.refill as Body).batch, 'LIO-2231');
      assert.equal((v.amendments as Body[])[0]?.amendedByName, 'Test nurse-specialist');
    });

    await journey.test(
      'shows a pending change beside the active one, and rejects it only with a note',
      async () => {
        const url = `/pumps/${pumpId}/prescriptions`;
        // The reservoir holds what the last signed refill put in: a new strength only at a refill,
        // even with a reason (hazard H-020).
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, concentrationMcgPerMl: 1000, reason: 'Stronger drug to lengthen the interval' },
          'concentrationMcgPerMl',
          /holds 500 mcg\/mL since the refill on 2026-11-24: a new strength can only be set at a refill/,
        );
        // The same continuous 100 mcg/day with two 20 mcg boluses a day can give 140 mcg a day:
        // +40%, beyond the +30% spinal titration limit, so it needs a reason like any other rise.
        const withBoluses = {
          ...PRESCRIPTION,
          programme: { ...SIMPLE_100, bolus: { doseMcg: 20, maxPerDay: 2, lockoutMinutes: 120 } },
        };
        await refused(url, nurseToken, withBoluses, 'reason', /boluses included, changes by 40%.*30% limit/);
        // Moving that allowance into the continuous dose is the same rise.
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 140 } },
          'reason',
          /daily dose changes by 40%.*30% limit/,
        );
        assert.equal(await count('prescriptions'), 1);

        const change = await ok('POST', url, nurseToken, 201, {
          ...PRESCRIPTION,
          programme: { mode: 'simple', doseMcgPerDay: 120 },
        });
        assert.equal(change.comparedDoseMcgPerDay, 100);
        assert.equal(change.changePercent, 20);
        assert.equal(change.withinLimit, true);
        const o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
        const pending = o.pending as Body;
        assert.equal(pending.id, change.id);
        assert.equal((pending.previous as Body).id, prescriptionId);

        const reject = `/prescriptions/${change.id as string}/reject`;
        await refused(reject, consultantToken, {}, 'note');
        const rejected = await ok('POST', reject, consultantToken, 200, {
          note: 'Wait for the 6-week review',
        });
        assert.equal(rejected.state, 'rejected');
        assert.equal(rejected.decisionNote, 'Wait for the 6-week review');
        assert.equal(rejected.decidedAt, t.clock.now().toISOString());
        const after = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
        assert.equal(after.pending, null);
        assert.equal((after.active as Body).id, prescriptionId);
      },
    );

    await journey.test(
      'records pump events; an explant ends the pump once a second clinician confirms it',
      async () => {
        const url = `/pumps/${pumpId}/events`;
        await refused(url, nurseToken, { kind: 'revision', occurredOn: '2026-11-20' }, 'note');
        await refused(url, nurseToken, { kind: 'eri', occurredOn: '2026-10-01' }, 'occurredOn');
        // A replacement is recorded by registering the new pump (see below), never on its own: a
        // pump ended without its successor would drop the patient from the worklist (H-017).
        await refused(
          url,
          nurseToken,
          { kind: 'replacement', occurredOn: '2026-11-20' },
          'kind',
          /Register the new pump and say which pump it replaces/,
        );
        // An MRI scan goes through its workflow, which creates the post-scan check (H-138).
        await refused(url, nurseToken, { kind: 'mri', occurredOn: '2026-11-20' }, 'kind', /MRI page/);
        // The first ERI alarm sets the date the pump must be replaced from; a later one never
        // moves it later, an earlier one (entered late) moves it earlier.
        await ok('POST', url, nurseToken, 201, { kind: 'eri', occurredOn: '2026-11-10' });
        await ok('POST', url, nurseToken, 201, { kind: 'eri', occurredOn: '2026-11-21' });
        let o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
        assert.equal((o.pump as Body).eriOn, '2026-11-10');
        await ok('POST', url, nurseToken, 201, { kind: 'eri', occurredOn: '2026-11-05' });
        o = await ok('GET', `/pumps/${pumpId}`, nurseToken, 200);
        assert.equal((o.pump as Body).eriOn, '2026-11-05');
        assert.equal((o.pump as Body).state, 'implanted');
        assert.deepEqual((o.events as Body[]).map((e) => e.kind).sort(), ['eri', 'eri', 'eri']);
        // An explant is a request to end the pump, never a plain event: one person's record does not
        // take a pump off the worklist (H-035).
        await refused(
          url,
          nurseToken,
          { kind: 'explant', occurredOn: '2026-11-24' },
          'kind',
          /request to end the pump/,
        );
        const request = await ok('POST', `/pumps/${pumpId}/end-requests`, nurseToken, 201, {
          kind: 'explant',
          endedOn: '2026-11-24',
          reason: 'Removed for infection',
        });
        assert.equal(
          ((await ok('GET', `/pumps/${pumpId}`, nurseToken, 200)).pump as Body).state,
          'implanted',
        );
        await refused(`/pump-end-requests/${request.id as string}/confirm`, nurseToken, {}, 'checkedBy');
        await ok('POST', `/pumps/${pumpId}/bridging-plans`, nurseToken, 201, EXPLANT_PLAN);
        await ok('POST', `/pump-end-requests/${request.id as string}/confirm`, consultantToken, 200, {});
        await conflict(
          url,
          nurseToken,
          { kind: 'eri', occurredOn: '2026-11-24' },
          'INVALID_STATE',
          'PUMP_NOT_IMPLANTED',
        );
        await conflict(`/pumps/${pumpId}/refills`, nurseToken, REFILL, 'INVALID_STATE');
      },
    );

    await journey.test(
      'guards every operation by permission and answers 404 for unknown records',
      async () => {
        assert.equal((await api('GET', `/pumps/${pumpId}`, managerToken)).statusCode, 403);
        assert.equal((await api('POST', `/patients/${patientId}/pumps`, bookingToken, PUMP)).statusCode, 403);
        assert.equal(
          (await api('POST', `/pumps/${pumpId}/prescriptions`, bookingToken, PRESCRIPTION)).statusCode,
          403,
        );
        assert.equal(
          (await api('POST', `/prescriptions/${prescriptionId}/confirm`, bookingToken, {})).statusCode,
          403,
        );
        assert.equal((await api('POST', `/refills/${refillId}/sign`, bookingToken, {})).statusCode, 403);
        assert.equal((await api('GET', '/pumps/nope', nurseToken)).statusCode, 404);
        assert.equal((await api('GET', '/refills/nope', nurseToken)).statusCode, 404);
        assert.equal((await api('GET', '/patients/nobody/pumps', nurseToken)).statusCode, 404);
        assert.equal((await api('POST', '/prescriptions/nope/confirm', consultantToken, {})).statusCode, 404);
        assert.equal(
          (await api('POST', '/pump-appointments/nope', bookingToken, { state: 'missed' })).statusCode,
          404,
        );
        assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/pumps/${pumpId}` })).statusCode, 401);
      },
    );
  });
});
