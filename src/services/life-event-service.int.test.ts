import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { addActor, SYNCHROMED_II } from '../../test/support/service-setup.ts';
import { TEST_SERVICE_CONTACTS } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import { nhsNumberCheckDigit } from '../domain/nhs-number.ts';
import type { Role } from '../domain/roles.ts';
import { type Actor } from './audit-service.ts';
import { lifeEventLetter, type LifeEventLetterDeps } from './life-event-letter.ts';
import {
  completeLifeEventAction,
  endLifeEvent,
  patientLifeEvents,
  recordLifeEvent,
} from './life-event-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { confirmEndRequest } from './pump-end-decisions.ts';
import { pumpOverview } from './pump-overview.ts';
import { registerPump } from './pump-service.ts';
import { type RefillServiceDeps } from './refill-common.ts';
import { recordRefill } from './refill-service.ts';
import { signRefill } from './refill-sign-service.ts';
import { refillWorklist } from './worklist-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/** Today is Friday 20 November 2026 (GMT). */
const NOW = '2026-11-20T10:00:00.000Z';

const PUMP = { ...SYNCHROMED_II, catheterModel: 'Ascenda 8780', catheterTipLevel: 'T10' };

const SIMPLE_150 = {
  concentrationMcgPerMl: 500,
  phase: 'titration',
  reason: 'Test dose given at another centre',
  programme: { mode: 'simple', doseMcgPerDay: 150, schedules: [], bolus: null },
};

