import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../storage/database.ts';
import { findAppointmentById } from '../storage/appointments.repository.ts';
import { findDocument } from '../storage/documents.repository.ts';
import { listOutcomesForReferral } from '../storage/first-appointment-outcomes.repository.ts';
import { bookAppointment, cancelAppointment } from './appointment-service.ts';
import { type Actor } from './audit-service.ts';
import { recordFirstAppointmentOutcome } from './first-appointment-outcome-service.ts';
import { createPatient } from './patient-service.ts';
import { createReferral, triageReferral, type ReferralServiceDeps } from './referral-service.ts';
import { addUser } from './user-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/**
 * The first appointment's outcome as a next step, on both databases: recorded once by a
 * consultant or nurse specialist, marking the appointment attended, with the clinic letter to the
 * patient copied to the referrer; refused, storing nothing, when it cannot be.
 */
const CONTACTS = { SERVICE_PHONE: '0113 392 4000', SERVICE_EMAIL: 'itb.service@nhs.net' };
const TABLES = ['first_appointment_outcomes', 'documents', 'outbound_emails', 'audit_events'] as const;
const SLOT = { time: '10:00', clinic: 'Spasticity clinic', clinician: 'Dr Hughes' };

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    out[t] = await countRows(db, t);
  }
  return out;
}

let made = 0;
const freshUbrn = () => `7200 0000 ${String((made += 1)).padStart(4, '0')}`;

