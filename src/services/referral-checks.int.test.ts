import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { buildReferralEmail } from '../../test/support/referral-email.ts';
import { TEST_SERVICE_CONTACTS } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../storage/database.ts';
import { findIntakeItemById } from '../storage/intake.repository.ts';
import { type Actor } from './audit-service.ts';
import { ingestEmail } from './intake-service.ts';
import { createPatient } from './patient-service.ts';
import { clearReferralCheck } from './referral-check-service.ts';
import { createReferral, triageReferral, type ReferralServiceDeps } from './referral-service.ts';
import { viewReferral } from './referral-view-service.ts';
import { triageQueue } from './triage-queue-service.ts';
import { addUser } from './user-service.ts';
import { waitingList } from './waiting-list-service.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

/** An email referral's fields, as confirmed from the intake (received 20 November 2026). */
const EMAIL = {
  ...ERS_REFERRAL,
  source: 'email',
  ubrn: '',
  referrerOdsCode: '',
  receivedOn: '2026-11-20',
  referrerName: 'Dr Sam Okafor',
  referrerRole: 'Neurology registrar (ST5)',
  referrerOrganisation: 'Leeds General Infirmary',
  referrerEmail: 'sam.okafor@nhs.net',
} as const;

async function referralRow(db: Db, id: string) {
  return db
    .selectFrom('referrals')
    .select([
      'state',
      'version',
      'check_reason',
      'check_cleared_at',
      'check_cleared_by',
      'check_cleared_note',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

for (const dialect of DIALECTS) {
  describe(`referral checks, the e-RS service and target days on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: ReferralServiceDeps;
    // Wednesday 25 November 2026.
    const clock = new TestClock('2026-11-25T10:00:00.000Z');
    let booking: Actor;
    let consultant: Actor;
    let nurse: Actor;
    let patientId: string;
    let message = 0;

    /** An email taken into the intake, then confirmed as a referral with these fields. */
    const confirmEmail = async (fields: Record<string, unknown>) => {
      message += 1;
      const raw = await buildReferralEmail({ messageId: `<check-${String(message)}@${dialect}.nhs.net>` });
      const { item } = await ingestEmail(deps, null, raw, 'upload');
      return {
        item,
        confirm: () =>
          createReferral(deps, booking, { patientId }, fields, {
            intakeItemId: item.id,
            version: item.version,
          }),
      };
    };

    /** A registrar's email referral, confirmed from the intake and so marked for checking. */
    const registrarReferral = async () =>
      (await confirmEmail({ ...EMAIL, referrerGrade: 'registrar' })).confirm();

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = {
        db,
        clock,
        config: loadConfig({ ...TEST_SERVICE_CONTACTS, ERS_SERVICE_NAME: 'Complex Neuro Rehab – Leeds' }),
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
        })
      ).id;
    });
    after(async () => {
      await database.dispose();
    });

    it('confirming an email needs the referrer’s grade; without it nothing is stored and the email stays to confirm', async () => {
      const { item, confirm } = await confirmEmail(EMAIL);
      const referrals = await countRows(deps.db, 'referrals');
      await rejects(confirm(), 'VALIDATION_FAILED', 'referrerGrade');
      assert.equal(await countRows(deps.db, 'referrals'), referrals);
      assert.equal((await findIntakeItemById(deps.db, item.id))?.state, 'new');
    });

    it('a registrar’s email referral is marked for checking, and says why on the referral and the triage queue', async () => {
      const r = await registrarReferral();
      assert.equal(r.referrerGrade, 'registrar');
      assert.deepEqual(r.check, {
        reason: 'referrer-not-consultant',
        clearedAt: null,
        clearedBy: null,
        clearedNote: null,
      });
      const queued = (await triageQueue(deps)).find((i) => i.referral.id === r.id);
      assert.match(
        queued?.needsCheck ?? '',
        /^Email referral from a registrar or other doctor in training \(role given: Neurology registrar \(ST5\)\), not a consultant\./,
      );
      const audit = await deps.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'referral.create')
        .where('entity_id', '=', r.id)
        .executeTakeFirstOrThrow();
      assert.match(audit.details, /"checkReason":"referrer-not-consultant"/);
    });

    it('a consultant’s email referral is not marked', async () => {
      const { confirm } = await confirmEmail({
        ...EMAIL,
        referrerName: 'Dr Rhiannon Hughes',
        referrerRole: 'Consultant neurologist',
        referrerGrade: 'consultant',
      });
      const r = await confirm();
      assert.equal(r.check, null);
      assert.equal((await triageQueue(deps)).find((i) => i.referral.id === r.id)?.needsCheck, null);
    });

    it('an email referral sent without a grade (the API) is marked: not known to come from a consultant', async () => {
      const r = await createReferral(deps, booking, { patientId }, EMAIL);
      assert.equal(r.check?.reason, 'referrer-grade-not-recorded');
    });

    it('while marked it cannot be accepted; not accepted or redirected stay open; nothing is stored by a refusal', async () => {
      const registrarId = (await registrarReferral()).id;
      const before = await referralRow(deps.db, registrarId);
      const decisions = await countRows(deps.db, 'triage_decisions');
      const refusal = await rejects(
        triageReferral(deps, consultant, registrarId, null, { outcome: 'accepted', priority: 'routine' }),
        'INVALID_STATE',
        'outcome',
      );
      assert.equal(refusal.reason, 'REFERRAL_NEEDS_CHECK');
      assert.deepEqual(await referralRow(deps.db, registrarId), before);
      assert.equal(await countRows(deps.db, 'triage_decisions'), decisions);
      // Another marked referral, from a nurse, goes back to be re-entered through e-RS.
      const nurses = await createReferral(deps, booking, { patientId }, { ...EMAIL, referrerGrade: 'nurse' });
      const { referral } = await triageReferral(deps, consultant, nurses.id, null, {
        outcome: 'not-accepted',
        advice: 'Please ask the GP to refer through e-RS, or the consultant to refer by email.',
      });
      assert.equal(referral.state, 'not-accepted');
      assert.equal(referral.check?.clearedAt, null, 'the mark is kept with the referral');
    });

    it('only a consultant clears the mark, with a note, on the version read; refusals change nothing', async () => {
      const registrarId = (await registrarReferral()).id;
      const before = await referralRow(deps.db, registrarId);
      await rejects(clearReferralCheck(deps, nurse, registrarId, null, 'Looks fine'), 'FORBIDDEN');
      await rejects(clearReferralCheck(deps, booking, registrarId, null, 'Looks fine'), 'FORBIDDEN');
      await rejects(
        clearReferralCheck(deps, consultant, registrarId, null, '   '),
        'VALIDATION_FAILED',
        'note',
      );
      const stale = await rejects(
        clearReferralCheck(deps, consultant, registrarId, before.version + 1, 'Supported by Dr Hughes'),
        'STALE_EDIT',
      );
      assert.match(stale.message, /changed this referral on \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} after/);
      await rejects(clearReferralCheck(deps, consultant, 'no-such-id', null, 'x'), 'NOT_FOUND');
      assert.deepEqual(await referralRow(deps.db, registrarId), before);
    });

    it('a consultant clears it (audited); it can then be accepted', async () => {
      const registrarId = (await registrarReferral()).id;
      const before = await referralRow(deps.db, registrarId);
      const cleared = await clearReferralCheck(
        deps,
        consultant,
        registrarId,
        before.version,
        'Discussed with Dr Hughes, consultant neurologist, who supports the referral',
      );
      assert.equal(cleared.check?.clearedBy, consultant.userId);
      assert.equal(cleared.check.clearedAt, '2026-11-25T10:00:00.000Z');
      assert.equal(cleared.version, before.version + 1);
      const audit = await deps.db
        .selectFrom('audit_events')
        .select(['user_id', 'patient_id', 'outcome'])
        .where('action', '=', 'referral.check-clear')
        .where('entity_id', '=', registrarId)
        .execute();
      assert.deepEqual(
        audit.map((a) => ({ ...a })),
        [{ user_id: consultant.userId, patient_id: patientId, outcome: 'success' }],
      );
      const again = await rejects(
        clearReferralCheck(deps, consultant, registrarId, null, 'again'),
        'INVALID_STATE',
      );
      assert.equal(again.reason, 'REFERRAL_CHECK_ALREADY_CLEARED');
      const { referral } = await triageReferral(deps, consultant, registrarId, null, {
        outcome: 'accepted',
        priority: 'routine',
      });
      assert.equal(referral.state, 'accepted');
      const view = await viewReferral(deps, consultant, registrarId);
      assert.equal(
        view.referral.check?.clearedNote,
        'Discussed with Dr Hughes, consultant neurologist, who supports the referral',
      );
    });

    it('records the e-RS service name: the setting by default, or as corrected; none for email', async () => {
      const registrarId = (await registrarReferral()).id;
      const byDefault = await createReferral(
        deps,
        booking,
        { patientId },
        { ...ERS_REFERRAL, ubrn: '0000 1111 2222' },
      );
      assert.equal(byDefault.ersServiceName, 'Complex Neuro Rehab – Leeds');
      const corrected = await createReferral(
        deps,
        booking,
        { patientId },
        { ...ERS_REFERRAL, ubrn: '0000 1111 3333', ersServiceName: 'Neurology outpatients' },
      );
      assert.equal(corrected.ersServiceName, 'Neurology outpatients');
      const stored = await deps.db
        .selectFrom('referrals')
        .select(['id', 'ers_service_name'])
        .where('id', 'in', [byDefault.id, corrected.id, registrarId])
        .execute();
      assert.deepEqual(Object.fromEntries(stored.map((s) => [s.id, s.ers_service_name])), {
        [byDefault.id]: 'Complex Neuro Rehab – Leeds',
        [corrected.id]: 'Neurology outpatients',
        [registrarId]: null,
      });
      assert.equal(byDefault.check, null, 'an e-RS referral is never marked');
    });

    it('a target on a Saturday or a bank holiday is noted on the waiting list and the referral; the date is the 42nd day', async () => {
      const accepted = async (receivedOn: string, ubrn: string) => {
        const r = await createReferral(deps, booking, { patientId }, { ...ERS_REFERRAL, receivedOn, ubrn });
        await triageReferral(deps, consultant, r.id, null, { outcome: 'accepted', priority: 'routine' });
        return r.id;
      };
      // Saturday 24 October + 42 days = Saturday 5 December 2026.
      const saturday = await accepted('2026-10-24', '0000 2222 0001');
      // Friday 13 November + 42 days = Friday 25 December 2026, Christmas Day.
      const christmas = await accepted('2026-11-13', '0000 2222 0002');
      // Monday 16 November + 42 days = Monday 28 December 2026, the substitute Boxing Day.
      const boxingDay = await accepted('2026-11-16', '0000 2222 0003');
      // Wednesday 18 November + 42 days = Wednesday 30 December 2026, a working day.
      const working = await accepted('2026-11-18', '0000 2222 0004');
      const list = new Map((await waitingList(deps)).map((i) => [i.referral.id, i]));
      const shown = (id: string) => [
        list.get(id)?.assessment.targetDate,
        list.get(id)?.targetNote?.text ?? null,
      ];
      assert.deepEqual(shown(saturday), [
        '2026-12-05',
        'Saturday: not a working day; book by Friday 4 December 2026',
      ]);
      assert.deepEqual(shown(christmas), [
        '2026-12-25',
        'Bank holiday: not a working day; book by Thursday 24 December 2026',
      ]);
      assert.deepEqual(shown(boxingDay), [
        '2026-12-28',
        'Bank holiday: not a working day; book by Thursday 24 December 2026',
      ]);
      assert.deepEqual(shown(working), ['2026-12-30', null]);
      const view = await viewReferral(deps, booking, saturday);
      assert.equal(view.wait?.targetDate, '2026-12-05');
      assert.equal(view.targetNote?.text, 'Saturday: not a working day; book by Friday 4 December 2026');
    });

    it('a service closed day (SERVICE_CLOSED_DAYS) is noted as such', async () => {
      // Wednesday 18 November + 42 days = Wednesday 30 December 2026, a closed day here.
      const r = await createReferral(
        deps,
        booking,
        { patientId },
        { ...ERS_REFERRAL, receivedOn: '2026-11-18', ubrn: '0000 2222 0005' },
      );
      await triageReferral(deps, consultant, r.id, null, { outcome: 'accepted', priority: 'routine' });
      const closedDeps = {
        ...deps,
        config: loadConfig({ ...TEST_SERVICE_CONTACTS, SERVICE_CLOSED_DAYS: '2026-12-30' }),
      };
      const item = (await waitingList(closedDeps)).find((i) => i.referral.id === r.id);
      assert.equal(
        item?.targetNote?.text,
        'Service closed: not a working day; book by Tuesday 29 December 2026',
      );
    });

    it('leaves the audit chain intact', async () => {
      assert.equal((await sealAndVerify(deps.db)).problem, null);
    });
  });
}
