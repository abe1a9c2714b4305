import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { TEST_SERVICE_CONTACTS } from '../../test/support/test-app.ts';
import { loadConfig, type AppConfig } from '../config.ts';
import { bookAppointment, rebookAppointment } from './appointment-service.ts';
import type { Actor } from './audit-service.ts';
import { homeDashboard } from './dashboard-service.ts';
import { createPatient } from './patient-service.ts';
import { createReferral, triageReferral, type ReferralServiceDeps } from './referral-service.ts';
import { viewReferral } from './referral-view-service.ts';
import { addUser } from './user-service.ts';
import { waitingList } from './waiting-list-service.ts';

/**
 * An urgent referral has its own first-appointment target (WAIT_URGENT_TARGET_DAYS, 14 days by
 * default; routine keeps WAIT_TARGET_DAYS, 42), on the waiting list, the referral and the task
 * queues alike; and a first appointment after the target is booked only when the booker confirms
 * it, the confirmation kept with the appointment and audited. On both databases.
 *
 * Every referral here was received on Monday 16 November 2026; today is 25 November: the urgent
 * target is Monday 30 November, the routine one Monday 28 December.
 */
for (const dialect of DIALECTS) {
  describe(`the urgent target and booking beyond the target on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: ReferralServiceDeps;
    let config: AppConfig;
    let booking: Actor;
    let consultant: Actor;
    let patientId = '';
    let made = 0;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      config = loadConfig(TEST_SERVICE_CONTACTS);
      deps = { db, clock, config };
      const mk = async (username: string, role: string): Promise<Actor> => {
        const u = await addUser({ db, clock }, null, {
          username,
          displayName: username,
          role,
          password: 'a-long-test-password',
        });
        return { userId: u.id, username, role, requestId: null };
      };
      booking = await mk('bea', 'booking-coordinator');
      consultant = await mk('cas', 'consultant');
      patientId = (
        await createPatient({ db, clock, timeZone: 'Europe/London' }, booking, {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
          // Letters are posted: the patient needs an address for the appointment letter.
          addressLine1: '1 Park Row',
          postcode: 'LS1 5HD',
        })
      ).id;
    });
    after(async () => {
      await database.dispose();
    });

    const accepted = async (priority: 'urgent' | 'routine'): Promise<string> => {
      made += 1;
      const r = await createReferral(
        deps,
        booking,
        { patientId },
        { ...ERS_REFERRAL, ubrn: `8000 0000 ${String(made).padStart(4, '0')}` },
      );
      await triageReferral(deps, consultant, r.id, null, { outcome: 'accepted', priority });
      return r.id;
    };
    const slot = { time: '09:30', clinic: 'Spasticity clinic', clinician: 'Dr Jones' };

    it('measures an urgent referral against 14 days and a routine one against 42, everywhere', async () => {
      const urgent = await accepted('urgent');
      const routine = await accepted('routine');
      const list = await waitingList(deps);
      const of = (id: string) => list.find((i) => i.referral.id === id)?.assessment;
      assert.equal(of(urgent)?.targetDate, '2026-11-30');
      assert.equal(of(urgent)?.targetDays, 14);
      assert.equal(of(urgent)?.status, 'due-soon', '5 days left: due soon, not "not booked – 33 days"');
      assert.equal(of(routine)?.targetDate, '2026-12-28');
      assert.equal(of(routine)?.status, 'not-booked');
      assert.equal((await viewReferral(deps, booking, urgent)).wait?.targetDate, '2026-11-30');
      // Past the urgent target the home page's queue counts the urgent wait as breached.
      clock.set('2026-12-01T10:00:00.000Z');
      try {
        const later = await waitingList(deps);
        assert.equal(later.find((i) => i.referral.id === urgent)?.assessment.status, 'breached');
        assert.equal(later.find((i) => i.referral.id === routine)?.assessment.status, 'not-booked');
        const home = await homeDashboard({ db: deps.db, clock, config }, consultant);
        const breached = home.groups.flatMap((g) => g.queues).find((q) => q.key === 'waits-breached');
        assert.equal(breached?.count, 1, 'the urgent wait, and only it, is counted as breached');
      } finally {
        clock.set('2026-11-25T10:00:00.000Z');
      }
    });

    it('refuses a booking after the target without the confirmation, naming the field; stores nothing', async () => {
      const id = await accepted('urgent');
      const before = await countRows(deps.db, 'appointments');
      const err = await rejects(
        bookAppointment(deps, booking, id, { ...slot, date: '2026-12-01' }),
        'VALIDATION_FAILED',
        'confirmBeyondTarget',
      );
      assert.match(
        err.fieldErrors[0]?.message ?? '',
        /1 December 2026 is after this referral's target date, 30 November 2026/,
      );
      await rejects(
        bookAppointment(deps, booking, id, { ...slot, date: '2026-12-01', confirmBeyondTarget: 'yes' }),
        'VALIDATION_FAILED',
        'confirmBeyondTarget',
      );
      assert.equal(await countRows(deps.db, 'appointments'), before);
    });

    it('books within the target with nothing to confirm, and nothing recorded as beyond it', async () => {
      const id = await accepted('urgent');
      const a = await bookAppointment(deps, booking, id, { ...slot, date: '2026-11-30' });
      assert.equal(a.beyondTargetDate, null);
      // The same date is well within a routine referral's target.
      const r = await bookAppointment(deps, booking, await accepted('routine'), {
        ...slot,
        date: '2026-12-21',
      });
      assert.equal(r.beyondTargetDate, null);
    });

    it('books after the target when confirmed, keeping the target date and auditing it', async () => {
      const id = await accepted('urgent');
      const a = await bookAppointment(deps, booking, id, {
        ...slot,
        date: '2026-12-07',
        confirmBeyondTarget: true,
      });
      assert.equal(a.beyondTargetDate, '2026-11-30');
      const audit = await deps.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'appointment.book')
        .where('entity_id', '=', a.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual((JSON.parse(audit.details) as Record<string, unknown>).beyondTarget, {
        targetDate: '2026-11-30',
        confirmed: true,
      });
      const detail = await viewReferral(deps, booking, id);
      assert.equal(detail.wait?.status, 'will-breach');
    });

    it('asks the same of a rebooking: refused unconfirmed (the booking kept), kept when confirmed', async () => {
      const id = await accepted('urgent');
      const first = await bookAppointment(deps, booking, id, { ...slot, date: '2026-11-27' });
      const move = { ...slot, cancelReason: 'patient-cancelled', date: '2026-12-04' };
      await rejects(
        rebookAppointment(deps, booking, first.id, 1, move),
        'VALIDATION_FAILED',
        'confirmBeyondTarget',
      );
      const still = await viewReferral(deps, booking, id);
      assert.deepEqual(
        still.appointments.map((a) => [a.date, a.state]),
        [['2026-11-27', 'booked']],
      );
      const moved = await rebookAppointment(deps, booking, first.id, 1, {
        ...move,
        confirmBeyondTarget: true,
      });
      assert.equal(moved.beyondTargetDate, '2026-11-30');
      const audit = await deps.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'appointment.rebook')
        .where('entity_id', '=', moved.id)
        .executeTakeFirstOrThrow();
      assert.match(audit.details, /"beyondTarget":\{"targetDate":"2026-11-30","confirmed":true\}/);
    });
  });
}
