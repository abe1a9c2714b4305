import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { TEST_SERVICE_CONTACTS } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from './audit-service.ts';
import {
  cardStandingsForPatient,
  downloadEmergencyCard,
  issueEmergencyCard,
  pumpEmergencyCards,
  type EmergencyCardDeps,
} from './emergency-card-service.ts';
import { createPatient } from './patient-service.ts';
import { confirmPrescription, proposePrescription } from './prescription-service.ts';
import { bookPumpAppointment } from './pump-appointment-service.ts';
import { registerPump } from './pump-service.ts';
import { refillLetterPdf } from './refill-letter-service.ts';
import { recordRefill } from './refill-service.ts';
import { signRefill } from './refill-sign-service.ts';
import { addUser } from './user-service.ts';

/** Today is Friday 20 November 2026 (GMT) unless a test moves the clock. */
const NOW = '2026-11-20T10:00:00.000Z';

const PUMP = {
  modelId: 'synchromed-ii',
  reservoirMl: 20,
  implantedOn: '2026-09-01',
  surgeon: 'Mr A Surgeon',
  alarmMl: 2,
  origin: 'spinal',
};

const prescription = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  reason: 'Test dose given at another centre',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

/** 20 mL at 150 mcg/day of 500 mcg/mL: 0.3 mL/day, (20 − 2) ÷ 0.3 = 60 days to the alarm, due 7 days before. */
const refillOn = (performedOn: string, residualMl = '4.0') => ({
  performedOn,
  expectedResidualMl: residualMl,
  withdrawnMl: residualMl,
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

const flat = (pdf: Buffer) => pdfText(pdf).replace(/\s+/g, ' ');

for (const dialect of DIALECTS) {
  describe(`patient-held documents on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: EmergencyCardDeps;
    const clock = new TestClock(NOW);
    let nina: Actor;
    let carla: Actor;
    let bea: Actor;
    let patientId = '';
    let serial = 0;

    const actor = async (username: string, role: Actor['role']): Promise<Actor> => {
      const u = await addUser({ db: database.handle.db, clock }, null, {
        username,
        displayName: `${username} display`,
        role: role as 'consultant',
        password: 'a-long-test-password',
      });
      return { userId: u.id, username, role, requestId: null };
    };
    const pumpWithDose = async (dose: number | null) => {
      serial += 1;
      const pump = await registerPump(deps, nina, patientId, {
        ...PUMP,
        serialNumber: `NGP${String(serial)}H`,
      });
      if (dose !== null) {
        const p = await proposePrescription(deps, nina, pump.id, prescription(dose));
        await confirmPrescription(deps, carla, p.id, {});
      }
      return pump;
    };
    const auditActions = async (action: string) =>
      (
        await database.handle.db
          .selectFrom('audit_events')
          .select('action')
          .where('action', '=', action)
          .execute()
      ).length;

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: loadConfig({ ...TEST_SERVICE_CONTACTS }) };
      nina = await actor('nina', 'nurse-specialist');
      carla = await actor('carla', 'consultant');
      bea = await actor('bea', 'booking-coordinator');
      patientId = (
        await createPatient({ db, clock, timeZone: 'Europe/London' }, nina, {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
          addressLine1: '1 High Street',
          postcode: 'LS1 1AA',
        })
      ).id;
    });
    after(async () => {
      await database.dispose();
    });

    it('issues a card with a snapshot of its facts, audited; a dose change then flags it out of date', async () => {
      clock.set(NOW);
      const pump = await pumpWithDose(150);
      const card = await issueEmergencyCard(deps, nina, pump.id);
      assert.equal(card.issuedOn, '2026-11-20');
      assert.equal(card.facts.doseMcgPerDay, 150);
      assert.equal(card.facts.concentrationMcgPerMl, 500);
      assert.equal(card.facts.drug, 'baclofen');
      assert.equal(card.facts.pumpSerial, pump.serialNumber);
      assert.equal(card.facts.contacts.phone, TEST_SERVICE_CONTACTS.SERVICE_PHONE);
      assert.equal(await auditActions('emergency-card.issue'), 1);
      assert.deepEqual((await cardStandingsForPatient(deps, patientId)).get(pump.id)?.changes, []);

      // The dose goes up: the card in the patient's wallet now shows the old dose.
      clock.set('2026-11-21T10:00:00.000Z');
      const change = await proposePrescription(deps, nina, pump.id, {
        ...prescription(175),
        reason: 'More spasms at night',
      });
      await confirmPrescription(deps, carla, change.id, {});
      assert.deepEqual((await cardStandingsForPatient(deps, patientId)).get(pump.id)?.changes, ['dose']);
      const listed = await pumpEmergencyCards(deps, bea, pump.id);
      assert.deepEqual(listed.cards[0]?.changes, ['dose']);
      assert.equal(listed.cards[0].issuedByName, 'nina display');

      // The old card downloads as it was issued (150), so the record shows what the patient holds.
      const old = await downloadEmergencyCard(deps, bea, card.id);
      assert.match(flat(old.pdf), /Daily dose: 150 mcg\/day/);
      assert.equal(old.filename, 'emergency-card-2026-11-20.pdf');
      assert.equal(await auditActions('emergency-card.download'), 1);

      // A new card shows the new dose and is up to date; the old one stays out of date.
      const fresh = await issueEmergencyCard(deps, carla, pump.id);
      assert.equal(fresh.facts.doseMcgPerDay, 175);
      assert.match(flat((await downloadEmergencyCard(deps, bea, fresh.id)).pdf), /Daily dose: 175 mcg\/day/);
      const after = await pumpEmergencyCards(deps, bea, pump.id);
      assert.deepEqual(
        after.cards.map((c) => [c.id, c.changes]),
        [
          [fresh.id, []],
          [card.id, ['dose']],
        ],
      );
    });

    it('flags a card whose service contacts changed', async () => {
      clock.set(NOW);
      const pump = await pumpWithDose(100);
      await issueEmergencyCard(deps, nina, pump.id);
      const moved: EmergencyCardDeps = {
        ...deps,
        config: loadConfig({ ...TEST_SERVICE_CONTACTS, SERVICE_ADVICE_LINE_PHONE: '0113 496 9999' }),
      };
      assert.deepEqual((await cardStandingsForPatient(moved, patientId)).get(pump.id)?.changes, ['contacts']);
    });

    it('refuses a card with nothing true to print, storing nothing', async () => {
      const before = await countRows(database.handle.db, 'emergency_cards');
      const bare = await pumpWithDose(null);
      const e1 = await rejects(issueEmergencyCard(deps, nina, bare.id), 'INVALID_STATE');
      assert.equal(e1.reason, 'CARD_NEEDS_PRESCRIPTION');
      const pump = await pumpWithDose(100);
      const noPhone: EmergencyCardDeps = { ...deps, config: loadConfig({}) };
      const e2 = await rejects(issueEmergencyCard(noPhone, nina, pump.id), 'INVALID_STATE');
      assert.equal(e2.reason, 'LETTERS_NEED_SERVICE_CONTACTS');
      await rejects(issueEmergencyCard(deps, bea, pump.id), 'FORBIDDEN');
      await rejects(issueEmergencyCard(deps, nina, '00000000-0000-4000-8000-000000000000'), 'NOT_FOUND');
      assert.equal(await countRows(database.handle.db, 'emergency_cards'), before);
    });

    it('makes the refill letter only for the latest signed refill, with the pump plan dates', async () => {
      clock.set(NOW);
      const pump = await pumpWithDose(150);
      const refill = await recordRefill(deps, nina, pump.id, refillOn('2026-11-10'));
      const unsigned = await rejects(refillLetterPdf(deps, bea, refill.id), 'INVALID_STATE');
      assert.equal(unsigned.reason, 'REFILL_LETTER_NEEDS_SIGNED_REFILL');

      await signRefill(deps, carla, refill.id, { version: refill.version });
      await bookPumpAppointment(deps, bea, pump.id, { kind: 'refill', onDate: '2026-12-29' });
      const letter = await refillLetterPdf(deps, bea, refill.id);
      const text = flat(letter.pdf);
      // Filled 10 November: alarm 60 days on (9 January 2027); due 7 days before, Saturday
      // 2 January, moved back past the New Year bank holiday to Thursday 31 December 2026.
      assert.match(text, /Refilled on: 10 November 2026/);
      assert.match(text, /Next refill due by: 31 December 2026/);
      assert.match(text, /Low-reservoir alarm expected on: 9 January 2027/);
      assert.match(text, /booked for 29 December 2026/);
      assert.match(text, /Two tones \(the critical alarm\)/);
      assert.match(text, /Out of hours: A&E or 999/);
      assert.match(text, /Yours sincerely nina display/);
      assert.equal(letter.filename, 'refill-letter-2026-11-10.pdf');
      assert.equal(await auditActions('refill-letter.download'), 1);

      // A later refill is signed: the first one's letter would now give old dates.
      // 10 days at 0.3 mL/day from 20 mL: 17 mL left, as expected (no discrepancy to review).
      const second = await recordRefill(deps, nina, pump.id, refillOn('2026-11-20', '17.0'));
      await signRefill(deps, carla, second.id, { version: second.version });
      const old = await rejects(refillLetterPdf(deps, bea, refill.id), 'INVALID_STATE');
      assert.equal(old.reason, 'REFILL_LETTER_NOT_LATEST');
      assert.match(
        flat((await refillLetterPdf(deps, bea, second.id)).pdf),
        /Next refill due by: 12 January 2027/,
      );
    });
  });
}
