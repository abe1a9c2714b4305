import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { TEST_SERVICE_CONTACTS } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { listReferrals, REFERRAL_PAGE_SIZE } from './referral-lists-service.ts';
import { createReferral, triageReferral, type ReferralServiceDeps } from './referral-service.ts';
import { addUser } from './user-service.ts';

/**
 * The referral list a page at a time and searched, on both databases: the list once stopped at
 * 200 referrals with no way to reach the rest or find one.
 */
for (const dialect of DIALECTS) {
  describe(`the referral list, paged and searched, on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: ReferralServiceDeps;
    let booking: Actor;
    let consultant: Actor;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');
    /** Referral ids by what tells them apart. */
    const ids: Record<string, string> = {};
    const TOTAL = REFERRAL_PAGE_SIZE + 5;

    before(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: loadConfig(TEST_SERVICE_CONTACTS) };
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
      const patient = (nhsNumber: string, givenName: string, familyName: string) =>
        createPatient({ db, clock, timeZone: 'Europe/London' }, booking, {
          nhsNumber,
          givenName,
          familyName,
          dateOfBirth: '1970-01-01',
          sex: 'female',
          addressLine1: '1 Park Row',
          postcode: 'LS1 5HD',
        });
      const obrien = await patient('9480000008', 'Siobhan', "O'BRIEN-SMITH");
      const jones = await patient('9480000016', 'Gareth', 'Jones');
      const filler = await patient('9480000024', 'Ann', 'Filler');
      // Two named referrals, received last, so they lead the list; the rest fill the pages.
      for (let i = 0; i < TOTAL - 2; i += 1) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        await createReferral(
          deps,
          booking,
          { patientId: filler.id },
          {
            ...ERS_REFERRAL,
            receivedOn: `2026-10-${day}`,
            ubrn: `5000 0000 ${String(i).padStart(4, '0')}`,
            referrerName: 'Dr F Filler',
            referrerOrganisation: 'Moortown Surgery',
          },
        );
      }
      ids.obrien = (
        await createReferral(
          deps,
          booking,
          { patientId: obrien.id },
          {
            ...ERS_REFERRAL,
            receivedOn: '2026-11-20',
            ubrn: '1111 2222 3333',
            referrerName: 'Dr Asha Patel',
            referrerOrganisation: 'Chapeltown Surgery',
          },
        )
      ).id;
      ids.jones = (
        await createReferral(
          deps,
          booking,
          { patientId: jones.id },
          {
            ...ERS_REFERRAL,
            receivedOn: '2026-11-19',
            ubrn: '4444 5555 6666',
            referrerName: 'Dr Ken Okafor',
            referrerOrganisation: 'St James’s 100% Neuro Clinic',
          },
        )
      ).id;
      await triageReferral(deps, consultant, ids.jones, null, { outcome: 'accepted', priority: 'routine' });
    });
    after(async () => {
      await database.dispose();
    });

    const idsOf = async (q: string, state: 'accepted' | null = null) =>
      (await listReferrals(deps, booking, { state, q })).rows.map((r) => r.referral.id);

    it('shows a page at a time, newest first, with the count and pages; past the last shows the last', async () => {
      const first = await listReferrals(deps, booking, { state: null });
      assert.equal(first.total, TOTAL);
      assert.equal(first.pages, 2);
      assert.equal(first.page, 1);
      assert.equal(first.rows.length, REFERRAL_PAGE_SIZE);
      assert.deepEqual(
        first.rows.slice(0, 2).map((r) => r.referral.id),
        [ids.obrien, ids.jones],
      );
      const second = await listReferrals(deps, booking, { state: null, page: 2 });
      assert.equal(second.rows.length, TOTAL - REFERRAL_PAGE_SIZE);
      const seen = new Set([...first.rows, ...second.rows].map((r) => r.referral.id));
      assert.equal(seen.size, TOTAL, 'every referral on exactly one page');
      const beyond = await listReferrals(deps, booking, { state: null, page: 99 });
      assert.equal(beyond.page, 2);
      assert.deepEqual(
        beyond.rows.map((r) => r.referral.id),
        second.rows.map((r) => r.referral.id),
      );
      const small = await listReferrals(deps, booking, { state: null, page: 3, pageSize: 10 });
      assert.equal(small.pages, 3);
      assert.equal(small.rows.length, TOTAL - 20);
    });

    it("finds a patient by the starts of their names, however the name's marks are typed", async () => {
      for (const q of ['obrien', "O'Brien", 'brien-smith', 'SMITH', 'Siobhan', 'sio', 'Siobhan Smith']) {
        assert.deepEqual(await idsOf(q), [ids.obrien], q);
      }
      assert.deepEqual(await idsOf('rien'), [], 'a name is searched from the start of one of its parts');
      assert.deepEqual(await idsOf('Gareth'), [ids.jones]);
    });

    it('finds by NHS number or UBRN, with or without spaces', async () => {
      for (const q of ['9480000008', '948 000 0008', ' 948-000-0008 ']) {
        assert.deepEqual(await idsOf(q), [ids.obrien], q);
      }
      for (const q of ['444455556666', '4444 5555 6666', '4444-5555-6666']) {
        assert.deepEqual(await idsOf(q), [ids.jones], q);
      }
      assert.deepEqual(await idsOf('999988887777'), []);
    });

    it("finds by part of the referrer's name or organisation, without case; % and _ are only themselves", async () => {
      assert.deepEqual(await idsOf('patel'), [ids.obrien]);
      assert.deepEqual(await idsOf('Dr Asha'), [ids.obrien]);
      assert.deepEqual(await idsOf('chapeltown'), [ids.obrien]);
      assert.deepEqual(await idsOf('OKAFOR'), [ids.jones]);
      assert.deepEqual(await idsOf('100%'), [ids.jones]);
      assert.deepEqual(await idsOf('%'), [ids.jones], 'a typed % matches only a %');
      assert.deepEqual(await idsOf('_'), []);
      const moortown = await listReferrals(deps, booking, { state: null, q: 'moortown' });
      assert.equal(moortown.total, TOTAL - 2);
    });

    it('searches within a state', async () => {
      assert.deepEqual(await idsOf('Gareth', 'accepted'), [ids.jones]);
      assert.deepEqual(await idsOf('Siobhan', 'accepted'), []);
    });

    it('refuses a search it cannot read, naming the box', async () => {
      await rejects(listReferrals(deps, booking, { state: null, q: '9480000009' }), 'VALIDATION_FAILED', 'q');
      await rejects(listReferrals(deps, booking, { state: null, q: '12345' }), 'VALIDATION_FAILED', 'q');
      await rejects(
        listReferrals(deps, booking, { state: null, q: 'x'.repeat(101) }),
        'VALIDATION_FAILED',
        'q',
      );
    });

    it('audits each view with the kind of search, never the words searched', async () => {
      await listReferrals(deps, booking, { state: null, q: '948 000 0008', page: 1 });
      const row = await deps.db
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('action', '=', 'referral.list')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      const details = JSON.parse(row.details) as Record<string, unknown>;
      assert.deepEqual(details, { state: null, search: 'nhs-number', page: 1, shown: 1, total: 1 });
      assert.doesNotMatch(row.details, /948/);
    });
  });
}
