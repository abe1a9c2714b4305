import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { buildOutlookMsg } from '../../../../test/support/outlook-msg.ts';
import { TINY_PDF, buildReferralEmail } from '../../../../test/support/referral-email.ts';
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
 * Email intake on the referral pages: an uploaded .eml or Outlook .msg offered to the patient it
 * names, a duplicate, a referral made from it, an email closed as not a referral, and an upload
 * that is not an email refused. Each test has a service of its own, so the intake holds only
 * the emails it uploads.
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

    /** Uploads a file that is not an email; the response. */
    const uploadNotEmail = (content: Buffer, filename = 'scan.eml') =>
      upload(
        p.booking,
        '/intake/upload',
        { filename, contentType: 'application/octet-stream', content },
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

    it('refuses an upload that is not an email, naming the file field, and keeps nothing', async () => {
      const cases: [string, Buffer][] = [
        ['scan.eml', noise(512)],
        ['letter.eml', TINY_PDF],
        ['notes.txt', Buffer.from('Clinic notes\r\nSubject: ITB referral\r\n\r\nPlease see.\r\n')],
      ];
      for (const [filename, content] of cases) {
        const res = await uploadNotEmail(content, filename);
        assert.equal(res.statusCode, 400, filename);
        assertSummaryNames(res.body, 'file', new RegExp(`“${filename.replace('.', '\\.')}” is not an email`));
        assert.match(res.body, /Save the email from Outlook \(\.msg\) or as an \.eml file/);
      }
      assert.equal(await count('intake_items'), 0);
      assert.equal(await count('documents'), 0);
    });

    it('takes in an Outlook .msg file as it does an .eml', async () => {
      const msg = buildOutlookMsg({
        subject: 'ITB referral from clinic',
        senderName: 'Dr Rhiannon Hughes',
        senderEmail: 'rhiannon.hughes@nhs.net',
        body: 'Dear colleagues,\r\nPlease see this patient (NHS number 485 777 3457).\r\n',
        sentAt: new Date('2026-11-20T09:15:00Z'),
        attachments: [{ filename: 'referral-letter.pdf', contentType: 'application/pdf', content: TINY_PDF }],
      });
      const res = await upload(
        p.booking,
        '/intake/upload',
        { filename: 'Referral.msg', contentType: 'application/vnd.ms-outlook', content: msg },
        '/intake',
      );
      const itemId = idFromLocation(res, '/intake');
      const page = await p.booking.get(`/intake/${itemId}`);
      assert.match(page.body, /ITB referral from clinic/);
      assert.match(page.body, /Dr Rhiannon Hughes/);
      assert.match(page.body, /20 November 2026(,| at) 09:15/);
      assert.match(page.body, /SMITH, Ann – NHS number 485 777 3457/);
      const pdf = await p.booking.get(`/documents/${documentIdFor(page.body, /referral-letter\.pdf/)}`);
      assert.ok(pdf.rawPayload.equals(TINY_PDF), 'the attachment is kept as sent');
      const original = await p.booking.get(
        `/documents/${documentIdFor(page.body, /Original email \(\.msg\)/)}`,
      );
      assert.ok(original.rawPayload.equals(msg), 'the .msg file itself is kept');
      assert.match(String(original.headers['content-disposition']), /original-message\.msg/);
    });

    it('links "Register this patient" to the registration form for this email', async () => {
      const eml = await buildReferralEmail({
        messageId: '<unregistered@nhs.net>',
        nhsNumber: '943 476 5919',
      });
      const res = await upload(
        p.booking,
        '/intake/upload',
        { filename: 'r.eml', contentType: 'message/rfc822', content: eml },
        '/intake',
      );
      const itemId = idFromLocation(res, '/intake');
      const page = await p.booking.get(`/intake/${itemId}`);
      assert.match(
        page.body,
        new RegExp(
          `<a href="/patients/new\\?intake=${itemId}" id="register-patient">Register this patient</a>`,
        ),
      );
      assert.match(page.body, /NHS number 943 476 5919 is in the email/);
      assert.match(page.body, /name="nhsNumber"[^>]*value="943 476 5919"/, 'prefilled 3-3-4');
      const list = await p.booking.get('/intake');
      assert.match(list.body, /<table class="nhsuk-table-responsive">/);
      assert.match(list.body, /nhsuk-table-responsive__heading" aria-hidden="true">NHS numbers found/);
      assert.match(list.body, /943 476 5919/);
    });

    it('says the patient was registered on coming back from the registration form', async () => {
      const itemId = await emailInIntake();
      const patientId = '0b6f3a52-3c1e-4d3b-9a57-1f2e3d4c5b6a';
      const back = await p.booking.get(`/intake/${itemId}?registered=${patientId}`);
      assert.match(back.body, /Patient registered/);
      assert.match(back.body, new RegExp(`<a href="/patients/${patientId}">Open the new patient record</a>`));
      const forged = await p.booking.get(`/intake/${itemId}?registered=%22%3E%3Cscript%3E`);
      assert.equal(forged.statusCode, 200);
      assert.doesNotMatch(forged.body, /Patient registered|<script>/);
    });

    it('does not offer to register a patient already matched', async () => {
      const itemId = await emailInIntake();
      const page = await p.booking.get(`/intake/${itemId}`);
      assert.doesNotMatch(page.body, /id="register-patient"/);
    });

    it('closes an email as not a referral only with a reason', async () => {
      const itemId = await emailInIntake();
      const page = await p.booking.get(`/intake/${itemId}`);
      const version = versionOf(page.body);
      const bad = await p.booking.post(
        `/intake/${itemId}/close`,
        { closedReason: '  ', version },
        `/intake/${itemId}`,
      );
      assert.equal(bad.statusCode, 400);
      assertSummaryNames(bad.body, 'closedReason', /why this email is not a referral/);
      const ok = await p.booking.post(
        `/intake/${itemId}/close`,
        { closedReason: 'A question about an existing patient', version },
        `/intake/${itemId}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/intake');
      const closed = await p.booking.get('/intake?view=closed');
      assert.ok(closed.body.includes(`href="/intake/${itemId}"`));
      const item = await p.booking.get(`/intake/${itemId}`);
      assert.match(item.body, /Closed: A question about an existing patient/);
    });
  });
});
