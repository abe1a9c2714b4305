import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import {
  fakeNotifyEnv,
  FAKE_TEMPLATES,
  startFakeNotify,
  type FakeNotify,
} from '../../test/support/fake-notify.ts';
import { loadConfig, type AppConfig } from '../config.ts';
import { notifyTransport, type ReminderTransport } from '../integrations/notify/notify-sender.ts';
import { listDueEmails } from '../storage/outbox.repository.ts';
import { cancelBookedAppointments } from '../storage/pump-appointments.repository.ts';
import { listRemindersForPatient } from '../storage/reminder-outbox.repository.ts';
import type { Actor } from './audit-service.ts';
import { saveContactPreferences } from './contact-preferences-service.ts';
import { createPatient } from './patient-service.ts';
import { bookPumpAppointment, updatePumpAppointment } from './pump-appointment-service.ts';
import { registerPump } from './pump-service.ts';
import { scheduleDueReminders, sendDueReminders } from './reminder-service.ts';
import { addUser } from './user-service.ts';

/**
 * Reminders through the outbox to a fake GOV.UK Notify on loopback, on both databases. Today is
 * Tuesday 8 December 2026, 10:00 (GMT): the 7-day window of an appointment on 15 December and
 * the 1-day window of one on 9 December are open.
 */
const NOW = '2026-12-08T10:00:00.000Z';

