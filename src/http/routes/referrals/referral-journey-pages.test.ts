import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { pdfText } from '../../../../test/support/pdf-text.ts';
import { TINY_PDF } from '../../../../test/support/referral-email.ts';
import {
  acceptedReferral,
  attachPdf,
  book,
  bookedAppointmentId,
  dateFields,
  decide,
  recordReferral,
  SLOT,
  wholeJourney,
} from '../../../../test/support/referral-journey.ts';
import {
  ERS_FORM,
  decisionsFor,
  assertSummaryNames,
  idFromLocation,
  versionOf,
  upload,
  documentIdFor,
  startReferralPages,
  type ReferralPages,
} from '../../../../test/support/referral-pages.ts';

/**
 * An e-RS referral's journey through the referral pages: letters attached and downloaded, triage
 * (accepted, a decision changed, another referral not accepted), the first appointment booked,
 * rebooked, cancelled and attended, and the whole story in the timeline. Each test records the
 * referral it needs and takes it as far as it needs (test/support/referral-journey.ts).
 */

describe('referral pages', () => {
  let p: ReferralPages;

  before(async () => {
    p = await startReferralPages();
  });
  beforeEach(() => {
    // Each step a little later than the one before, as in real use, so the timeline has an order.
    p.t.clock.advanceSeconds(5);
  });
  after(async () => {
    await p.t.close();
  });

  describe('attached letters', () => {
    it('keeps an attached PDF and lists it with the referral', async () => {
      const referralId = await recordReferral(p);
      const before = await countRows(p.t.deps.database.db, 'documents');
      const res = await upload(
        p.booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'gp-letter.pdf', contentType: 'application/pdf', content: TINY_PDF },
        `/referrals/${referralId}`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const notice = `/referrals/${referralId}?done=letter-attached`;
      assert.equal(res.headers.location, notice);
      assert.equal(await countRows(p.t.deps.database.db, 'documents'), before + 1);
      const page = await p.booking.get(notice);
      assert.match(page.body, /Letter attached/);
      assert.match(page.body, /gp-letter\.pdf/);
      assert.ok(documentIdFor(page.body, /Attached document/));
    });

    it('shows banners only from its own set, never text from the address', async () => {
      const referralId = await recordReferral(p);
      const forged = await p.booking.get(
        `/referrals/${referralId}?done=${encodeURIComponent('Urgent: call 0800 000 000 with your password')}`,
      );
      assert.equal(forged.statusCode, 200);
      assert.doesNotMatch(forged.body, /0800 000 000/);
      assert.doesNotMatch(forged.body, /nhsuk-notification-banner--success/);
    });

    it('downloads the attachment back, byte for byte, as an attachment', async () => {
      const referralId = await recordReferral(p);
      await attachPdf(p, referralId, 'gp-letter.pdf');
      const documentId = documentIdFor(
        (await p.booking.get(`/referrals/${referralId}`)).body,
        /Attached document/,
      );
      const res = await p.nurse.get(`/documents/${documentId}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.headers['content-disposition'], 'attachment; filename="gp-letter.pdf"');
      assert.ok(res.rawPayload.equals(TINY_PDF));
      const audit = await p.t.deps.database.db
        .selectFrom('audit_events')
        .select(['username', 'patient_id'])
        .where('action', '=', 'document.view')
        .where('entity_id', '=', documentId)
        .execute();
      assert.deepEqual(
        audit.map((a) => ({ ...a })),
        [{ username: 'nia', patient_id: p.patientId }],
      );
    });

    it('downloads a file whose name is not plain ASCII, giving the name in UTF-8', async () => {
      const referralId = await recordReferral(p);
      const res = await upload(
        p.booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'Referral – Ann Smith.pdf', contentType: 'application/pdf', content: TINY_PDF },
        `/referrals/${referralId}`,
      );
      assert.equal(res.statusCode, 303);
      const page = await p.booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Referral – Ann Smith\.pdf/);
      const id = documentIdFor(page.body, /Attached document/);
      const download = await p.booking.get(`/documents/${id}`);
      assert.equal(download.statusCode, 200);
      assert.equal(
        download.headers['content-disposition'],
        `attachment; filename="Referral _ Ann Smith.pdf"; filename*=UTF-8''Referral%20%E2%80%93%20Ann%20Smith.pdf`,
      );
      assert.ok(download.rawPayload.equals(TINY_PDF));
    });
  });

  describe('triage', () => {
    it('lets a consultant accept with a priority; the acknowledgement letter names the patient', async () => {
      const referralId = await recordReferral(p);
      const form = await p.consultant.get(`/referrals/${referralId}/triage`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Triage the referral/);
      const res = await p.consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'urgent', version: versionOf(form.body) },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await p.consultant.get(String(res.headers.location));
      assert.match(page.body, /Decision recorded: Accepted/);
      assert.match(page.body, /id="referral-state">Accepted – urgent</);
      assert.match(page.body, /Acknowledgement letter \(to the referrer\)/);
      assert.match(page.body, /id="target-date">30 November 2026</, 'urgent: 14 days from receipt');
      assert.match(page.body, /id="target-days">14 days \(urgent\) from the date the referral was received</);
      const ackLetterId = documentIdFor(page.body, /Acknowledgement letter/);
      const letter = await p.booking.get(`/documents/${ackLetterId}`);
      assert.equal(letter.statusCode, 200);
      assert.equal(letter.headers['content-type'], 'application/pdf');
      assert.match(String(letter.headers['content-disposition']), /^attachment; filename="[^"]+\.pdf"$/);
      const text = pdfText(letter.rawPayload);
      assert.match(text, /Ann Smith/);
      assert.match(text, /485 777 3457/);
    });

    it('needs advice when a referral is not accepted', async () => {
      const other = await p.booking.post(
        '/referrals',
        { ...ERS_FORM, ubrn: '2222 3333 4444' },
        '/referrals/new',
      );
      const otherId = idFromLocation(other, '/referrals');
      const form = await p.consultant.get(`/referrals/${otherId}/triage`);
      const decisions = await countRows(p.t.deps.database.db, 'triage_decisions');
      const res = await p.consultant.post(
        `/referrals/${otherId}/triage`,
        { outcome: 'not-accepted', advice: '', version: versionOf(form.body) },
        `/referrals/${otherId}/triage`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'advice', /advice/i);
      assert.match(res.body, /id="advice-error"/);
      assert.equal(await countRows(p.t.deps.database.db, 'triage_decisions'), decisions);
      const redirected = await p.consultant.post(
        `/referrals/${otherId}/triage`,
        { outcome: 'redirected', redirectTo: 'Spasticity clinic', advice: '', version: '1' },
        `/referrals/${otherId}/triage`,
      );
      assert.equal(redirected.statusCode, 400);
      assertSummaryNames(redirected.body, 'advice');
      const waiting = await p.consultant.get(`/referrals/${otherId}`);
      assert.match(waiting.body, /id="referral-state">Waiting for triage</);
      const ok = await p.consultant.post(
        `/referrals/${otherId}/triage`,
        {
          outcome: 'not-accepted',
          advice: 'Please try botulinum toxin injections first & review in 3 months.',
          version: versionOf(form.body),
        },
        `/referrals/${otherId}/triage`,
      );
      assert.equal(ok.statusCode, 303);
      const page = await p.consultant.get(`/referrals/${otherId}`);
      assert.match(page.body, /id="referral-state">Not accepted</);
      assert.match(page.body, /Please try botulinum toxin injections first &amp; review in 3 months\./);
      const letterId = documentIdFor(page.body, /Advice letter \(to the referrer\)/);
      const letter = await p.booking.get(`/documents/${letterId}`);
      assert.match(
        pdfText(letter.rawPayload),
        /Please try botulinum toxin injections first & review in 3 months\./,
      );
      assert.ok(!page.body.includes(`/referrals/${otherId}/appointments/new`), 'nothing to book');
    });

    it('needs a reason to change a decision, and keeps both decisions', async () => {
      const referralId = await acceptedReferral(p, 'urgent');
      const form = await p.consultant.get(`/referrals/${referralId}/triage`);
      assert.match(form.body, /Change the triage decision/);
      const version = versionOf(form.body);
      const res = await p.consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'routine', version },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'reason');
      assert.equal(await decisionsFor(p.t, referralId), 1);
      const ok = await p.consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'routine', reason: 'Discussed with the GP: not urgent', version },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(ok.statusCode, 303);
      const page = await p.consultant.get(`/referrals/${referralId}`);
      assert.match(page.body, /id="referral-state">Accepted – routine</);
      assert.match(page.body, /Discussed with the GP: not urgent/);
      assert.equal(await decisionsFor(p.t, referralId), 2);
    });

    it('refuses a decision made on a version someone has since changed', async () => {
      const referralId = await acceptedReferral(p, 'urgent');
      await decide(p, referralId, {
        outcome: 'accepted',
        priority: 'routine',
        reason: 'Discussed with the GP: not urgent',
      });
      const res = await p.consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'urgent', reason: 'Back to urgent', version: '1' },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /Your decision was not saved/);
      assert.equal(await decisionsFor(p.t, referralId), 2);
    });

    it('empties the triage queue once each referral is decided', async () => {
      // A service of its own: the queue and the lists are of every referral it holds.
      const own = await startReferralPages();
      try {
        const referralId = await acceptedReferral(own, 'urgent');
        const otherId = await recordReferral(own);
        await decide(own, otherId, { outcome: 'not-accepted', advice: 'Please try botulinum toxin first.' });
        const queue = await own.nurse.get('/triage');
        assert.equal(queue.statusCode, 200);
        assert.match(queue.body, /No referrals are waiting for triage/);
        const accepted = await own.nurse.get('/referrals?state=accepted');
        assert.ok(accepted.body.includes(`href="/referrals/${referralId}"`));
        const notAccepted = await own.nurse.get('/referrals?state=not-accepted');
        assert.match(notAccepted.body, /1 referral \(not accepted\), most recently received first/);
      } finally {
        await own.t.close();
      }
    });
  });

  describe('first appointments', () => {
    it('refuses a date before the referral was received, naming the date', async () => {
      const referralId = await acceptedReferral(p);
      const page = await p.booking.get(`/referrals/${referralId}`);
      assert.ok(page.body.includes(`href="/referrals/${referralId}/appointments/new"`));
      const appointments = await countRows(p.t.deps.database.db, 'appointments');
      const res = await p.booking.post(
        `/referrals/${referralId}/appointments`,
        { ...SLOT, ...dateFields('10', '11') },
        `/referrals/${referralId}/appointments/new`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'date-day', /on or after the date the referral was received/);
      assert.match(res.body, /value="Spasticity clinic"/);
      assert.equal(await countRows(p.t.deps.database.db, 'appointments'), appointments);
    });

    it('refuses a consultant, who cannot manage bookings', async () => {
      const referralId = await acceptedReferral(p);
      const res = await p.consultant.get(`/referrals/${referralId}/appointments/new`);
      assert.equal(res.statusCode, 403);
    });

    it('books the first appointment; the waiting list shows it booked within target', async () => {
      const referralId = await acceptedReferral(p);
      const res = await p.booking.post(
        `/referrals/${referralId}/appointments`,
        { ...SLOT, ...dateFields('1', '12') },
        `/referrals/${referralId}/appointments/new`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await p.booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Appointment booked/);
      assert.match(page.body, /1 December 2026, 09:30/);
      assert.match(page.body, /Appointment letter \(to the patient\)/);
      assert.match(page.body, /id="wait-status">Booked within target</);
      assert.ok(!page.body.includes('/appointments/new'), 'no second booking offered');
      assert.ok(/href="\/appointments\/([0-9a-f-]{36})\/rebook"/.exec(page.body)?.[1]);
      const list = await p.nurse.get('/waiting-list');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /nhsuk-tag--green">Booked within target</);
      assert.match(list.body, /SMITH, Ann/);
      assert.match(list.body, /1 December 2026, 09:30/);
    });

    it('rebooks: the old appointment is cancelled with its reason and a new one booked', async () => {
      const referralId = await acceptedReferral(p);
      const appointments = await countRows(p.t.deps.database.db, 'appointments');
      const appointmentId = await book(p, referralId, '1', '12');
      const form = await p.booking.get(`/appointments/${appointmentId}/rebook`);
      assert.equal(form.statusCode, 200);
      const res = await p.booking.post(
        `/appointments/${appointmentId}/rebook`,
        {
          ...SLOT,
          time: '14:00',
          ...dateFields('8', '12'),
          cancelReason: 'patient-cancelled',
          cancelNote: 'On holiday',
          version: versionOf(form.body),
        },
        `/appointments/${appointmentId}/rebook`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await p.booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Cancelled: patient cancelled \(On holiday\)/);
      assert.match(page.body, /8 December 2026, 14:00/);
      assert.equal(await countRows(p.t.deps.database.db, 'appointments'), appointments + 2);
      const stale = await p.booking.post(
        `/appointments/${appointmentId}/cancel`,
        { cancelReason: 'hospital-cancelled', version: '1' },
        `/referrals/${referralId}`,
      );
      assert.equal(stale.statusCode, 409, 'the old appointment is no longer booked');
      assert.ok(/href="\/appointments\/([0-9a-f-]{36})\/cancel"/.exec(page.body)?.[1]);
    });

    it('cancels: a future appointment cannot be "did not attend"; the wait goes back to not booked', async () => {
      const referralId = await acceptedReferral(p);
      await book(p, referralId, '8', '12', '14:00');
      const appointmentId = await bookedAppointmentId(p, referralId, 'cancel');
      const form = await p.booking.get(`/appointments/${appointmentId}/cancel`);
      const version = versionOf(form.body);
      const dna = await p.booking.post(
        `/appointments/${appointmentId}/cancel`,
        { cancelReason: 'did-not-attend', version },
        `/appointments/${appointmentId}/cancel`,
      );
      assert.equal(dna.statusCode, 400);
      assertSummaryNames(dna.body, 'cancelReason', /in the future/);
      const res = await p.booking.post(
        `/appointments/${appointmentId}/cancel`,
        { cancelReason: 'hospital-cancelled', cancelNote: 'Clinic closed', version },
        `/appointments/${appointmentId}/cancel`,
      );
      assert.equal(res.statusCode, 303);
      const page = await p.booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Cancelled: hospital cancelled \(Clinic closed\)/);
      assert.match(page.body, /id="wait-status">Not booked – 34 days left</);
      const list = await p.nurse.get('/waiting-list');
      assert.match(list.body, /Not booked – 34 days left/);
      assert.match(list.body, /Not booked<\/td>/);
    });

    it('records the outcome of an attended appointment; the patient leaves the waiting list', async () => {
      const referralId = await acceptedReferral(p);
      const book1 = await p.booking.post(
        `/referrals/${referralId}/appointments`,
        { ...SLOT, ...dateFields('24', '11') },
        `/referrals/${referralId}/appointments/new`,
      );
      assert.equal(book1.statusCode, 303);
      const page = await p.booking.get(`/referrals/${referralId}`);
      const id = /href="\/appointments\/([0-9a-f-]{36})\/outcome"/.exec(page.body)?.[1] ?? '';
      const form = await p.booking.get(`/appointments/${id}/outcome`);
      const version = versionOf(form.body);
      const empty = await p.booking.post(
        `/appointments/${id}/outcome`,
        { outcomeNote: '', version },
        `/appointments/${id}/outcome`,
      );
      assert.equal(empty.statusCode, 400);
      assertSummaryNames(empty.body, 'outcomeNote');
      const res = await p.booking.post(
        `/appointments/${id}/outcome`,
        { outcomeNote: 'Seen: proceed to ITB assessment', version },
        `/appointments/${id}/outcome`,
      );
      assert.equal(res.statusCode, 303);
      const after = await p.booking.get(`/referrals/${referralId}`);
      assert.match(after.body, /Attended: Seen: proceed to ITB assessment/);
      assert.match(after.body, /id="wait-status">Seen within target</);
      const list = await p.nurse.get('/waiting-list');
      assert.ok(!list.body.includes(`href="/referrals/${referralId}"`));
    });

    it('tells the whole story in the timeline, in order, with who did each step', async () => {
      const referralId = await wholeJourney(p);
      const page = await p.nurse.get(`/referrals/${referralId}`);
      const timeline = page.body.slice(page.body.indexOf('id="timeline"'));
      const titles = [...timeline.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
      assert.deepEqual(titles.slice(0, 6), [
        'Referral received (e-RS (formerly Choose and Book))',
        'Referral recorded',
        'Document attached',
        'Document attached',
        'Triaged: Accepted (urgent)',
        'Acknowledgement letter made',
      ]);
      for (const title of [
        'Decision changed: Accepted (routine)',
        'Appointment rebooked',
        'Appointment cancelled: patient cancelled',
        'Appointment cancelled: hospital cancelled',
        'Attended first appointment',
      ]) {
        assert.ok(titles.includes(title), `timeline has "${title}"`);
      }
      assert.equal(titles.at(-1), 'Attended first appointment');
      assert.match(timeline, /Reason for change: Discussed with the GP: not urgent/);
      assert.match(timeline, /· Test consultant/);
      assert.match(timeline, /· Test booking-coordinator/);
    });
  });
});