for (const dialect of DIALECTS) {
  describe(`first-appointment outcome on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: ReferralServiceDeps;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');
    let booking: Actor;
    let consultant: Actor;
    let nurse: Actor;
    let patientId: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = {
        db,
        clock,
        config: loadConfig({ ...CONTACTS, SMTP_HOST: '127.0.0.1', SMTP_FROM: 'itb@nhs.net' }),
      };
      const mk = async (username: string, role: string, displayName: string): Promise<Actor> => {
        const u = await addUser({ db, clock }, null, {
          username,
          displayName,
          role,
          password: 'a-long-test-password',
        });
        return { userId: u.id, username, role, requestId: null };
      };
      booking = await mk('bea', 'booking-coordinator', 'Bea Booker');
      consultant = await mk('cas', 'consultant', 'Dr Cas Consultant');
      nurse = await mk('nia', 'nurse-specialist', 'Nia Nurse');
      patientId = (
        await createPatient({ db, clock, timeZone: 'Europe/London' }, booking, {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
          addressLine1: '1 Park Row',
          town: 'Leeds',
          postcode: 'LS1 5AB',
        })
      ).id;
    });
    beforeEach(() => {
      clock.set('2026-11-25T10:00:00.000Z');
    });
    after(async () => {
      await database.dispose();
    });

    /** An accepted referral with an appointment booked on `date`; the referral and appointment ids. */
    const bookedOn = async (date: string) => {
      const r = await createReferral(deps, booking, { patientId }, { ...ERS_REFERRAL, ubrn: freshUbrn() });
      await triageReferral(deps, consultant, r.id, null, { outcome: 'accepted', priority: 'routine' });
      const a = await bookAppointment(deps, booking, r.id, { date, ...SLOT });
      return { referralId: r.id, appointmentId: a.id };
    };

    it('records a selection assessment, marks the appointment attended and makes the clinic letter', async () => {
      const { referralId, appointmentId } = await bookedOn('2026-11-25');
      const outcome = await recordFirstAppointmentOutcome(deps, nurse, appointmentId, null, {
        nextStep: 'selection-assessment',
        summary: 'Tone is high in both legs.\n\nWe agreed goals: easier transfers.',
      });
      assert.equal(outcome.nextStep, 'selection-assessment');
      assert.equal(outcome.patientId, patientId);
      const appointment = await findAppointmentById(deps.db, appointmentId);
      assert.ok(appointment);
      assert.equal(appointment.state, 'attended');
      assert.equal(appointment.outcomeBy, nurse.userId);
      const [stored] = await listOutcomesForReferral(deps.db, referralId);
      assert.equal(stored?.letterId, outcome.letterId);
      const letter = await findDocument(deps.db, outcome.letterId);
      assert.ok(letter);
      assert.equal(letter.kind, 'letter-clinic');
      const text = pdfText(letter.content).replace(/\s+/g, ' ');
      assert.match(text, /Dear Ann Smith/);
      assert.match(text, /1 Park Row/);
      assert.match(text, /Copy to Dr A Patel \(GP, Chapeltown Surgery\)|Copy to: Dr A Patel/);
      assert.match(text, /Tone is high in both legs\./);
      assert.match(text, /selection assessment/);
      const emails = await deps.db
        .selectFrom('outbound_emails')
        .selectAll()
        .where('document_id', '=', outcome.letterId)
        .execute();
      assert.equal(emails.length, 1);
      assert.equal(emails[0]?.to_address, 'a.patel@nhs.net');
      const audit = await deps.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'appointment.next-step')
        .where('entity_id', '=', appointmentId)
        .execute();
      assert.equal(audit.length, 1);
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });

    it('lets only consultants and nurse specialists record it', async () => {
      const { appointmentId } = await bookedOn('2026-11-25');
      await rejects(
        recordFirstAppointmentOutcome(deps, booking, appointmentId, null, {
          nextStep: 'discharge',
          summary: 'x',
        }),
        'FORBIDDEN',
      );
      await recordFirstAppointmentOutcome(deps, consultant, appointmentId, null, {
        nextStep: 'discharge',
        summary: 'Spasticity is mild and well managed.',
      });
    });

    it('refuses bad input, a future or cancelled appointment and a second outcome, storing nothing', async () => {
      const future = await bookedOn('2026-12-02');
      const before = await counts(deps.db);
      await rejects(
        recordFirstAppointmentOutcome(deps, nurse, future.appointmentId, null, {
          nextStep: 'refer-elsewhere',
          summary: 'x',
        }),
        'VALIDATION_FAILED',
        'referTo',
      );
      const notYet = await rejects(
        recordFirstAppointmentOutcome(deps, nurse, future.appointmentId, null, {
          nextStep: 'discharge',
          summary: 'x',
        }),
        'INVALID_STATE',
      );
      assert.equal(notYet.reason, 'FIRST_APPOINTMENT_NOT_YET_DUE');
      assert.deepEqual(await counts(deps.db), before);
      await cancelAppointment(deps, booking, future.appointmentId, null, {
        cancelReason: 'patient-cancelled',
      });
      const afterCancel = await counts(deps.db);
      const cancelled = await rejects(
        recordFirstAppointmentOutcome(deps, nurse, future.appointmentId, null, {
          nextStep: 'discharge',
          summary: 'x',
        }),
        'INVALID_STATE',
      );
      assert.equal(cancelled.reason, 'FIRST_APPOINTMENT_CANCELLED');
      await rejects(
        recordFirstAppointmentOutcome(deps, nurse, 'no-such-appointment', null, {
          nextStep: 'discharge',
          summary: 'x',
        }),
        'NOT_FOUND',
      );
      assert.deepEqual(await counts(deps.db), afterCancel);

      const today = await bookedOn('2026-11-25');
      await recordFirstAppointmentOutcome(deps, nurse, today.appointmentId, null, {
        nextStep: 'discharge',
        summary: 'x',
      });
      const again = await rejects(
        recordFirstAppointmentOutcome(deps, consultant, today.appointmentId, null, {
          nextStep: 'rebook',
          summary: 'y',
        }),
        'INVALID_STATE',
      );
      assert.equal(again.reason, 'FIRST_APPOINTMENT_NEXT_STEP_RECORDED');
    });

    it('refuses, storing nothing, when the letter cannot be made: no contacts, or no address', async () => {
      const { appointmentId } = await bookedOn('2026-11-25');
      const before = await counts(deps.db);
      const noContacts = { ...deps, config: loadConfig({ SERVICE_EMAIL: 'itb.service@nhs.net' }) };
      const contacts = await rejects(
        recordFirstAppointmentOutcome(noContacts, nurse, appointmentId, null, {
          nextStep: 'discharge',
          summary: 'x',
        }),
        'INVALID_STATE',
      );
      assert.equal(contacts.reason, 'LETTERS_NEED_SERVICE_CONTACTS');
      // The patient's address removed after booking (they moved and the old one was cleared).
      await deps.db
        .updateTable('patients')
        .set({ address_line1: null, postcode: null })
        .where('id', '=', patientId)
        .execute();
      try {
        const address = await rejects(
          recordFirstAppointmentOutcome(deps, nurse, appointmentId, null, {
            nextStep: 'discharge',
            summary: 'x',
          }),
          'INVALID_STATE',
        );
        assert.equal(address.reason, 'LETTER_NEEDS_PATIENT_ADDRESS');
      } finally {
        await deps.db
          .updateTable('patients')
          .set({ address_line1: '1 Park Row', postcode: 'LS1 5AB' })
          .where('id', '=', patientId)
          .execute();
      }
      assert.deepEqual(await counts(deps.db), before);
      assert.equal((await findAppointmentById(deps.db, appointmentId))?.state, 'booked');
    });

    it('after "rebook" another appointment can be booked; after any other next step it cannot', async () => {
      const rebook = await bookedOn('2026-11-25');
      await recordFirstAppointmentOutcome(deps, nurse, rebook.appointmentId, null, {
        nextStep: 'rebook',
        summary: 'We need a longer appointment with the physiotherapist.',
      });
      const next = await bookAppointment(deps, booking, rebook.referralId, { date: '2026-12-09', ...SLOT });
      assert.equal(next.state, 'booked');

      const referred = await bookedOn('2026-11-25');
      await recordFirstAppointmentOutcome(deps, consultant, referred.appointmentId, null, {
        nextStep: 'refer-elsewhere',
        summary: 'Pain is the main problem.',
        referTo: 'Leeds Pain Service',
      });
      const bar = await rejects(
        bookAppointment(deps, booking, referred.referralId, { date: '2026-12-09', ...SLOT }),
        'INVALID_STATE',
      );
      assert.equal(bar.reason, 'FIRST_APPOINTMENT_ATTENDED');
    });
  });
}
