import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  acceptedReferral,
  book,
  bookedAppointmentId,
  changeAppointment,
  dateFields,
  decide,
  recordReferral,
  SLOT,
} from '../../../../test/support/referral-journey.ts';
import {
  assertSummaryNames,
  startReferralPages,
  versionOf,
  type ReferralPages,
} from '../../../../test/support/referral-pages.ts';

/**
 * What the referral page says, read as staff read it: the reason as typed (no blank line
 * before it), a seen referral's wait by the day it was seen (never "Not booked"), and the
 * patient's page listing the patient's referrals with a way to record another for them.
 */
describe('the referral page and the patient’s referrals', () => {
  let p: ReferralPages;

  before(async () => {
    p = await startReferralPages();
  });
  after(async () => {
    await p.t.close();
  });

  it('shows the reason for referral from its first character, its own line breaks kept', async () => {
    const id = await recordReferral(p, { reason: 'Severe spasticity\nDespite oral baclofen' });
    const page = await p.booking.get(`/referrals/${id}`);
    // The white-space block starts with the text: no newline or indentation before it, which a
    // pre-line block shows as a blank first line.
    assert.match(
      page.body,
      /<div class="app-preserve-lines" id="referral-reason">Severe spasticity\r?\n\s*Despite oral baclofen<\/div>/,
    );
    assert.doesNotMatch(page.body, /app-preserve-lines">\s*\n\s*Severe/);
  });

  it('says when a seen referral was seen, beside "Seen within target", not "Not booked"', async () => {
    const id = await acceptedReferral(p, 'routine');
    const appointmentId = await book(p, id, '24', '11');
    await changeAppointment(p, appointmentId, 'outcome', { outcomeNote: 'Seen: proceed to assessment' });
    const page = await p.booking.get(`/referrals/${id}`);
    assert.match(page.body, /id="wait-status">Seen within target</);
    assert.match(page.body, /Seen on/);
    assert.match(page.body, /id="wait-seen">24 November 2026</);
    assert.doesNotMatch(page.body, /Not booked/);
  });

  it('still says "Not booked" for an accepted referral with nothing booked', async () => {
    const id = await acceptedReferral(p, 'routine');
    const page = await p.booking.get(`/referrals/${id}`);
    assert.match(page.body, /id="wait-booked">Not booked</);
    assert.doesNotMatch(page.body, /Seen on/);
  });

  it('the patient’s page lists their referrals, each linked, and records another for them', async () => {
    const id = await recordReferral(p);
    const page = await p.booking.get(`/patients/${p.patientId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2>Referrals<\/h2>/);
    assert.match(page.body, new RegExp(`href="/referrals/${id}"`));
    const newLink = /href="(\/referrals\/new\?nhsNumber=[^"]+)"/.exec(page.body)?.[1];
    assert.equal(newLink, '/referrals/new?nhsNumber=4857773457');
    const form = await p.booking.get(newLink);
    assert.equal(form.statusCode, 200);
    assert.match(
      form.body,
      /name="nhsNumber"[^>]*value="485 ?777 ?3457"|value="485 ?777 ?3457"[^>]*name="nhsNumber"/,
    );
  });

  describe('booking beyond the target (urgent: 30 November 2026; routine: 28 December)', () => {
    const bookUrl = (id: string) => `/referrals/${id}/appointments`;

    it('shows the target on the form, and no confirmation while the target has not passed', async () => {
      const id = await acceptedReferral(p, 'urgent');
      const form = await p.booking.get(`${bookUrl(id)}/new`);
      assert.match(form.body, /id="booking-target">30 November 2026<\/strong> \(14 days, urgent\)/);
      assert.doesNotMatch(form.body, /name="confirmBeyondTarget"/);
    });

    it('refuses a date after the target without the confirmation (400), naming the checkbox', async () => {
      const id = await acceptedReferral(p, 'urgent');
      const res = await p.booking.post(
        bookUrl(id),
        { ...SLOT, ...dateFields('7', '12') },
        `${bookUrl(id)}/new`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(
        res.body,
        'confirmBeyondTarget',
        /7 December 2026 is after this referral&#39;s target date, 30 November 2026/,
      );
      assert.match(res.body, /Booking beyond the target/);
      assert.match(
        res.body,
        /id="confirmBeyondTarget" name="confirmBeyondTarget" type="checkbox" value="yes"/,
      );
      assert.match(res.body, /Confirm booking beyond the target/);
      // What was typed is kept, so ticking the box is the only thing left to do.
      assert.match(res.body, /id="clinic" name="clinic" type="text" value="Spasticity clinic"/);
      const page = await p.booking.get(`/referrals/${id}`);
      assert.match(page.body, /No appointments booked/);
    });

    it('books after the target once confirmed, and the referral page says it was confirmed', async () => {
      const id = await acceptedReferral(p, 'urgent');
      const res = await p.booking.post(
        bookUrl(id),
        { ...SLOT, ...dateFields('7', '12'), confirmBeyondTarget: 'yes' },
        `${bookUrl(id)}/new`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await p.booking.get(`/referrals/${id}`);
      assert.match(page.body, /7 December 2026, 09:30/);
      assert.match(page.body, /Booked after the target date \(30 November 2026\), confirmed/);
      assert.match(page.body, /id="wait-status">Will breach</);
    });

    it('needs nothing confirmed for the same date on a routine referral', async () => {
      const id = await acceptedReferral(p, 'routine');
      await book(p, id, '7', '12');
      const page = await p.booking.get(`/referrals/${id}`);
      assert.doesNotMatch(page.body, /Booked after the target date/);
    });

    it('asks up front once the target has passed, and of a rebooking too', async () => {
      const id = await acceptedReferral(p, 'urgent');
      await book(p, id, '27', '11');
      const appointmentId = await bookedAppointmentId(p, id);
      const url = `/appointments/${appointmentId}/rebook`;
      const form = await p.booking.get(url);
      const refused = await p.booking.post(
        url,
        {
          ...SLOT,
          ...dateFields('4', '12'),
          cancelReason: 'patient-cancelled',
          version: versionOf(form.body),
        },
        url,
      );
      assert.equal(refused.statusCode, 400);
      assertSummaryNames(refused.body, 'confirmBeyondTarget');
      // Received 1 November: the urgent target, 15 November, has passed: every date is beyond it.
      const late = await recordReferral(p, { 'receivedOn-day': '1' });
      await decide(p, late, { outcome: 'accepted', priority: 'urgent' });
      const lateForm = await p.booking.get(`${bookUrl(late)}/new`);
      assert.match(lateForm.body, /id="booking-target">15 November 2026</);
      assert.match(lateForm.body, /name="confirmBeyondTarget"/);
      assert.match(lateForm.body, /Booking beyond the target/);
    });
  });
});
