import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  acceptedReferral,
  book,
  changeAppointment,
  recordReferral,
} from '../../../../test/support/referral-journey.ts';
import { startReferralPages, type ReferralPages } from '../../../../test/support/referral-pages.ts';

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
});
