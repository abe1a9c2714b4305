import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { countRows, rejects } from '../../test/support/assertions.ts';
import type { Db } from '../storage/database.ts';
import { TestClock } from '../../test/support/clock.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { buildReferralEmail, TINY_PDF } from '../../test/support/referral-email.ts';
import { loadConfig, type AppConfig } from '../config.ts';
import { findDocument, listDocuments } from '../storage/documents.repository.ts';
import {
  bookAppointment,
  cancelAppointment,
  rebookAppointment,
  recordOutcome,
} from './appointment-service.ts';
import { type Actor } from './audit-service.ts';
import { ingestEmail, viewIntakeItem } from './intake-service.ts';
import { createPatient } from './patient-service.ts';
import { attachLetter } from './referral-documents.ts';
import { triageQueue } from './triage-queue-service.ts';
import { createReferral, triageReferral, type ReferralServiceDeps } from './referral-service.ts';
import { viewReferral } from './referral-view-service.ts';
import { sendDueEmails } from './outbox-service.ts';
import { addUser } from './user-service.ts';
import { waitingList } from './waiting-list-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

const ERS = ERS_REFERRAL;

const tables = [
  'referrals',
  'triage_decisions',
  'appointments',
  'documents',
  'intake_items',
  'outbound_emails',
] as const;
async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    out[t] = await countRows(db, t);
  }
  return out;
}

let made = 0;
/** A UBRN no other test's referral has, so every test's referral is its own. */
function freshUbrn(): string {
  made += 1;
  return `7000 0000 ${String(made).padStart(4, '0')}`;
}