/** 20 mL at 150 mcg/day of 500 mcg/mL: alarm 2027-01-19, due by 2027-01-12. */
const REFILL = {
  performedOn: '2026-11-20',
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
  describe(`life events on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: LifeEventLetterDeps & RefillServiceDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let noel: Actor;
    let carla: Actor;
    let bea: Actor;
    let serial = 0;
    let people = 0;

    const actor = (username: string, role: Role) => addActor(deps, username, role, `${username} display`);
    const newPatient = async () => {
      people += 1;
      const first = `4857${String(people).padStart(5, '0')}`;
      const digit = nhsNumberCheckDigit(first);
      const nhsNumber = digit === undefined ? null : `${first}${String(digit)}`;
      if (nhsNumber === null) {
        return newPatient();
      }
      const patient = await createPatient({ db: deps.db, clock, timeZone: 'Europe/London' }, nina, {
        nhsNumber,
        givenName: `Ann${String(people)}`,
        familyName: `Lifeevent${String(people)}`,
        dateOfBirth: `1980-01-${String(people).padStart(2, '0')}`,
        sex: 'female',
        allergies: 'Penicillin',
      });
      return patient.id;
    };
    /** A pump running 150 mcg/day, filled today: due by 2027-01-12, alarm 2027-01-19. */
    const runningPump = async (patientId: string) => {
      serial += 1;
      const pump = await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: `LEV${String(serial)}H`,
      });
      const p = await proposePrescription(deps, nina, pump.id, SIMPLE_150);
      await confirmPrescription(deps, carla, p.id, {});
      const refill = await recordRefill(deps, nina, pump.id, REFILL);
      await signRefill(deps, carla, refill.id, { version: refill.version });
      return pump.id;
    };
    const onList = async (pumpId: string) =>
      (await refillWorklist(deps)).entries.find((e) => e.pumpId === pumpId);

    before(async () => {
      database = await openTestDatabase(dialect);
      const config = loadConfig(TEST_SERVICE_CONTACTS);
      deps = { db: database.handle.db, clock, config, service: config.service };
      nina = await actor('nina', 'nurse-specialist');
      noel = await actor('noel', 'nurse-specialist');
      carla = await actor('carla', 'consultant');
      bea = await actor('bea', 'booking-coordinator');
    });
    after(async () => {
      await database.dispose();
    });

    it('a pregnancy keeps the pump listed and plans a refill due around the delivery', async () => {
      const patientId = await newPatient();
      const pumpId = await runningPump(patientId);
      await rejects(
        recordLifeEvent(deps, nina, patientId, 'pregnancy', {
          expectedDeliveryOn: '2026-11-19',
          obstetricTeam: 'X',
        }),
        'VALIDATION_FAILED',
        'expectedDeliveryOn',
      );
      await rejects(
        recordLifeEvent(deps, nina, patientId, 'pregnancy', { expectedDeliveryOn: '2027-01-20' }),
        'VALIDATION_FAILED',
        'obstetricTeam',
      );
      // Due by 2027-01-12 and alarm 2027-01-19: both within 14 days of a delivery on 2027-01-20.
      const { event, endRequestIds } = await recordLifeEvent(deps, bea, patientId, 'pregnancy', {
        expectedDeliveryOn: '2027-01-20',
        obstetricTeam: 'Leeds General Infirmary maternity, Dr O Bstet',
      });
      assert.deepEqual(endRequestIds, []);
      assert.deepEqual(
        event.actions.map((a) => a.code),
        ['dose-review', 'refill-plan', 'alert-obstetric'],
      );
      const plan = event.actions[1];
      assert.ok(plan);
      assert.equal(plan.dueOn, '2027-01-06');
      assert.match(plan.detail, /book a refill before 6 January 2027/);
      assert.match(event.actions[2]?.detail ?? '', /tip at T10/);
      assert.ok(await onList(pumpId), 'still on the refill worklist');

      // Only a consultant marks the dose review done; a booking coordinator marks nothing.
      await rejects(completeLifeEventAction(deps, bea, event.id, 'refill-plan', {}), 'FORBIDDEN');
      const nurse = await rejects(
        completeLifeEventAction(deps, nina, event.id, 'dose-review', {}),
        'INVALID_STATE',
      );
      assert.equal(nurse.reason, 'ACTION_NEEDS_CONSULTANT');
      await rejects(completeLifeEventAction(deps, nina, event.id, 'no-such', {}), 'NOT_FOUND');
      await completeLifeEventAction(deps, carla, event.id, 'dose-review', { note: 'Keep the dose' });
      const twice = await rejects(
        completeLifeEventAction(deps, carla, event.id, 'dose-review', {}),
        'INVALID_STATE',
      );
      assert.equal(twice.reason, 'ACTION_ALREADY_DONE');
      await completeLifeEventAction(deps, nina, event.id, 'refill-plan', {});
      const done = await completeLifeEventAction(deps, nina, event.id, 'alert-obstetric', {});
      assert.equal(done.state, 'completed');
      const closed = await rejects(endLifeEvent(deps, nina, event.id, { reason: 'x' }), 'INVALID_STATE');
      assert.equal(closed.reason, 'LIFE_EVENT_CLOSED');
      assert.ok(await onList(pumpId), 'still on the refill worklist');
    });

    it('surgery elsewhere plans a refill before admission when it falls due during the stay, with a letter', async () => {
      const patientId = await newPatient();
      await runningPump(patientId);
      await rejects(
        recordLifeEvent(deps, nina, patientId, 'surgery-elsewhere', {
          surgeryOn: '2027-01-05',
          hospital: 'St Elsewhere',
          procedure: 'Hip replacement',
          teamContact: 'Ms Ortho',
          expectedStayDays: 'five',
        }),
        'VALIDATION_FAILED',
        'expectedStayDays',
      );
      const { event } = await recordLifeEvent(deps, nina, patientId, 'surgery-elsewhere', {
        surgeryOn: '2027-01-05',
        hospital: 'St Elsewhere Hospital',
        procedure: 'a hip replacement',
        teamContact: 'Ms H Ortho, orthopaedics',
        expectedStayDays: 10,
      });
      assert.deepEqual(
        event.actions.map((a) => [a.code, a.dueOn]),
        [
          ['letter', '2027-01-04'],
          ['refill-before-admission', '2027-01-04'],
          ['post-op-check', '2027-01-15'],
        ],
      );
      const letter = await lifeEventLetter(deps, nina, event.id);
      const text = pdfText(letter.pdf).replace(/\s+/g, ' ');
      assert.match(letter.filename, /^surgery-letter-2026-11-20\.pdf$/);
      assert.match(text, /Do not stop the pump/);
      assert.match(text, /12 January 2027/);
      assert.match(text, /St Elsewhere Hospital/);
      // An operation planned well before the refill needs no refill action.
      const early = await recordLifeEvent(deps, nina, patientId, 'surgery-elsewhere', {
        surgeryOn: '2026-12-01',
        hospital: 'St Elsewhere Hospital',
        procedure: 'a cataract operation',
        teamContact: 'Eye clinic',
        expectedStayDays: '0',
      });
      assert.deepEqual(
        early.event.actions.map((a) => a.code),
        ['letter', 'post-op-check'],
      );
      const ended = await endLifeEvent(deps, nina, early.event.id, { reason: 'Operation cancelled' });
      assert.equal(ended.state, 'ended');
    });

    it('a death asks for each pump’s end: listed and booked until a different clinician confirms', async () => {
      const patientId = await newPatient();
      const pumpId = await runningPump(patientId);
      const booked = await bookPumpAppointment(deps, nina, pumpId, { kind: 'refill', onDate: '2027-01-08' });
      await rejects(
        recordLifeEvent(deps, bea, patientId, 'death', { diedOn: '2026-11-19', source: 'GP letter' }),
        'FORBIDDEN',
      );
      await rejects(
        recordLifeEvent(deps, nina, patientId, 'death', { diedOn: '2026-08-01', source: 'GP letter' }),
        'VALIDATION_FAILED',
        'diedOn',
      );
      await rejects(
        recordLifeEvent(deps, nina, patientId, 'death', { diedOn: '2026-11-21', source: 'GP letter' }),
        'VALIDATION_FAILED',
        'diedOn',
      );
      const { event, endRequestIds } = await recordLifeEvent(deps, nina, patientId, 'death', {
        diedOn: '2026-11-19',
        source: 'Letter from the GP',
      });
      assert.equal(event.eventOn, '2026-11-19');
      assert.equal(endRequestIds.length, 1);
      assert.deepEqual(
        event.actions.map((a) => a.code),
        ['funeral-pump', 'notify-gp', 'notify-teams'],
      );
      assert.match(event.actions[0]?.detail ?? '', /GAP/);

      // First clinician only: still implanted, on the list, the refill still booked.
      let overview = await pumpOverview(deps, nina, pumpId);
      assert.equal(overview.pump.state, 'implanted');
      assert.equal(overview.endRequest?.kind, 'death');
      assert.equal(overview.appointments.find((a) => a.id === booked.id)?.state, 'booked');
      assert.deepEqual((await onList(pumpId))?.endRequest, { kind: 'death', label: 'Patient died' });

      const again = await rejects(
        recordLifeEvent(deps, noel, patientId, 'death', { diedOn: '2026-11-19', source: 'Again' }),
        'INVALID_STATE',
      );
      assert.equal(again.reason, 'DEATH_ALREADY_RECORDED');
      const after = await rejects(
        recordLifeEvent(deps, nina, patientId, 'pregnancy', {
          expectedDeliveryOn: '2027-01-20',
          obstetricTeam: 'X',
        }),
        'INVALID_STATE',
      );
      assert.equal(after.reason, 'PATIENT_DIED');

      // The one who recorded the death cannot confirm it; a different clinician can.
      await rejects(
        confirmEndRequest(deps, nina, endRequestIds[0] ?? '', {}),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      assert.ok(await onList(pumpId));
      await confirmEndRequest(deps, noel, endRequestIds[0] ?? '', {});
      assert.equal(await onList(pumpId), undefined, 'off the list once confirmed');
      overview = await pumpOverview(deps, nina, pumpId);
      assert.equal(overview.pump.state, 'deceased');
      assert.equal(overview.appointments.find((a) => a.id === booked.id)?.state, 'cancelled');
    });

    it('a transfer makes the full summary letter and keeps the pump listed until confirmed by another', async () => {
      const patientId = await newPatient();
      const pumpId = await runningPump(patientId);
      const { event, endRequestIds } = await recordLifeEvent(deps, carla, patientId, 'transfer', {
        receivingService: 'Sheffield ITB service',
        contact: 'Sister J Smith, 0114 000 0000',
        transferOn: '2026-11-20',
      });
      assert.equal(endRequestIds.length, 1);
      assert.deepEqual(
        event.actions.map((a) => [a.code, a.dueOn]),
        [
          ['letter', '2026-11-20'],
          ['receiving-accepted', '2027-01-12'],
        ],
      );
      const open = await rejects(
        recordLifeEvent(deps, carla, patientId, 'transfer', {
          receivingService: 'Elsewhere',
          contact: 'X',
          transferOn: '2026-11-20',
        }),
        'INVALID_STATE',
      );
      assert.equal(open.reason, 'TRANSFER_ALREADY_OPEN');

      const letter = await lifeEventLetter(deps, nina, event.id);
      const text = pdfText(letter.pdf).replace(/\s+/g, ' ');
      for (const fact of [
        'SynchroMed II (8637)',
        `LEV${String(serial)}H`,
        '1 September 2026',
        'Ascenda 8780',
        'T10',
        '500 mcg/ml',
        '150 mcg/day',
        '20 November 2026, 20 ml put in',
        '12 January 2027',
        '19 January 2027',
        'Penicillin',
        'Sheffield ITB service',
        'waiting for a second clinician',
      ]) {
        assert.ok(text.includes(fact), `the letter gives ${fact}: ${text}`);
      }
      assert.ok(!text.includes('[GAB-UK]'), 'source keys are left out of letters');
      const pregnancyLetter = await recordLifeEvent(deps, nina, patientId, 'pregnancy', {
        expectedDeliveryOn: '2027-06-01',
        obstetricTeam: 'Maternity',
      });
      const none = await rejects(lifeEventLetter(deps, nina, pregnancyLetter.event.id), 'INVALID_STATE');
      assert.equal(none.reason, 'NO_LETTER_FOR_EVENT');

      assert.ok(await onList(pumpId), 'listed after the first clinician');
      await rejects(
        confirmEndRequest(deps, carla, endRequestIds[0] ?? '', {}),
        'VALIDATION_FAILED',
        'checkedBy',
      );
      await confirmEndRequest(deps, nina, endRequestIds[0] ?? '', {});
      assert.equal(await onList(pumpId), undefined);
      assert.equal((await patientLifeEvents(deps, nina, patientId)).length, 2);
    });

    it('a transfer dated later asks for no end yet and keeps an action to ask for it', async () => {
      const patientId = await newPatient();
      const pumpId = await runningPump(patientId);
      const { event, endRequestIds } = await recordLifeEvent(deps, nina, patientId, 'transfer', {
        receivingService: 'Sheffield ITB service',
        contact: 'Sister J Smith',
        transferOn: '2026-12-15',
      });
      assert.deepEqual(endRequestIds, []);
      assert.deepEqual(
        event.actions.map((a) => a.code),
        ['letter', 'receiving-accepted', 'ask-end'],
      );
      assert.equal((await pumpOverview(deps, nina, pumpId)).endRequest, null);
      assert.ok(await onList(pumpId));
    });

    it(
      'two deaths recorded at the same moment: one is stored, the other is a 409',
      { skip: dialect === 'sqlite' ? 'SQLite writers queue (BEGIN IMMEDIATE)' : false },
      async () => {
        const patientId = await newPatient();
        const death = (by: Actor) =>
          recordLifeEvent(deps, by, patientId, 'death', { diedOn: '2026-11-19', source: 'GP' });
        const results = await Promise.allSettled([death(nina), death(noel)]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const lost = results.find((r) => r.status === 'rejected');
        assert.equal((lost?.reason as { reason?: string } | undefined)?.reason, 'DEATH_ALREADY_RECORDED');
        assert.equal((await patientLifeEvents(deps, nina, patientId)).length, 1);
      },
    );

    it('the audit chain holds', async () => {
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
