import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
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
import { adviceCallLog, logAdviceCall, patientAdviceCalls } from './advice-call-service.ts';
import type { Actor } from './audit-service.ts';
import {
  alertsForRecord,
  closeEmergencyEvent,
  openEmergencyEvents,
  openEventCount,
  patientEmergencyEvents,
  recordEmergencyEvent,
} from './emergency-event-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { registerPump } from './pump-service.ts';

/** Today is Friday 20 November 2026 (GMT). */
const NOW = '2026-11-20T10:00:00.000Z';

const WITHDRAWAL = {
  kind: 'withdrawal',
  onsetAt: '2026-11-20T08:30:00Z',
  signs: ['itch', 'fever'],
  actionsTaken: 'Told to attend A&E; ITB team told',
};

for (const dialect of DIALECTS) {
  describe(`emergency events and advice-line calls on ${dialect}`, () => {
    let database: TestDatabase;
    const clock = new TestClock(NOW);
    let deps: { db: TestDatabase['handle']['db']; clock: TestClock; config: ReturnType<typeof loadConfig> };
    let nina: Actor;
    let carla: Actor;
    let pete: Actor;
    let bea: Actor;
    let ann = '';
    let bob = '';
    let annPump = '';

    const audits = (action: string) => auditCount(deps.db, action);

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: loadConfig({}) };
      nina = await addActor(deps, 'nina', 'nurse-specialist');
      carla = await addActor(deps, 'carla', 'consultant');
      pete = await addActor(deps, 'pete', 'physiotherapist');
      bea = await addActor(deps, 'bea', 'booking-coordinator');
      ann = await addPatient(deps, nina, ANN_SMITH);
      bob = await addPatient(deps, nina, BOB_JONES);
      annPump = (await registerPump(deps, nina, ann, { ...SYNCHROMED_II, serialNumber: 'NGP100H' })).id;
    });
    after(async () => {
      await database.dispose();
    });

    it('records an open event linked to the implanted pump, audited, and shown as an alert on the pump', async () => {
      clock.set(NOW);
      const e = await recordEmergencyEvent(deps, nina, ann, WITHDRAWAL);
      assert.equal(e.state, 'open');
      assert.equal(e.pumpId, annPump);
      assert.deepEqual(e.signs, ['itch', 'fever']);
      assert.equal(e.recordedByName, 'nina');
      assert.equal(await audits('emergency.record'), 1);
      assert.deepEqual(
        (await openEmergencyEvents(deps.db, ann)).map((x) => x.id),
        [e.id],
      );
      assert.deepEqual(
        (await alertsForRecord(deps, 'pump', annPump)).map((x) => x.id),
        [e.id],
      );
      assert.deepEqual(await alertsForRecord(deps, 'patient', bob), []);
      assert.deepEqual(await alertsForRecord(deps, 'pump', 'no-such-pump'), []);
      assert.equal(await openEventCount(deps), 1);
    });

    it('records an event for a patient with no pump, unlinked; a physiotherapist may raise it', async () => {
      const e = await recordEmergencyEvent(deps, pete, bob, {
        kind: 'overdose',
        onsetAt: '2026-11-20T09:00:00+00:00',
        signs: ['drowsiness', 'respiratory-depression'],
        actionsTaken: '999 called',
      });
      assert.equal(e.pumpId, null);
      assert.equal(e.kind, 'overdose');
    });

    it('refuses a booking coordinator, bad fields with their names, and an unknown patient; nothing stored', async () => {
      const before = await countRows(deps.db, 'emergency_events');
      await rejects(recordEmergencyEvent(deps, bea, ann, WITHDRAWAL), 'FORBIDDEN');
      await rejects(
        recordEmergencyEvent(deps, nina, ann, { ...WITHDRAWAL, signs: [] }),
        'VALIDATION_FAILED',
        'signs',
      );
      await rejects(
        recordEmergencyEvent(deps, nina, ann, { ...WITHDRAWAL, signs: ['drowsiness'] }),
        'VALIDATION_FAILED',
        'signs',
      );
      await rejects(
        recordEmergencyEvent(deps, nina, ann, { ...WITHDRAWAL, onsetAt: '2026-11-21T08:00:00Z' }),
        'VALIDATION_FAILED',
        'onsetAt',
      );
      await rejects(
        recordEmergencyEvent(deps, nina, ann, { ...WITHDRAWAL, actionsTaken: ' ' }),
        'VALIDATION_FAILED',
        'actionsTaken',
      );
      await rejects(recordEmergencyEvent(deps, nina, 'no-such-patient', WITHDRAWAL), 'NOT_FOUND');
      assert.equal(await countRows(deps.db, 'emergency_events'), before);
    });

    it('closes only as a consultant, once: the outcome and who are kept, the alert goes', async () => {
      const e = await recordEmergencyEvent(deps, nina, ann, {
        ...WITHDRAWAL,
        kind: 'critical-alarm',
        signs: [],
      });
      await rejects(
        closeEmergencyEvent(deps, nina, e.id, { outcome: 'resolved', outcomeNote: 'Refilled' }),
        'FORBIDDEN',
      );
      await rejects(
        closeEmergencyEvent(deps, carla, e.id, { outcome: 'resolved' }),
        'VALIDATION_FAILED',
        'outcomeNote',
      );
      const closed = await closeEmergencyEvent(deps, carla, e.id, {
        outcome: 'resolved',
        outcomeNote: 'Pump refilled, delivery restored',
      });
      assert.equal(closed.state, 'closed');
      assert.equal(closed.closedByName, 'carla');
      assert.equal(closed.outcome, 'resolved');
      const again = await rejects(
        closeEmergencyEvent(deps, carla, e.id, { outcome: 'other', outcomeNote: 'Again' }),
        'INVALID_STATE',
      );
      assert.equal(again.reason, 'EMERGENCY_EVENT_CLOSED');
      assert.ok(!(await openEmergencyEvents(deps.db, ann)).some((x) => x.id === e.id));
      assert.equal(await audits('emergency.close'), 1);
    });

    it('two consultants closing at the same moment: one closes, the other is refused', async () => {
      const e = await recordEmergencyEvent(deps, nina, ann, WITHDRAWAL);
      const other = await addActor(deps, 'colin', 'consultant');
      const results = await Promise.allSettled([
        closeEmergencyEvent(deps, carla, e.id, { outcome: 'resolved', outcomeNote: 'One' }),
        closeEmergencyEvent(deps, other, e.id, { outcome: 'admitted', outcomeNote: 'Two' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it("lists a patient's events open first, audited", async () => {
      const events = await patientEmergencyEvents(deps, bea, ann);
      assert.equal(events[0]?.state, 'open');
      assert.ok(events.some((x) => x.state === 'closed'));
      assert.ok((await audits('emergency.view')) >= 1);
    });

    it('logs a call with a booked appointment as its follow-up, and suggests an event for reported signs', async () => {
      const appointment = await bookPumpAppointment(deps, nina, annPump, {
        kind: 'refill',
        onDate: '2026-11-25',
      });
      const logged = await logAdviceCall(deps, nina, {
        calledAt: '2026-11-20T09:45:00Z',
        patientId: ann,
        callerKind: 'carer',
        callerName: 'Mr Smith',
        reason: 'alarm-low-reservoir',
        withdrawalSigns: ['itch'],
        adviceGiven: 'Refill booked for Wednesday; go to A&E if it changes to two tones',
        followUp: 'appointment',
        appointmentId: appointment.id,
      });
      assert.equal(logged.call.appointmentId, appointment.id);
      assert.deepEqual(logged.suggestedEvents, ['withdrawal']);
      assert.equal(await audits('advice-call.log'), 1);
      const e = await recordEmergencyEvent(deps, nina, ann, { ...WITHDRAWAL, adviceCallId: logged.call.id });
      assert.equal(e.adviceCallId, logged.call.id);
      await rejects(
        recordEmergencyEvent(deps, nina, bob, { ...WITHDRAWAL, adviceCallId: logged.call.id }),
        'VALIDATION_FAILED',
        'adviceCallId',
      );
    });

    it('logs an unknown caller by identity; refuses urgent calls with no follow-up and foreign appointments', async () => {
      const call = await logAdviceCall(deps, carla, {
        calledAt: '2026-11-20T09:50:00Z',
        callerKind: 'emergency-department',
        callerIdentity: 'Dr Patel, Leeds General A&E, about a man with a pump alarming',
        reason: 'alarm-critical',
        adviceGiven: 'Interrogate the pump; oral baclofen cover; we will attend',
        followUp: 'emergency-department',
      });
      assert.equal(call.call.patientId, null);
      assert.deepEqual(call.suggestedEvents, []);
      const before = await countRows(deps.db, 'advice_calls');
      await rejects(
        logAdviceCall(deps, nina, {
          calledAt: '2026-11-20T09:50:00Z',
          patientId: bob,
          callerKind: 'patient',
          reason: 'alarm-critical',
          adviceGiven: 'Nothing',
          followUp: 'none',
          followUpNote: 'Fine',
        }),
        'VALIDATION_FAILED',
        'followUp',
      );
      const annAppointment = await bookPumpAppointment(deps, nina, annPump, {
        kind: 'review',
        onDate: '2026-12-01',
      });
      await rejects(
        logAdviceCall(deps, nina, {
          calledAt: '2026-11-20T09:50:00Z',
          patientId: bob,
          callerKind: 'patient',
          reason: 'refill-or-appointment',
          adviceGiven: 'Booked',
          followUp: 'appointment',
          appointmentId: annAppointment.id,
        }),
        'VALIDATION_FAILED',
        'appointmentId',
      );
      await rejects(
        logAdviceCall(deps, bea, {
          calledAt: '2026-11-20T09:50:00Z',
          patientId: bob,
          callerKind: 'patient',
          reason: 'other',
          adviceGiven: 'x',
          followUp: 'none',
          followUpNote: 'x',
        }),
        'FORBIDDEN',
      );
      assert.equal(await countRows(deps.db, 'advice_calls'), before);
      assert.equal((await patientAdviceCalls(deps, bea, ann)).length, 1);
      const log = await adviceCallLog(deps, bea, { page: 1, pageSize: 50 });
      assert.equal(log.total, 2);
      assert.equal(log.rows[0]?.patient, null, 'newest first: the unknown caller');
    });
  });
}
