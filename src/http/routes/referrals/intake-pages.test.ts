import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildReferralEmail } from '../../../../test/support/referral-email.ts';
import type { Browser, TestApp } from '../../../../test/support/test-app.ts';
import {
  ERS_FORM,
  countRows,
  assertSummaryNames,
  idFromLocation,
  versionOf,
  upload,
  documentIdFor,
  noise,
  startReferralPages,
} from '../../../../test/support/referral-pages.ts';

/**
 * Email intake on the referral pages: an uploaded .eml offered to the patient it names, a
 * duplicate, a referral made from it, and an upload that is not an email kept and closed.
 */

describe('referral pages', () => {
  let t: TestApp;
  let booking: Browser;
  let patientId = '';

  before(async () => {
    ({ t, booking, patientId } = await startReferralPages());
  });
  beforeEach(() => {
    // Each step a little later than the one before, as in real use, so the timeline has an order.
    t.clock.advanceSeconds(5);
  });
  after(async () => {
    await t.close();
  });

  describe('email intake', () => {
    let itemId = '';
    let eml: Buffer;

    before(async () => {
      eml = await buildReferralEmail({
        messageId: '<referral-1@leeds.nhs.net>',
        nhsNumber: '485 777 3457',
        withPdf: true,
      });
    });

    it('takes in an uploaded .eml and offers the registered patient it names', async () => {
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: 'referral.eml', contentType: 'message/rfc822', content: eml },
        '/intake',
      );
      itemId = idFromLocation(res, '/intake');
      assert.equal(res.headers.location, `/intake/${itemId}`);
      const page = await booking.get(`/intake/${itemId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Referral for ITB assessment/);
      assert.match(page.body, /Dr Rhiannon Hughes/);
      const radio = new RegExp(`<input[^>]*name="patientChoice"[^>]*value="${patientId}"[^>]*>`).exec(
        page.body,
      );
      assert.ok(radio, 'the patient is offered as a match');
      assert.match(radio[0], /checked/);
      assert.match(page.body, /SMITH, Ann – NHS number 485 777 3457/);
      assert.match(page.body, /referral-letter\.pdf/);
      assert.match(page.body, /value="rhiannon\.hughes@nhs\.net"/);
      const list = await booking.get('/intake');
      assert.match(list.body, /To confirm \(1\)/);
    });

    it('says an email uploaded again was already there, and keeps one item', async () => {
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: 'copy.eml', contentType: 'message/rfc822', content: eml },
        '/intake',
      );
      assert.equal(res.statusCode, 303);
      const duplicate = `/intake/${itemId}?duplicate=1`;
      assert.equal(res.headers.location, duplicate);
      const page = await booking.get(duplicate);
      assert.match(page.body, /already in the intake/);
      assert.equal(await countRows(t, 'intake_items'), 1);
    });

    it('asks for the patient when "another patient" is chosen without an NHS number', async () => {
      const page = await booking.get(`/intake/${itemId}`);
      const referrals = await countRows(t, 'referrals');
      const res = await booking.post(
        `/intake/${itemId}/confirm`,
        { ...ERS_FORM, ubrn: '', patientChoice: 'other', nhsNumber: '', version: versionOf(page.body) },
        `/intake/${itemId}`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'nhsNumber', /NHS number/);
      assert.match(res.body, /value="Chapeltown Surgery"/, 'what was typed is kept');
      assert.equal(await countRows(t, 'referrals'), referrals);
    });

    it('refuses an upload form sent with no file chosen, naming the file field', async () => {
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: '', contentType: 'application/octet-stream', content: Buffer.alloc(0) },
        '/intake',
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'file', /Select an email file/);
      assert.equal(await countRows(t, 'intake_items'), 1);
    });

    it('makes the email a referral for the chosen patient; the item is then converted', async () => {
      const page = await booking.get(`/intake/${itemId}`);
      const referrals = await countRows(t, 'referrals');
      const res = await booking.post(
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
          patientChoice: patientId,
          nhsNumber: '',
          version: versionOf(page.body),
        },
        `/intake/${itemId}`,
      );
      const newId = idFromLocation(res, '/referrals');
      assert.equal(await countRows(t, 'referrals'), referrals + 1);
      const referral = await booking.get(`/referrals/${newId}`);
      assert.match(referral.body, /by Consultant email/);
      assert.match(referral.body, /referral-letter\.pdf/, 'the attachment stays with the referral');
      const item = await booking.get(`/intake/${itemId}`);
      assert.match(item.body, new RegExp(`Made into a <a href="/referrals/${newId}">referral</a>`));
      assert.ok(!item.body.includes(`action="/intake/${itemId}/confirm"`), 'no second confirm');
      const converted = await booking.get('/intake?view=converted');
      assert.ok(converted.body.includes(`href="/intake/${itemId}"`));
      const fresh = await booking.get('/intake');
      assert.ok(!fresh.body.includes(`href="/intake/${itemId}"`));
      const row = await t.deps.database.db
        .selectFrom('intake_items')
        .select(['state', 'referral_id'])
        .where('id', '=', itemId)
        .executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { state: 'converted', referral_id: newId });
      const again = await booking.post(
        `/intake/${itemId}/confirm`,
        {
          ...ERS_FORM,
          ubrn: '',
          referrerOdsCode: '',
          referrerGrade: 'consultant',
          patientChoice: patientId,
          version: '1',
        },
        '/intake', // the item page has no form now: take the token from the upload form
      );
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /already been made into a referral/);
      assert.equal(await countRows(t, 'referrals'), referrals + 1);
    });

    let unreadableId = '';
    it('keeps an upload that is not an email and shows it could not be read', async () => {
      const garbage = noise(512);
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: 'scan.eml', contentType: 'application/octet-stream', content: garbage },
        '/intake',
      );
      unreadableId = idFromLocation(res, '/intake');
      const page = await booking.get(`/intake/${unreadableId}`);
      assert.match(page.body, /This email could not be read/);
      const docId = documentIdFor(page.body, /Original email/);
      const original = await booking.get(`/documents/${docId}`);
      assert.ok(original.rawPayload.equals(garbage), 'the original bytes are kept');
      assert.equal(original.headers['content-type'], 'application/octet-stream');
      const list = await booking.get('/intake');
      assert.match(list.body, /Could not be read/);
      assert.ok(list.body.includes(`href="/intake/${unreadableId}"`));
    });

    it('closes an email as not a referral only with a reason', async () => {
      const page = await booking.get(`/intake/${unreadableId}`);
      const version = versionOf(page.body);
      const bad = await booking.post(
        `/intake/${unreadableId}/close`,
        { closedReason: '  ', version },
        `/intake/${unreadableId}`,
      );
      assert.equal(bad.statusCode, 400);
      assertSummaryNames(bad.body, 'closedReason', /why this email is not a referral/);
      const ok = await booking.post(
        `/intake/${unreadableId}/close`,
        { closedReason: 'A scanned fax, not an email', version },
        `/intake/${unreadableId}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/intake');
      const closed = await booking.get('/intake?view=closed');
      assert.ok(closed.body.includes(`href="/intake/${unreadableId}"`));
      const item = await booking.get(`/intake/${unreadableId}`);
      assert.match(item.body, /Closed: A scanned fax, not an email/);
    });
  });
});