for (const dialect of DIALECTS) {
  describe(`referrals, triage and first appointments on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: ReferralServiceDeps;
    let config: AppConfig;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');
    let booking: Actor;
    let consultant: Actor;
    let nurse: Actor;
    let patientId: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      config = loadConfig({
        SMTP_HOST: '127.0.0.1',
        SMTP_FROM: 'itb@nhs.net',
        SERVICE_PHONE: '0113 000 0000',
        SERVICE_EMAIL: 'itb.service@nhs.net',
      });
      deps = { db, clock, config };
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
      const p = await createPatient({ db, clock, timeZone: 'Europe/London' }, booking, {
        nhsNumber: '4857773457',
        givenName: 'Ann',
        familyName: 'Smith',
        dateOfBirth: '1961-03-14',
        sex: 'female',
        addressLine1: '1 Park Row',
        town: 'Leeds',
        postcode: 'LS1 5AB',
      });
      patientId = p.id;
    });
    beforeEach(() => {
      // Tests that move the clock to an appointment's day do not move it for the next.
      clock.set('2026-11-25T10:00:00.000Z');
    });
    after(async () => {
      await database.dispose();
    });

    /** An e-RS referral of this test's own, waiting for triage. */
    const newReferral = () => createReferral(deps, booking, { patientId }, { ...ERS, ubrn: freshUbrn() });
    /** An e-RS referral of this test's own, accepted (as urgent unless said); its id. */
    const acceptedReferral = async (priority: 'urgent' | 'routine' = 'urgent'): Promise<string> => {
      const r = await newReferral();
      await triageReferral(deps, consultant, r.id, null, { outcome: 'accepted', priority });
      return r.id;
    };

    it('refuses bad input and stores nothing', async () => {
      const before = await counts(deps.db);
      await rejects(
        createReferral(deps, booking, { patientId }, { ...ERS, ubrn: '1234' }),
        'VALIDATION_FAILED',
        'ubrn',
      );
      await rejects(
        createReferral(deps, booking, { nhsNumber: '9434765919' }, ERS),
        'VALIDATION_FAILED',
        'nhsNumber',
      );
      await rejects(
        createReferral(deps, booking, { patientId: 'no-such-id' }, ERS),
        'VALIDATION_FAILED',
        'patientId',
      );
      await rejects(
        createReferral(deps, booking, { patientId }, { ...ERS, reason: '' }),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.deepEqual(await counts(deps.db), before);
    });

    it('records an e-RS referral matched by NHS number, and refuses the same UBRN twice', async () => {
      const r = await createReferral(deps, booking, { nhsNumber: '485 777 3457' }, ERS);
      const referralId = r.id;
      assert.equal(r.patientId, patientId);
      assert.equal(r.ubrn, '000012345678');
      assert.equal(r.state, 'awaiting-triage');
      const err = await rejects(
        createReferral(deps, booking, { patientId }, { ...ERS, ubrn: '000012345678' }),
        'DUPLICATE_UBRN',
        'ubrn',
      );
      assert.equal(err.details.existingReferralId, referralId);
    });

    it('keeps an attached PDF letter and refuses a file that is not a PDF', async () => {
      const referralId = (await newReferral()).id;
      const doc = await attachLetter(deps, booking, referralId, {
        filename: '../../etc/letter.pdf',
        content: TINY_PDF,
      });
      assert.equal(doc.filename, 'letter.pdf');
      await rejects(
        attachLetter(deps, booking, referralId, { filename: 'x.pdf', content: Buffer.from('hello') }),
        'VALIDATION_FAILED',
        'file',
      );
    });

    it('lists the referral in the triage queue with days and working days waited', async () => {
      const referralId = (await newReferral()).id;
      const queue = await triageQueue(deps);
      const item = queue.find((i) => i.referral.id === referralId);
      assert.ok(item);
      assert.equal(item.daysWaiting, 9);
      assert.equal(item.workingDaysWaiting, 7);
      assert.equal(item.overdue, true);
    });

    it('lets only consultants triage', async () => {
      const referralId = (await newReferral()).id;
      const before = await counts(deps.db);
      await rejects(
        triageReferral(deps, nurse, referralId, null, { outcome: 'accepted', priority: 'routine' }),
        'FORBIDDEN',
      );
      await rejects(
        triageReferral(deps, booking, referralId, null, { outcome: 'accepted', priority: 'routine' }),
        'FORBIDDEN',
      );
      assert.deepEqual(await counts(deps.db), before);
    });

    it('accepts a referral, makes the acknowledgement letter and queues it to the referrer', async () => {
      const referralId = (await newReferral()).id;
      await rejects(
        triageReferral(deps, consultant, referralId, null, { outcome: 'accepted' }),
        'VALIDATION_FAILED',
        'priority',
      );
      const { referral, decision, letterId } = await triageReferral(deps, consultant, referralId, 1, {
        outcome: 'accepted',
        priority: 'urgent',
      });
      assert.equal(referral.state, 'accepted');
      assert.equal(referral.priority, 'urgent');
      assert.equal(referral.acceptedOn, '2026-11-25');
      assert.equal(decision.decidedByName, 'Dr Cas Consultant');
      const letter = await findDocument(deps.db, letterId);
      assert.ok(letter);
      assert.equal(letter.kind, 'letter-acknowledgement');
      const text = pdfText(letter.content);
      assert.match(text, /Ann Smith/);
      // Urgent: the urgent target, 14 days from 16 November 2026, not the routine 28 December.
      assert.match(text, /30 November 2026/);
      assert.doesNotMatch(text, /28 December 2026/);
      const emails = await deps.db
        .selectFrom('outbound_emails')
        .selectAll()
        .where('referral_id', '=', referralId)
        .execute();
      assert.equal(emails.length, 1);
      assert.equal(emails[0]?.to_address, 'a.patel@nhs.net');
    });

    it('changes a decision only with a reason, keeping both', async () => {
      const referralId = await acceptedReferral();
      await rejects(
        triageReferral(deps, consultant, referralId, null, { outcome: 'accepted', priority: 'routine' }),
        'VALIDATION_FAILED',
        'reason',
      );
      const { referral } = await triageReferral(deps, consultant, referralId, null, {
        outcome: 'accepted',
        priority: 'routine',
        reason: 'Reviewed with the GP: not urgent',
      });
      assert.equal(referral.priority, 'routine');
      assert.equal(referral.acceptedOn, '2026-11-25', 'a priority change does not restart the clock');
      const detail = await viewReferral(deps, nurse, referralId);
      assert.equal(detail.decisions.length, 2);
      assert.equal(detail.decisions[1]?.changeReason, 'Reviewed with the GP: not urgent');
    });

    it('refuses a stale triage, saying when the referral changed in the UK date-time style', async () => {
      const referralId = await acceptedReferral();
      const err = await rejects(
        triageReferral(deps, consultant, referralId, 1, {
          outcome: 'accepted',
          priority: 'urgent',
          reason: 'x',
        }),
        'STALE_EDIT',
      );
      // Not the stored "2026-11-25T10:00:00.000Z": people read 25 November 2026, 10:00 (GMT).
      assert.match(err.message, /changed this referral on 25 November 2026, 10:00 after you opened it/);
    });

    it('books, rebooks, cancels and records the outcome of the first appointment', async () => {
      const referralId = await acceptedReferral('routine');
      await rejects(
        bookAppointment(deps, booking, referralId, {
          date: '2026-11-10',
          time: '09:30',
          clinic: 'Clinic A',
          clinician: 'Dr Jones',
        }),
        'VALIDATION_FAILED',
        'date',
      );
      const first = await bookAppointment(deps, booking, referralId, {
        date: '2026-12-01',
        time: '09:30',
        clinic: 'Spasticity clinic',
        clinician: 'Dr Jones',
      });
      const twice = await rejects(
        bookAppointment(deps, booking, referralId, {
          date: '2026-12-02',
          time: '09:30',
          clinic: 'A',
          clinician: 'B',
        }),
        'INVALID_STATE',
      );
      assert.equal(twice.reason, 'FIRST_APPOINTMENT_ALREADY_BOOKED');
      await rejects(
        cancelAppointment(deps, booking, first.id, 1, { cancelReason: 'did-not-attend' }),
        'VALIDATION_FAILED',
        'cancelReason',
      );
      const second = await rebookAppointment(deps, booking, first.id, 1, {
        cancelReason: 'patient-cancelled',
        date: '2026-12-08',
        time: '14:00',
        clinic: 'Spasticity clinic',
        clinician: 'Dr Jones',
      });
      assert.equal(second.rebookedFrom, first.id);
      let list = await waitingList(deps);
      assert.equal(list.find((i) => i.referral.id === referralId)?.assessment.status, 'booked-within-target');
      const early = await rejects(
        recordOutcome(deps, booking, second.id, 1, { outcomeNote: 'Seen' }),
        'INVALID_STATE',
      );
      assert.equal(early.reason, 'FIRST_APPOINTMENT_NOT_YET_DUE');
      clock.set('2026-12-08T16:00:00.000Z');
      const seen = await recordOutcome(deps, booking, second.id, 1, {
        outcomeNote: 'Seen: proceed to assessment',
      });
      assert.equal(seen.state, 'attended');
      list = await waitingList(deps);
      assert.equal(
        list.find((i) => i.referral.id === referralId),
        undefined,
        'seen patients leave the waiting list',
      );
      const detail = await viewReferral(deps, nurse, referralId);
      assert.equal(detail.wait?.status, 'seen-within-target');
      assert.equal(detail.documents.filter((d) => d.kind === 'letter-appointment').length, 2);
    });

    it('refuses to change the decision away from accepted once the patient has been seen', async () => {
      const referralId = await acceptedReferral();
      const booked = await bookAppointment(deps, booking, referralId, {
        date: '2026-11-25',
        time: '09:30',
        clinic: 'Spasticity clinic',
        clinician: 'Dr Jones',
      });
      const appointmentId = (
        await recordOutcome(deps, booking, booked.id, 1, { outcomeNote: 'Seen: proceed to assessment' })
      ).id;
      const refusal = await rejects(
        triageReferral(deps, consultant, referralId, null, {
          outcome: 'not-accepted',
          advice: 'x',
          reason: 'y',
        }),
        'INVALID_STATE',
      );
      assert.equal(refusal.reason, 'REFERRAL_HAS_APPOINTMENT');
      assert.ok(appointmentId);
    });

    it('makes the advice letter for a referral not accepted, with the advice verbatim', async () => {
      const r = await createReferral(deps, booking, { patientId }, { ...ERS, ubrn: '111122223333' });
      await rejects(
        triageReferral(deps, consultant, r.id, null, { outcome: 'not-accepted' }),
        'VALIDATION_FAILED',
        'advice',
      );
      const { letterId } = await triageReferral(deps, consultant, r.id, null, {
        outcome: 'not-accepted',
        advice: 'Please try a course of botulinum toxin injections first.',
      });
      const letter = await findDocument(deps.db, letterId);
      assert.ok(letter);
      assert.equal(letter.kind, 'letter-advice');
      assert.match(pdfText(letter.content), /Please try a course of botulinum toxin injections first\./);
      const list = await waitingList(deps);
      assert.equal(
        list.find((i) => i.referral.id === r.id),
        undefined,
      );
    });

    it('sends queued letters through the transport and records failures for retry', async () => {
      await acceptedReferral(); // its acknowledgement letter is queued to the referrer
      const sent: string[] = [];
      const first = await sendDueEmails(deps, {
        send: (e) => {
          sent.push(e.to);
          assert.equal(e.attachments[0]?.contentType, 'application/pdf');
          return Promise.resolve({ messageId: 'x' });
        },
      });
      assert.ok(first.sent >= 1);
      assert.equal((await sendDueEmails(deps, { send: () => Promise.reject(new Error('nope')) })).sent, 0);
      assert.ok(sent.every((to) => to === 'a.patel@nhs.net'));
    });

    it('takes in an email once, offers the NHS number match, and makes it a referral', async () => {
      const raw = await buildReferralEmail({ messageId: `<ref-1@${dialect}.nhs.net>`, withPdf: true });
      const first = await ingestEmail(deps, null, raw, 'imap');
      const again = await ingestEmail(deps, null, raw, 'upload');
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      assert.equal(again.item.id, first.item.id);
      const detail = await viewIntakeItem(deps, booking, first.item.id);
      assert.deepEqual(
        detail.matches.map((p) => p.id),
        [patientId],
      );
      assert.deepEqual(detail.documents.map((d) => d.kind).sort(), ['attachment', 'original-email']);
      const referral = await createReferral(
        deps,
        booking,
        { patientId },
        { ...ERS, source: 'email', ubrn: '', referrerOdsCode: '', referrerGrade: 'consultant' },
        { intakeItemId: first.item.id, version: first.item.version },
      );
      assert.equal(referral.intakeItemId, first.item.id);
      const docs = await listDocuments(deps.db, { referralId: referral.id });
      assert.equal(docs.length, 2, 'the email and its attachment stay with the referral');
      const converted = await rejects(
        createReferral(
          deps,
          booking,
          { patientId },
          { ...ERS, source: 'email', ubrn: '', referrerGrade: 'consultant' },
          {
            intakeItemId: first.item.id,
            version: first.item.version,
          },
        ),
        'INVALID_STATE',
      );
      assert.equal(converted.reason, 'INTAKE_EMAIL_CONVERTED');
    });

    it('keeps a message that cannot be parsed, and shows why', async () => {
      const garbage = Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7]);
      const { item } = await ingestEmail(deps, null, garbage, 'upload');
      assert.equal(item.parseState, 'unparseable');
      assert.ok(item.parseProblem);
      const docs = await listDocuments(deps.db, { intakeItemId: item.id });
      assert.ok(docs[0]);
      assert.equal(docs[0].kind, 'original-email');
      assert.equal((await findDocument(deps.db, docs[0].id))?.content.equals(garbage), true);
    });

    it('leaves the audit chain intact', async () => {
      const v = await sealAndVerify(deps.db);
      assert.equal(v.problem, null);
    });
  });
}
