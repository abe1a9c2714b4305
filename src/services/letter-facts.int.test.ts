import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../storage/database.ts';
import { findDocument } from '../storage/documents.repository.ts';
import { findReferralById } from '../storage/referrals.repository.ts';
import { listTriageDecisions } from '../storage/triage-decisions.repository.ts';
import { bookAppointment } from './appointment-service.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { createReferral, triageReferral, type ReferralServiceDeps } from './referral-service.ts';
import { addUser } from './user-service.ts';

/**
 * Letters fit to send: the acceptance letter quotes the consultant's advice, no letter is made
 * without the service's contacts or (to the patient) an address, and a redirect letter says
 * "we have redirected it" only when the referral was sent on. Each refusal stores nothing.
 */
const CONTACTS = { SERVICE_PHONE: '0113 392 4000', SERVICE_EMAIL: 'itb.service@nhs.net' };
const TABLES = ['triage_decisions', 'appointments', 'documents', 'outbound_emails', 'audit_events'] as const;

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    out[t] = await countRows(db, t);
  }
  return out;
}

let made = 0;
const freshUbrn = () => `7100 0000 ${String((made += 1)).padStart(4, '0')}`;

for (const dialect of DIALECTS) {
  describe(`letters fit to send on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: ReferralServiceDeps;
    let noContacts: ReferralServiceDeps;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');
    let booking: Actor;
    let consultant: Actor;
    let housed: string;
    let unhoused: string;

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = {
        db,
        clock,
        config: loadConfig({ ...CONTACTS, SMTP_HOST: '127.0.0.1', SMTP_FROM: 'itb@nhs.net' }),
      };
      noContacts = { db, clock, config: loadConfig({ SERVICE_PHONE: '0113 392 4000' }) };
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
      const patients = { db, clock, timeZone: 'Europe/London' };
      housed = (
        await createPatient(patients, booking, {
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
      unhoused = (
        await createPatient(patients, booking, {
          nhsNumber: '9434765919',
          givenName: 'Bob',
          familyName: 'Jones',
          dateOfBirth: '1970-01-02',
          sex: 'male',
        })
      ).id;
    });
    after(async () => {
      await database.dispose();
    });

    const referralFor = async (patientId: string) =>
      (await createReferral(deps, booking, { patientId }, { ...ERS_REFERRAL, ubrn: freshUbrn() })).id;

    it("puts the consultant's advice in the acceptance letter word for word", async () => {
      const id = await referralFor(housed);
      const advice =
        'Please stop tizanidine two weeks before the appointment.\n\nBring a 7-day spasm diary to clinic.';
      const { letterId } = await triageReferral(deps, consultant, id, null, {
        outcome: 'accepted',
        priority: 'routine',
        advice,
      });
      const letter = await findDocument(deps.db, letterId);
      assert.ok(letter);
      assert.equal(letter.kind, 'letter-acknowledgement');
      const text = pdfText(letter.content).replace(/\s+/g, ' ');
      assert.match(text, /Consultant's advice/);
      assert.match(text, /Please stop tizanidine two weeks before the appointment\./);
      assert.match(text, /Bring a 7-day spasm diary to clinic\./);
    });

    it('refuses to triage while the service phone or email is unset, and stores nothing', async () => {
      const id = await referralFor(housed);
      const before = await counts(deps.db);
      const err = await rejects(
        triageReferral(noContacts, consultant, id, null, { outcome: 'accepted', priority: 'routine' }),
        'INVALID_STATE',
      );
      assert.equal(err.reason, 'LETTERS_NEED_SERVICE_CONTACTS');
      assert.match(err.message, /SERVICE_EMAIL \(the service's email address\) is set/);
      assert.doesNotMatch(err.message, /SERVICE_PHONE/);
      assert.deepEqual(err.details, { missing: ['SERVICE_EMAIL'] });
      assert.deepEqual(await counts(deps.db), before);
      assert.equal((await findReferralById(deps.db, id))?.state, 'awaiting-triage');
    });

    it('refuses to book while the service contacts are unset, and stores nothing', async () => {
      const id = await referralFor(housed);
      await triageReferral(deps, consultant, id, null, { outcome: 'accepted', priority: 'routine' });
      const before = await counts(deps.db);
      const err = await rejects(
        bookAppointment(noContacts, booking, id, {
          date: '2026-12-01',
          time: '10:00',
          clinic: 'Clinic 4',
          clinician: 'Dr Hughes',
        }),
        'INVALID_STATE',
      );
      assert.equal(err.reason, 'LETTERS_NEED_SERVICE_CONTACTS');
      assert.deepEqual(await counts(deps.db), before);
    });

    it('refuses an appointment letter for a patient with no address, naming what is missing', async () => {
      const id = await referralFor(unhoused);
      await triageReferral(deps, consultant, id, null, { outcome: 'accepted', priority: 'routine' });
      const before = await counts(deps.db);
      const err = await rejects(
        bookAppointment(deps, booking, id, {
          date: '2026-12-01',
          time: '10:00',
          clinic: 'Clinic 4',
          clinician: 'Dr Hughes',
        }),
        'INVALID_STATE',
      );
      assert.equal(err.reason, 'LETTER_NEEDS_PATIENT_ADDRESS');
      assert.match(
        err.message,
        /The letter to Bob Jones cannot be made: their record has no first line of the address and postcode/,
      );
      assert.deepEqual(await counts(deps.db), before);
      // The letters to the referrer need no patient address: triage went ahead above.
    });

    it('says "we have redirected it" only when the referral was sent on, and records how', async () => {
      const sentId = await referralFor(housed);
      const sent = await triageReferral(deps, consultant, sentId, null, {
        outcome: 'redirected',
        redirectTo: 'Leeds Pain Service',
        redirectSent: true,
        redirectMethod: 'e-rs',
        advice: 'The main problem is neuropathic pain.',
      });
      assert.equal(sent.decision.redirectSent, true);
      assert.equal(sent.decision.redirectMethod, 'e-rs');
      const sentText = pdfText((await findDocument(deps.db, sent.letterId))!.content).replace(/\s+/g, ' ');
      assert.match(
        sentText,
        /We have redirected it to Leeds Pain Service through the NHS e-Referral Service \(e-RS\)\./,
      );
      assert.match(sentText, /Referral redirected/);

      const advisedId = await referralFor(housed);
      const advised = await triageReferral(deps, consultant, advisedId, null, {
        outcome: 'redirected',
        redirectTo: 'Leeds Pain Service',
        redirectSent: false,
        redirectMethod: 'post',
        advice: 'The main problem is neuropathic pain.',
      });
      const [stored] = await listTriageDecisions(deps.db, advisedId);
      assert.ok(stored);
      assert.equal(stored.redirectSent, false);
      assert.equal(stored.redirectMethod, null);
      const advisedText = pdfText((await findDocument(deps.db, advised.letterId))!.content).replace(
        /\s+/g,
        ' ',
      );
      assert.doesNotMatch(advisedText, /redirected it/i);
      assert.match(advisedText, /we have not sent it on/);
      assert.match(advisedText, /Please refer Ann Smith to Leeds Pain Service if you agree\./);
    });

    it('refuses a redirect that does not say whether or how it was sent on', async () => {
      const id = await referralFor(housed);
      const base = { outcome: 'redirected', redirectTo: 'Leeds Pain Service', advice: 'Pain.' };
      await rejects(triageReferral(deps, consultant, id, null, base), 'VALIDATION_FAILED', 'redirectSent');
      await rejects(
        triageReferral(deps, consultant, id, null, { ...base, redirectSent: true }),
        'VALIDATION_FAILED',
        'redirectMethod',
      );
      assert.equal((await listTriageDecisions(deps.db, id)).length, 0);
    });
  });
}
