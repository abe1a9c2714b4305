import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXPLANT_PLAN } from '../../../../test/support/bridging-plan-fixtures.ts';
import { addTestUser, type TestApp } from '../../../../test/support/test-app.ts';
import { seedDemoTestDoses } from '../../../demo/seed-test-doses.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { createPatient } from '../../../services/patient-service.ts';
import { latestPositiveTestDose } from '../../../storage/test-doses.repository.ts';
import type { User } from '../../../storage/users.repository.ts';
import {
  NOW,
  PUMP,
  SIMPLE_100,
  PRESCRIPTION,
  FIRST_PRESCRIPTION,
  REFILL,
  type Body,
  pumpsApiCalls,
  startPumpsApi,
} from '../../../../test/support/pumps-api-fixtures.ts';

/**
 * The pumps, prescriptions and refills API beyond one pump's life: strength and programme changed
 * at a refill, the bookings a signed refill settles, a first prescription compared with the test
 * dose, a replacement registered as a new pump, and the OpenAPI document.
 */

describe('pumps, prescriptions and refills API on sqlite', () => {
  let t: TestApp;
  let nurseToken = '';
  let consultantToken = '';
  let bookingToken = '';
  let patientId = '';
  let pumpId = '';
  let secondPumpId = '';
  let tomId = '';
  let tomPumpId = '';
  let nurse: User;
  let consultant: User;

  const { ok, refused, conflict, count } = pumpsApiCalls(() => t);

  before(async () => {
    ({ t, nurse, consultant, nurseToken, consultantToken, bookingToken, patientId } = await startPumpsApi());
    // Ann's first pump, registered and explanted as pumps-api-journey.test.ts leaves it: the
    // replacement test refuses to replace another patient's ended pump.
    pumpId = (await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, PUMP)).id as string;
    const request = await ok('POST', `/pumps/${pumpId}/end-requests`, nurseToken, 201, {
      kind: 'explant',
      endedOn: '2026-11-24',
      reason: 'Removed for infection',
    });
    await ok('POST', `/pumps/${pumpId}/bridging-plans`, nurseToken, 201, EXPLANT_PLAN);
    await ok('POST', `/pump-end-requests/${request.id as string}/confirm`, consultantToken, 200, {});
  });
  after(async () => {
    await t.close();
  });

  // One journey through the API: each step uses what the step before it made, so the steps run

  // in order inside one test, and the test runs alone or in any order among the others.

  it('runs as one journey, each step in order', async (journey) => {
    await journey.test(
      'changes strength and programme at a refill: pending until the refill is signed, then active',
      async () => {
        const second = await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, {
          ...PUMP,
          serialNumber: 'NGP999999H',
        });
        const id = second.id as string;
        secondPumpId = id;
        const first = await ok(
          'POST',
          `/pumps/${id}/prescriptions`,
          consultantToken,
          201,
          FIRST_PRESCRIPTION,
        );
        await ok('POST', `/prescriptions/${first.id as string}/confirm`, nurseToken, 200, {});
        // Booked for today: the refill done today attends it when it is signed.
        const booked = await ok('POST', `/pumps/${id}/appointments`, bookingToken, 201, {
          kind: 'refill',
          onDate: '2026-11-24',
        });
        const refill = await ok('POST', `/pumps/${id}/refills`, nurseToken, 201, {
          ...REFILL,
          withdrawnMl: 5,
          concentrationMcgPerMl: 1000,
          newPrescription: { programme: { mode: 'simple', doseMcgPerDay: 120 }, phase: 'titration' },
        });
        assert.equal(refill.flagged, false);
        // 120 mcg/day at 1000 mcg/mL is 0.12 mL/day: 18 mL lasts 150 days, alarm 23 April 2027.
        assert.equal(refill.alarmOn, '2027-04-23');
        const o = await ok('GET', `/pumps/${id}`, nurseToken, 200);
        assert.equal((o.active as Body).id, first.id);
        assert.equal((o.pending as Body).refillId, refill.id);
        // The pump had no plan: the unsigned fill's dates count already, the booking is not settled.
        assert.equal((o.pump as Body).alarmOn, '2027-04-23');
        assert.equal((o.pump as Body).lastRefillId, null);
        assert.equal((o.appointments as Body[])[0]?.state, 'booked');
        // A change made at a refill is confirmed by signing the refill, not on its own.
        await conflict(
          `/prescriptions/${(o.pending as Body).id as string}/confirm`,
          consultantToken,
          {},
          'INVALID_STATE',
        );

        await ok('POST', `/refills/${refill.id as string}/sign`, consultantToken, 200, {
          version: refill.version,
        });
        const v = await ok('GET', `/refills/${refill.id as string}`, nurseToken, 200);
        assert.equal((v.prescription as Body).state, 'active');
        assert.equal((v.prescription as Body).concentrationMcgPerMl, 1000);
        assert.equal((v.previousPrescription as Body).id, first.id);
        assert.equal(v.needsReview, false);
        const after = await ok('GET', `/pumps/${id}`, nurseToken, 200);
        assert.equal((after.active as Body).concentrationMcgPerMl, 1000);
        assert.equal((after.pump as Body).alarmOn, '2027-04-23');
        assert.equal((after.pump as Body).lastRefillId, refill.id);
        assert.deepEqual(
          (after.appointments as Body[]).map((a) => [a.id, a.state]),
          [[booked.id, 'attended']],
        );
        assert.equal((after.refillStanding as Body).bookedRefillOn, null);
        assert.equal((after.refillStanding as Body).status, 'not-booked');
      },
    );

    await journey.test(
      'keeps the sooner plan until a refill is signed, then settles the bookings of the cycle it completes',
      async () => {
        const id = secondPumpId;
        const url = `/pumps/${id}/appointments`;
        const book = async (onDate: string) =>
          (await ok('POST', url, bookingToken, 201, { kind: 'refill', onDate })).id as string;
        // The last fill (24 November) alarms on 23 April 2027, due by 16 April.
        const missed = await book('2026-11-25');
        const onTheDay = await book('2026-11-27');
        const early = await book('2027-04-10');
        const nextCycle = await book('2027-05-01');
        t.clock.set('2026-11-27T10:00:00.000Z');
        try {
          // 3 days at 0.12 mL a day leaves 19.64 mL; a full 20 mL fill alarms 150 days on.
          const refill = await ok('POST', `/pumps/${id}/refills`, nurseToken, 201, {
            ...REFILL,
            performedOn: '2026-11-27',
            expectedResidualMl: 19.64,
            withdrawnMl: 19.6,
            concentrationMcgPerMl: 1000,
          });
          assert.equal(refill.alarmOn, '2027-04-26');
          assert.equal(refill.dueBy, '2027-04-19');
          // Not signed yet: the current plan runs out sooner and stays; nothing is settled.
          const before = await ok('GET', `/pumps/${id}`, nurseToken, 200);
          assert.equal((before.pump as Body).alarmOn, '2027-04-23');
          assert.equal((before.pump as Body).refillDueBy, '2027-04-16');
          const cycle = [missed, onTheDay, early, nextCycle];
          assert.deepEqual(
            (before.appointments as Body[]).filter((a) => cycle.includes(a.id as string)).map((a) => a.state),
            ['booked', 'booked', 'booked', 'booked'],
          );

          await ok('POST', `/refills/${refill.id as string}/sign`, consultantToken, 200, {
            version: refill.version,
          });
          const after = await ok('GET', `/pumps/${id}`, nurseToken, 200);
          assert.equal((after.pump as Body).alarmOn, '2027-04-26');
          assert.equal((after.pump as Body).refillDueBy, '2027-04-19');
          const byId = new Map((after.appointments as Body[]).map((a) => [a.id, a]));
          // Before the refill day: missed; on it: attended; after it up to the old due date: done
          // early, so cancelled with a note; a booking past the old due date is the next cycle's.
          assert.equal(byId.get(missed)?.state, 'missed');
          assert.equal(byId.get(onTheDay)?.state, 'attended');
          assert.equal(byId.get(early)?.state, 'cancelled');
          assert.equal(byId.get(early)?.note, 'Refilled earlier, on 27 November 2026');
          assert.equal(byId.get(nextCycle)?.state, 'booked');
          assert.equal((after.refillStanding as Body).bookedRefillOn, '2027-05-01');
          assert.equal((after.refillStanding as Body).status, 'booked-late');
        } finally {
          t.clock.set(NOW);
        }
      },
    );

    await journey.test(
      "compares a first prescription with the starting dose from the patient's positive test dose",
      async () => {
        // Tom's demo test dose: 75 mcg relieved spasticity for 4 hours, so the starting dose is
        // twice that, 150 mcg/day [LABEL-SKY], [CHEO]; the demo runs it through the services.
        const pat = await addTestUser(t, 'physiotherapist', 'pat');
        const tom = await createPatient(
          { db: t.deps.database.db, clock: t.clock, timeZone: t.deps.config.timeZone },
          actorOf(nurse, null),
          {
            nhsNumber: '9434765919',
            givenName: 'Tom',
            familyName: 'Jones',
            dateOfBirth: '1970-05-02',
            sex: 'male',
          },
        );
        await seedDemoTestDoses(
          t.deps,
          { nurse: actorOf(nurse, null), consultant: actorOf(consultant, null), physio: actorOf(pat, null) },
          [tom.id],
        );
        const test = await latestPositiveTestDose(t.deps.database.db, tom.id);
        assert.deepEqual(
          { doseMcg: test?.doseMcg, effectHours: test?.effectHours },
          { doseMcg: 75, effectHours: 4 },
          'the demo test dose this test is worked out from',
        );
        const pump = await ok('POST', `/patients/${tom.id}/pumps`, nurseToken, 201, {
          ...PUMP,
          serialNumber: 'NGP444444H',
          implantedOn: '2026-11-20',
        });
        tomId = tom.id;
        tomPumpId = pump.id as string;
        const url = `/pumps/${tomPumpId}/prescriptions`;
        const prescriptionsBefore = await count('prescriptions');
        const over =
          /starting dose from the test dose \(75 mcg\) is 150 mcg\/day; this programme can give 160 mcg a day/;
        await refused(
          url,
          nurseToken,
          { ...PRESCRIPTION, programme: { mode: 'simple', doseMcgPerDay: 160 } },
          'reason',
          over,
        );
        // Boluses count: 100 mcg/day and two 30 mcg boluses can give 160 mcg a day.
        await refused(
          url,
          nurseToken,
          {
            ...PRESCRIPTION,
            programme: { ...SIMPLE_100, bolus: { doseMcg: 30, maxPerDay: 2, lockoutMinutes: 240 } },
          },
          'reason',
          over,
        );
        assert.equal(await count('prescriptions'), prescriptionsBefore);

        const atStart = await ok('POST', url, nurseToken, 201, {
          ...PRESCRIPTION,
          programme: { mode: 'simple', doseMcgPerDay: 150 },
        });
        assert.equal(atStart.reason, null);
        assert.equal(atStart.comparedDoseMcgPerDay, 150);
        assert.equal(atStart.changePercent, 0);
        assert.equal(atStart.withinLimit, true);
      },
    );

    await journey.test(
      'records a replacement by registering the new pump; the old one ends when a second clinician confirms',
      async () => {
        // Tom's pump (implanted 20 November, first prescription waiting) is replaced today.
        const url = `/patients/${tomId}/pumps`;
        const NEW_PUMP = { ...PUMP, serialNumber: 'NGP121212H', implantedOn: '2026-11-24' };
        // Only one of this patient's pumps still implanted can be replaced.
        await refused(url, nurseToken, { ...NEW_PUMP, replacesPumpId: secondPumpId }, 'replacesPumpId');
        await refused(url, nurseToken, { ...NEW_PUMP, replacesPumpId: pumpId }, 'replacesPumpId');
        await refused(url, nurseToken, { ...NEW_PUMP, replacesPumpId: 'nope' }, 'replacesPumpId');
        await refused(
          url,
          nurseToken,
          { ...NEW_PUMP, implantedOn: '2026-11-19', replacesPumpId: tomPumpId },
          'implantedOn',
          /before the pump it replaces/,
        );
        const pumpsBefore = await count('pumps');

        const created = await ok('POST', url, nurseToken, 201, { ...NEW_PUMP, replacesPumpId: tomPumpId });
        const newId = created.id as string;
        assert.equal(created.state, 'implanted');
        assert.equal(created.replacesPumpId, tomPumpId);
        assert.equal(await count('pumps'), pumpsBefore + 1);

        // Registering asks for the old pump's end: it stays implanted and on the worklist, marked as
        // ending, until a different clinician confirms the replacement.
        const waiting = await ok('GET', `/pumps/${tomPumpId}`, nurseToken, 200);
        assert.equal((waiting.pump as Body).state, 'implanted');
        assert.deepEqual(waiting.events, []);
        const request = waiting.endRequest as Body;
        assert.equal(request.kind, 'replacement');
        assert.equal(request.endedOn, '2026-11-24');
        assert.equal(request.reason, 'Replaced by NGP121212H');
        assert.equal(request.replacementPumpId, newId);
        const listedWhileWaiting = (await ok('GET', '/worklist', nurseToken, 200)).entries as Body[];
        assert.deepEqual(listedWhileWaiting.find((e) => e.pumpId === tomPumpId)?.endRequest, {
          kind: 'replacement',
          label: 'Pump replaced by a new pump',
        });
        assert.ok(listedWhileWaiting.some((e) => e.pumpId === newId));
        // A second replacement waits for this one's decision; the one who registered it cannot confirm.
        await conflict(
          url,
          nurseToken,
          { ...NEW_PUMP, serialNumber: 'NGP141414H', replacesPumpId: tomPumpId },
          'INVALID_STATE',
        );
        await refused(`/pump-end-requests/${request.id as string}/confirm`, nurseToken, {}, 'checkedBy');
        assert.equal((await ok('GET', `/pumps/${tomPumpId}`, nurseToken, 200)).endRequest !== null, true);
        const confirmed = await ok(
          'POST',
          `/pump-end-requests/${request.id as string}/confirm`,
          consultantToken,
          200,
          {
            note: 'Operation note seen',
          },
        );
        assert.equal((confirmed.request as Body).state, 'confirmed');

        const old = await ok('GET', `/pumps/${tomPumpId}`, nurseToken, 200);
        assert.equal((old.pump as Body).state, 'replaced');
        assert.equal((old.pump as Body).endedOn, '2026-11-24');
        assert.deepEqual(
          (old.events as Body[]).map((e) => [e.kind, e.occurredOn, e.note]),
          [['replacement', '2026-11-24', 'Replaced by NGP121212H']],
        );
        // The old pump takes no more events or refills, and cannot be replaced twice.
        await conflict(
          `/pumps/${tomPumpId}/events`,
          nurseToken,
          { kind: 'eri', occurredOn: '2026-11-24' },
          'INVALID_STATE',
        );
        await conflict(`/pumps/${tomPumpId}/refills`, nurseToken, REFILL, 'INVALID_STATE');
        await refused(
          url,
          nurseToken,
          { ...NEW_PUMP, serialNumber: 'NGP131313H', replacesPumpId: tomPumpId },
          'replacesPumpId',
        );

        // The new pump is on the worklist with no fill yet; the old one has left it.
        const o = await ok('GET', `/pumps/${newId}`, nurseToken, 200);
        assert.equal((o.pump as Body).replacesPumpId, tomPumpId);
        assert.equal((o.refillStanding as Body).status, 'no-plan');
        const list = await ok('GET', '/worklist', nurseToken, 200);
        const listed = (list.entries as Body[]).map((e) => e.pumpId);
        assert.ok(listed.includes(newId), 'the new pump is on the worklist');
        assert.ok(!listed.includes(tomPumpId), 'the replaced pump is not on the worklist');
        assert.deepEqual(
          ((await ok('GET', url, nurseToken, 200)).pumps as Body[]).map((p) => [p.id, p.state]).sort(),
          [
            [newId, 'implanted'],
            [tomPumpId, 'replaced'],
          ].sort(),
        );

        // A replacement event posted on its own is refused, and nothing is recorded.
        await refused(
          `/pumps/${newId}/events`,
          nurseToken,
          { kind: 'replacement', occurredOn: '2026-11-24' },
          'kind',
          /Register the new pump/,
        );
        assert.deepEqual((await ok('GET', `/pumps/${newId}`, nurseToken, 200)).events, []);
      },
    );

    await journey.test('describes the new operations in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(res.statusCode, 200);
      const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
      const expected: [string, string][] = [
        ['/api/v1/patients/{patientId}/pumps', 'get'],
        ['/api/v1/patients/{patientId}/pumps', 'post'],
        ['/api/v1/pumps/{pumpId}', 'get'],
        ['/api/v1/pumps/{pumpId}/events', 'post'],
        ['/api/v1/pumps/{pumpId}/prescriptions', 'post'],
        ['/api/v1/prescriptions/{id}/confirm', 'post'],
        ['/api/v1/prescriptions/{id}/reject', 'post'],
        ['/api/v1/pumps/{pumpId}/refills', 'post'],
        ['/api/v1/refills/{id}', 'get'],
        ['/api/v1/refills/{id}/review', 'post'],
        ['/api/v1/refills/{id}/sign', 'post'],
        ['/api/v1/refills/{id}/amend', 'post'],
        ['/api/v1/pumps/{pumpId}/appointments', 'post'],
        ['/api/v1/pump-appointments/{id}', 'post'],
      ];
      for (const [path, method] of expected) {
        assert.ok(
          doc.paths[path]?.[method],
          `${method} ${path} missing: ${Object.keys(doc.paths).join(', ')}`,
        );
      }
      // Numbers are documented as numbers, not as the strings forms may also send.
      const refillPost = JSON.stringify(doc.paths['/api/v1/pumps/{pumpId}/refills']?.post);
      assert.match(refillPost, /"instilledMl":\{"type":"number"/);
      assert.match(refillPost, /newPrescription/);
    });
  });
});
