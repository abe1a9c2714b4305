import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { buildReferralEmail } from '../../../../test/support/referral-email.ts';
import {
  ERS_FORM,
  assertSummaryNames,
  idFromLocation,
  versionOf,
  upload,
  documentIdFor,
  noise,
  startReferralPages,
  type ReferralPages,
} from '../../../../test/support/referral-pages.ts';
import type { Database } from '../../../storage/database.ts';

/**
 * Email intake on the referral pages: an uploaded .eml offered to the patient it names, a
 * duplicate, a referral made from it, and an upload that is not an email kept and closed. Each
 * test has a service of its own, so the intake holds only the emails it uploads.
 */

describe('referral pages', () => {
  let p: ReferralPages;
  const count = (table: keyof Database) => countRows(p.t.deps.database.db, table);

  beforeEach(async () => {
    p = await startReferralPages();
  });
  afterEach(async () => {
    await p.t.close();
  });

  describe('email intake', () => {
    /** Uploads the consultant's referral email (with its PDF) through the intake page. */
    const uploadEmail = async (filename = 'referral.eml') => {
      const eml = await buildReferralEmail({
        messageId: '<referral-1@leeds.nhs.net>',
        nhsNumber: '485 777 3457',
        withPdf: true,
      });
      return upload(
        p.booking,
        '/intake/upload',
        { filename, contentType: 'message/rfc822', content: eml },
        '/intake',
      );
    };
    /** The email in the intake, ready to confirm; its id. */
    const emailInIntake = async () => idFromLocation(await uploadEmail(), '/intake');

    /** Uploads bytes that are not an email; the id of the item that keeps them. */
    const unreadableInIntake = async (garbage: Buffer) =>
      idFromLocation(
        await upload(
          p.booking,
          '/intake/upload',
          { filename: 'scan.eml', contentType: 'application/octet-stream', content: garbage },
          '/intake',
        ),
        '/intake',
      );

    it('takes in an uploaded .eml and offers the registered patient it names', async () => {
      const res = await uploadEmail();
      const itemId = idFromLocation(res, '/intake');
      assert.equal(res.headers.location, `/intake/${itemId}`);
      const page = await p.booking.get(`/intake/${itemId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Referral for ITB assessment/);
      assert.match(page.body, /Dr Rhiannon Hughes/);
      const radio = new RegExp(`<input[^>]*name="patientChoice"[^>]*value="${p.patientId}"[^>]*>`).exec(
        page.body,
      );
      assert.ok(radio, 'the patient is offered as a match');
      assert.match(radio[0], /checked/);
      assert.match(page.body, /SMITH, Ann – NHS number 485 777 3457/);
      assert.match(page.body, /referral-letter\.pdf/);
      assert.match(page.body, /value="rhiannon\.hughes@nhs\.net"/);
      const list = await p.booking.get('/intake');
      assert.match(list.body, /To confirm \(1\)/);
    });

    it('says an email uploaded again was already there, and keeps one item', async () => {
      const itemId = await emailInIntake();
      const res = await uploadEmail('copy.eml');
      assert.equal(res.statusCode, 303);
      const duplicate = `/intake/${itemId}?duplicate=1`;
      assert.equal(res.headers.location, duplicate);
      const page = await p.booking.get(duplicate);
      assert.match(page.body, /already in the intake/);
      assert.equal(await count('intake_items'), 1);
    });

    it('asks for the patient when "another patient" is chosen without an NHS number', async () => {
      const itemId = await emailInIntake();
      const page = await p.booking.get(`/intake/${itemId}`);
      const referrals = await count('referrals');
      const res = await p.booking.post(
        `/intake/${itemId}/confirm`,
        { ...ERS_FORM, ubrn: '', patientChoice: 'other', nhsNumber: '', version: versionOf(page.body) },
        `/intake/${itemId}`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'nhsNumber', /NHS number/);
      assert.match(res.body, /value="Chapeltown Surgery"/, 'what was typed is kept');
      assert.equal(await count('referrals'), referrals);
    });

    it('refuses an upload form sent with no file chosen, naming the file field', async () => {
      await emailInIntake();
      const res = await upload(
        p.booking,
        '/intake/upload',
        { filename: '', contentType: 'application/octet-stream', content: Buffer.alloc(0) },
        '/intake',
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'file', /Select an email file/);
      assert.equal(await count('intake_items'), 1);
    });

    it('makes the email a referral for the chosen patient; the item is then converted', async () => {
      const itemId = await emailInIntake();
      const page = await p.booking.get(`/intake/${itemId}`);
      const referrals = await count('referrals');
      const res = await p.booking.post(
        `/intake/${itemId}/confirm`,
        {
          ...ERS_FORM,
          source: 'e-rs', // ignored: an email referral is always "email"
          ubrn: '',
          referrerOdsCode: '',
          referrerName: 'Dr Rhiannon Hughes',
          referrerRole: 'Consultant neurologist',
          referrerGrade: 'consultant',
          referrerOrganisation: 'Leeds General Infirmary',
          referrerEmail: 'rhiannon.hughes@nhs.net',
          patientChoice: p.patientId,
          nhsNumber: '',
          version: versionOf(page.body),
        },
        `/intake/${itemId}`,
      );
      const newId = idFromLocation(res, '/referrals');
      assert.equal(await count('referrals'), referrals + 1);
      const referral = await p.booking.get(`/referrals/${newId}`);
      assert.match(referral.body, /by Consultant email/);
      assert.match(referral.body, /referral-letter\.pdf/, 'the attachment stays with the referral');
      const item = await p.booking.get(`/intake/${itemId}`);
      assert.match(item.body, new RegExp(`Made into a <a href="/referrals/${newId}">referral</a>`));
      assert.ok(!item.body.includes(`action="/intake/${itemId}/confirm"`), 'no second confirm');
      const converted = await p.booking.get('/intake?view=converted');
      assert.ok(converted.body.includes(`href="/intake/${itemId}"`));
      const fresh = await p.booking.get('/intake');
      assert.ok(!fresh.body.includes(`href="/intake/${itemId}"`));
      const row = await p.t.deps.database.db
        .selectFrom('intake_items')
        .select(['state', 'referral_id'])
        .where('id', '=', itemId)
        .executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { state: 'converted', referral_id: newId });
      const again = await p.booking.post(
        `/intake/${itemId}/confirm`,
        {
          ...ERS_FORM,
          ubrn: '',
          referrerOdsCode: '',
          referrerGrade: 'consultant',
          patientChoice: p.patientId,
          version: '1',
        },
        '/intake', // the item page has no form now: take the token from the upload form
      );
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /already been made into a referral/);
      assert.equal(await count('referrals'), referrals + 1);
    });

    it('keeps an upload that is not an email and shows it could not be read', async () => {
      const garbage = noise(512);
      const unreadableId = await unreadableInIntake(garbage);
      const page = await p.booking.get(`/intake/${unreadableId}`);
      assert.match(page.body, /This email could not be read/);
      const docId = documentIdFor(page.body, /Original email/);
      const original = await p.booking.get(`/documents/${docId}`);
      assert.ok(original.rawPayload.equals(garbage), 'the original bytes are kept');
      assert.equal(original.headers['content-type'], 'application/octet-stream');
      const list = await p.booking.get('/intake');
      assert.match(list.body, /Could not be read/);
      assert.ok(list.body.includes(`href="/intake/${unreadableId}"`));
    });

    it('closes an email as not a referral only with a reason', async () => {
      const unreadableId = await unreadableInIntake(noise(512));
      const page = await p.booking.get(`/intake/${unreadableId}`);
      const version = versionOf(page.body);
      const bad = await p.booking.post(
        `/intake/${unreadableId}/close`,
        { closedReason: '  ', version },
        `/intake/${unreadableId}`,
      );
      assert.equal(bad.statusCode, 400);
      assertSummaryNames(bad.body, 'closedReason', /why this email is not a referral/);
      const ok = await p.booking.post(
        `/intake/${unreadableId}/close`,
        { closedReason: 'A scanned fax, not an email', version },
        `/intake/${unreadableId}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/intake');
      const closed = await p.booking.get('/intake?view=closed');
      assert.ok(closed.body.includes(`href="/intake/${unreadableId}"`));
      const item = await p.booking.get(`/intake/${unreadableId}`);
      assert.match(item.body, /Closed: A scanned fax, not an email/);
    });
  });
});
