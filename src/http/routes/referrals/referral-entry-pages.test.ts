import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { TINY_PDF } from '../../../../test/support/referral-email.ts';
import type { Browser, TestApp } from '../../../../test/support/test-app.ts';
import type { Database } from '../../../storage/database.ts';
import {
  ERS_FORM,
  assertSummaryNames,
  idFromLocation,
  upload,
  startReferralPages,
} from '../../../../test/support/referral-pages.ts';

/**
 * Entering an e-RS referral on the referral pages, and what the pages refuse around it: the same
 * UBRN twice, bad entries, attachments that are not PDFs or come without their CSRF token, and
 * triage by roles that may not triage. The one referral is recorded before the tests, which
 * only read it or are refused.
 */

describe('referral pages', () => {
  let t: TestApp;
  let booking: Browser;
  let nurse: Browser;
  let patientId = '';
  let created: LightMyRequestResponse;
  let referralId = '';
  const count = (table: keyof Database) => countRows(t.deps.database.db, table);

  before(async () => {
    ({ t, booking, nurse, patientId } = await startReferralPages());
    created = await booking.post('/referrals', ERS_FORM, '/referrals/new');
    referralId = idFromLocation(created, '/referrals');
  });
  beforeEach(() => {
    // Each step a little later than the one before, as in real use, so the timeline has an order.
    t.clock.advanceSeconds(5);
  });
  after(async () => {
    await t.close();
  });

  describe('entering an e-RS referral', () => {
    it('records the referral for a registered patient and shows it', async () => {
      assert.match(String(created.headers.location), /\?created=1$/);
      const page = await booking.get(`/referrals/${referralId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Referral recorded/);
      assert.match(page.body, /id="referral-state">Waiting for triage</);
      assert.match(page.body, /SMITH, Ann/);
      assert.match(page.body, /0000 1234 5678/);
      assert.match(page.body, /16 November 2026 by e-RS/);
      assert.match(page.body, /Spasticity and Dystonia, spinal origin/);
      assert.match(page.body, /Oral baclofen, Tizanidine/);
      assert.equal(await count('referrals'), 1);
      const row = await t.deps.database.db
        .selectFrom('referrals')
        .select(['patient_id', 'ubrn', 'source'])
        .executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { patient_id: patientId, ubrn: '000012345678', source: 'e-rs' });
      const list = await booking.get('/referrals?state=awaiting-triage');
      assert.ok(list.body.includes(`href="/referrals/${referralId}">SMITH, Ann</a>`));
      assert.match(list.body, /485 777 3457/);
      assert.match(list.body, /Dr A Patel, Chapeltown Surgery/);
      const accepted = await booking.get('/referrals?state=accepted');
      assert.ok(!accepted.body.includes(`href="/referrals/${referralId}"`));
    });

    it('refuses the same UBRN again with 409 and a link to the referral already recorded', async () => {
      const res = await booking.post(
        '/referrals',
        { ...ERS_FORM, ubrn: '000012345678', reason: 'Entered twice' },
        '/referrals/new',
      );
      assert.equal(res.statusCode, 409);
      assertSummaryNames(res.body, 'ubrn', /already recorded/);
      assert.match(res.body, new RegExp(`<a href="/referrals/${referralId}" id="existing-referral">`));
      assert.match(res.body, /Entered twice/, 'what was typed is kept');
      assert.equal(await count('referrals'), 1);
    });

    const refusals: readonly [string, Record<string, string | string[]>, string, RegExp][] = [
      [
        'an NHS number nobody is registered with',
        { nhsNumber: '943 476 5919', ubrn: '1111 2222 3333' },
        'nhsNumber',
        /No patient with this NHS number is registered/,
      ],
      ['a malformed UBRN', { ubrn: '1234 5678' }, 'ubrn', /UBRN must be 12 digits/],
      ['a missing reason', { ubrn: '1111 2222 3333', reason: '   ' }, 'reason', /reason for referral/i],
      [
        'a date received in the future',
        { ubrn: '1111 2222 3333', 'receivedOn-day': '25' },
        'receivedOn-day',
        /today or in the past/,
      ],
    ];
    for (const [what, change, field, message] of refusals) {
      it(`refuses ${what} with 400 naming ${field}, and stores nothing`, async () => {
        const res = await booking.post('/referrals', { ...ERS_FORM, ...change }, '/referrals/new');
        assert.equal(res.statusCode, 400);
        assertSummaryNames(res.body, field, message);
        assert.match(res.body, /<title>Error: /);
        assert.match(res.body, /value="Chapeltown Surgery"/, 'what was typed is kept');
        assert.equal(await count('referrals'), 1);
      });
    }

    it('offers to register the patient when the NHS number is not registered', async () => {
      const res = await booking.post(
        '/referrals',
        { ...ERS_FORM, nhsNumber: '943 476 5919', ubrn: '1111 2222 3333' },
        '/referrals/new',
      );
      assert.match(res.body, /<a href="\/patients\/new" id="register-patient">/);
    });
  });

  describe('attached letters', () => {
    it('refuses a file that is not a PDF with an error on the file field', async () => {
      const before = await count('documents');
      const res = await upload(
        booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'notes.txt', contentType: 'text/plain', content: Buffer.from('just some notes\n') },
        `/referrals/${referralId}`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'file', /must be a PDF/);
      assert.match(res.body, /id="file-error"/);
      assert.equal(await count('documents'), before);
    });

    it('refuses an upload without its CSRF token', async () => {
      const before = await count('documents');
      const res = await upload(
        booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'gp-letter.pdf', contentType: 'application/pdf', content: TINY_PDF },
        `/referrals/${referralId}`,
        false,
      );
      assert.equal(res.statusCode, 403);
      assert.equal(await count('documents'), before);
    });

    it('answers 404 for a document that does not exist', async () => {
      const res = await booking.get('/documents/00000000-0000-4000-8000-000000000000');
      assert.equal(res.statusCode, 404);
    });
  });

  describe('triage', () => {
    for (const [who, role] of [
      ['nurse', 'nurse-specialist'],
      ['booking coordinator', 'booking-coordinator'],
    ] as const) {
      it(`refuses a ${who} with 403 on GET and POST, and audits each refusal`, async () => {
        const b = who === 'nurse' ? nurse : booking;
        const page = await b.get(`/referrals/${referralId}`);
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(`/referrals/${referralId}/triage`), 'no triage button offered');
        const deniedBefore = await t.deps.database.db
          .selectFrom('audit_events')
          .select('seq')
          .where('action', '=', 'access.denied')
          .where('role', '=', role)
          .execute();
        const get = await b.get(`/referrals/${referralId}/triage`);
        assert.equal(get.statusCode, 403);
        assert.match(get.body, /You do not have access to this page/);
        const post = await b.post(
          `/referrals/${referralId}/triage`,
          { outcome: 'accepted', priority: 'urgent', version: '1' },
          `/referrals/${referralId}`,
        );
        assert.equal(post.statusCode, 403);
        assert.equal(await count('triage_decisions'), 0);
        const denied = await t.deps.database.db
          .selectFrom('audit_events')
          .select(['outcome', 'details'])
          .where('action', '=', 'access.denied')
          .where('role', '=', role)
          .orderBy('seq')
          .execute();
        const fresh = denied.slice(deniedBefore.length);
        assert.equal(fresh.length, 2);
        assert.ok(fresh.every((d) => d.outcome === 'denied' && d.details.includes('referral:triage')));
        assert.ok(fresh.some((d) => d.details.includes('"POST"')));
      });
    }
  });
});