for (const dialect of DIALECTS) {
  describe(`patient reminders on ${dialect}`, () => {
    let database: TestDatabase;
    let fake: FakeNotify;
    let config: AppConfig;
    let transport: ReminderTransport;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let serial = 0;
    let nhs = 0;
    const NHS_NUMBERS = [
      '4857773457',
      '9434765919',
      '9434765870',
      '9434765862',
      '9434765854',
      '9434765846',
      '9434765013',
      '9434765021',
      '9434765048',
    ];
    const deps = () => ({ db: database.handle.db, clock, config });

    /** A patient with a pump, the given contact preferences and one booked appointment. */
    const patientWithAppointment = async (
      givenName: string,
      prefs: Record<string, unknown>,
      appointment: { kind: 'refill' | 'review'; onDate: string },
    ) => {
      const nhsNumber = NHS_NUMBERS[nhs] ?? '';
      nhs += 1;
      const patient = await createPatient(
        { db: database.handle.db, clock, timeZone: 'Europe/London' },
        nina,
        {
          nhsNumber,
          givenName,
          familyName: `Tester${String(nhs)}`,
          dateOfBirth: `19${String(50 + nhs)}-03-14`,
          sex: 'female',
        },
      );
      serial += 1;
      const pump = await registerPump(deps(), nina, patient.id, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: `NGP${String(serial)}REM`,
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Surgeon',
        alarmMl: 2,
        origin: 'spinal',
      });
      await saveContactPreferences(
        deps(),
        nina,
        patient.id,
        { consentDate: '2026-12-01', consentGiven: 'yes', ...prefs },
        null,
      );
      const appt = await bookPumpAppointment(deps(), nina, pump.id, appointment);
      return { patientId: patient.id, appointmentId: appt.id, pumpId: pump.id };
    };
    const rows = (patientId: string) => listRemindersForPatient(database.handle.db, patientId, 50);

    before(async () => {
      database = await openTestDatabase(dialect);
      fake = await startFakeNotify();
      config = loadConfig({
        ...fakeNotifyEnv(fake),
        SERVICE_PHONE: '0113 392 0000',
        SERVICE_ADDRESS: 'Neuro Rehabilitation Unit|Chapel Allerton Hospital|Leeds',
      });
      const notify = config.reminders.notify;
      assert.ok(notify);
      transport = notifyTransport(notify);
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username: 'nina',
        displayName: 'Nina Nurse',
        role: 'nurse-specialist',
        password: 'a-long-test-password',
      });
      nina = { userId: u.id, username: 'nina', role: 'nurse-specialist', requestId: null };
    });
    after(async () => {
      await fake.close();
      await database.dispose();
    });

    it('queues each due reminder once per channel however often and however many times at once it runs, and sends the minimum', async () => {
      clock.set(NOW);
      const ann = await patientWithAppointment(
        'Ann Marie',
        { email: 'ann@example.com', mobile: '07700 900123', channels: ['email', 'sms'] },
        { kind: 'refill', onDate: '2026-12-15' },
      );
      const first = await scheduleDueReminders(deps());
      assert.equal(first.queued, 2);
      const again = await Promise.all([scheduleDueReminders(deps()), scheduleDueReminders(deps())]);
      assert.deepEqual(
        again.map((s) => s.queued),
        [0, 0],
      );
      const queued = await rows(ann.patientId);
      assert.deepEqual(queued.map((r) => `${r.channel}:${String(r.daysBefore)}:${r.state}`).sort(), [
        'notify-email:7:pending',
        'notify-sms:7:pending',
      ]);

      const before = fake.requests.length;
      const summary = await sendDueReminders(deps(), transport);
      assert.deepEqual(summary, { sent: 2, retrying: 0, failed: 0, cancelled: 0 });
      assert.deepEqual(fake.authFailures, [], 'the client signed its JWT with the key as Notify expects');
      const sent = fake.requests.slice(before);
      const sms = sent.find((r) => r.type === 'sms');
      const email = sent.find((r) => r.type === 'email');
      assert.ok(sms && email);
      assert.equal(sms.to, '+447700900123');
      assert.equal(sms.templateId, FAKE_TEMPLATES.NOTIFY_TEMPLATE_REFILL_SMS);
      assert.equal(email.to, 'ann@example.com');
      assert.equal(email.templateId, FAKE_TEMPLATES.NOTIFY_TEMPLATE_REFILL_EMAIL);
      assert.deepEqual(sms.personalisation, {
        first_name: 'Ann',
        appointment_date: 'Tuesday 15 December 2026',
        appointment_time: 'at the time given in your appointment letter',
        place: 'Neuro Rehabilitation Unit, Chapel Allerton Hospital, Leeds',
        service_phone: '0113 392 0000',
      });
      assert.ok(sent.every((r) => r.reference !== null && !r.reference.includes(ann.patientId)));
      assert.deepEqual(
        (await rows(ann.patientId)).map((r) => r.state),
        ['sent', 'sent'],
      );
      // Later the same day nothing new is due; on 14 December at 09:00 the 1-day reminders are.
      clock.set('2026-12-08T16:00:00.000Z');
      assert.equal((await scheduleDueReminders(deps())).queued, 0);
      clock.set('2026-12-14T09:00:00.000Z');
      assert.equal((await scheduleDueReminders(deps())).queued, 2);
      assert.equal((await sendDueReminders(deps(), transport)).sent, 2);
      clock.set('2026-12-15T08:00:00.000Z');
      assert.equal((await scheduleDueReminders(deps())).queued, 0, 'nothing on the day itself');
    });

    it('retries a reminder Notify failed with 500 then 429, backing off, and sends it the third time', async () => {
      clock.set(NOW);
      const bob = await patientWithAppointment(
        'Bob',
        { mobile: '+44 7700 900456', channels: ['sms'] },
        { kind: 'review', onDate: '2026-12-09' },
      );
      assert.equal((await scheduleDueReminders(deps())).queued, 1);
      fake.failNext(500, 429);
      assert.deepEqual(await sendDueReminders(deps(), transport), {
        sent: 0,
        retrying: 1,
        failed: 0,
        cancelled: 0,
      });
      assert.deepEqual(
        await sendDueReminders(deps(), transport),
        { sent: 0, retrying: 0, failed: 0, cancelled: 0 },
        'not before its back-off',
      );
      clock.advanceSeconds(60);
      assert.equal((await sendDueReminders(deps(), transport)).retrying, 1);
      let [row] = await rows(bob.patientId);
      assert.ok(row);
      assert.equal(row.attempts, 2);
      assert.match(row.lastError ?? '', /^HTTP 429 RateLimitError/);
      clock.advanceSeconds(120);
      assert.equal((await sendDueReminders(deps(), transport)).sent, 1);
      [row] = await rows(bob.patientId);
      assert.ok(row);
      assert.equal(row.state, 'sent');
      assert.equal(row.attempts, 3);
      assert.equal(fake.requests.filter((r) => r.to === '+447700900456').length, 3);
      assert.equal(fake.requests.at(-1)?.templateId, FAKE_TEMPLATES.NOTIFY_TEMPLATE_REVIEW_SMS);
    });

    it('marks a reminder Notify refuses with 400 failed at once and never tries it again', async () => {
      clock.set(NOW);
      const cat = await patientWithAppointment(
        'Cat',
        { mobile: '07700 900789', channels: ['sms'] },
        { kind: 'refill', onDate: '2026-12-09' },
      );
      await scheduleDueReminders(deps());
      fake.failNext(400);
      assert.deepEqual(await sendDueReminders(deps(), transport), {
        sent: 0,
        retrying: 0,
        failed: 1,
        cancelled: 0,
      });
      clock.advanceSeconds(3 * 3600);
      await sendDueReminders(deps(), transport);
      const [row] = await rows(cat.patientId);
      assert.ok(row);
      assert.equal(row.state, 'failed');
      assert.equal(row.attempts, 1);
      assert.match(row.lastError ?? '', /HTTP 400 BadRequestError/);
      assert.equal(fake.requests.filter((r) => r.to === '+447700900789').length, 1);
    });

    it('cancels unsent reminders when the appointment is cancelled, consent is withdrawn or the number changes', async () => {
      clock.set(NOW);
      const dan = await patientWithAppointment(
        'Dan',
        { email: 'dan@example.com', mobile: '07700 900321', channels: ['sms', 'email'] },
        { kind: 'refill', onDate: '2026-12-10' },
      );
      const eve = await patientWithAppointment(
        'Eve',
        { mobile: '07700 900654', channels: ['sms'] },
        { kind: 'refill', onDate: '2026-12-11' },
      );
      assert.equal((await scheduleDueReminders(deps())).queued, 3);
      // Dan's appointment is cancelled: both of his reminders are cancelled with it.
      await updatePumpAppointment(deps(), nina, dan.appointmentId, { state: 'cancelled' });
      assert.deepEqual(
        (await rows(dan.patientId)).map((r) => `${r.state}:${r.cancelReason ?? ''}`),
        ['cancelled:appointment cancelled', 'cancelled:appointment cancelled'],
      );
      // Eve changes her number, then withdraws consent before anything is sent.
      await saveContactPreferences(
        deps(),
        nina,
        eve.patientId,
        { mobile: '07700 900999', channels: ['sms'], consentGiven: 'yes', consentDate: '2026-12-08' },
        null,
      );
      assert.equal((await rows(eve.patientId))[0]?.toAddress, '+447700900999');
      await saveContactPreferences(
        deps(),
        nina,
        eve.patientId,
        { mobile: '07700 900999', channels: ['sms'], consentGiven: 'no', consentDate: '2026-12-08' },
        2,
      );
      assert.equal((await rows(eve.patientId))[0]?.cancelReason, 'consent withdrawn');
      const before = fake.requests.length;
      const summary = await sendDueReminders(deps(), transport);
      assert.equal(summary.sent, 0);
      assert.equal(fake.requests.length, before, 'nothing left for Notify');
      // Re-running the job after withdrawal queues nothing for Eve (no consent) or Dan (no booking).
      assert.equal((await scheduleDueReminders(deps())).queued, 0);
    });

    it('checks again just before sending: a reminder queued for a day the appointment no longer has is cancelled', async () => {
      clock.set(NOW);
      const fay = await patientWithAppointment(
        'Fay',
        { email: 'fay@example.com', channels: ['email'] },
        { kind: 'review', onDate: '2026-12-12' },
      );
      await scheduleDueReminders(deps());
      // The appointment day starts before the reminder could be sent (the sender was down).
      clock.set('2026-12-12T00:30:00.000Z');
      const summary = await sendDueReminders(deps(), transport);
      assert.equal(summary.cancelled, 1);
      assert.equal((await rows(fay.patientId))[0]?.cancelReason, 'too late: the appointment day has started');
    });

    it('cancels reminders when the pump ends, and never hands a reminder to the SMTP sender', async () => {
      clock.set(NOW);
      const hal = await patientWithAppointment(
        'Hal',
        { email: 'hal@example.com', channels: ['email'] },
        { kind: 'review', onDate: '2026-12-13' },
      );
      assert.equal((await scheduleDueReminders(deps())).queued, 1);
      const smtpDue = await listDueEmails(database.handle.db, NOW, 100);
      assert.ok(smtpDue.every((e) => e.purpose !== 'reminder'));
      await database.handle.db
        .transaction()
        .execute((trx) => cancelBookedAppointments(trx, hal.pumpId, 'Pump explanted', nina.userId, NOW));
      assert.equal((await rows(hal.patientId))[0]?.state, 'cancelled');
    });

    it('refuses a stale edit of the preferences and an invalid number, naming the field', async () => {
      clock.set(NOW);
      const gil = await patientWithAppointment(
        'Gil',
        { mobile: '07700 900111', channels: ['sms'] },
        { kind: 'refill', onDate: '2026-12-20' },
      );
      const input = {
        mobile: '07700 900112',
        channels: ['sms'],
        consentGiven: 'yes',
        consentDate: '2026-12-01',
      };
      const stale = await saveContactPreferences(deps(), nina, gil.patientId, input, 0).catch(
        (e: unknown) => e,
      );
      assert.equal((stale as { code?: string }).code, 'STALE_EDIT');
      const invalid = await saveContactPreferences(
        deps(),
        nina,
        gil.patientId,
        { ...input, mobile: '0113 243 3144' },
        1,
      ).catch((e: unknown) => e);
      assert.equal((invalid as { code?: string }).code, 'VALIDATION_FAILED');
      assert.match(JSON.stringify(invalid), /mobile/);
    });

    it('without a Notify key queues nothing and says why', async () => {
      const off = await scheduleDueReminders({
        ...deps(),
        config: loadConfig({ SERVICE_PHONE: '0113 392 0000' }),
      });
      assert.equal(off.queued, 0);
      assert.match(off.off ?? '', /NOTIFY_API_KEY is not set/);
    });
  });
}
