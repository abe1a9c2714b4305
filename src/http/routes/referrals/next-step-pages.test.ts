import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { pdfText } from '../../../../test/support/pdf-text.ts';
import { acceptedReferral, book } from '../../../../test/support/referral-journey.ts';
import {
  documentIdFor,
  startReferralPages,
  versionOf,
  type ReferralPages,
} from '../../../../test/support/referral-pages.ts';
import { addTestUser, apiTokenFor, Browser } from '../../../../test/support/test-app.ts';

/**
 * The first appointment's outcome as a next step, through the pages (a plain form, so it works
 * with JavaScript off) and the API: validated, shown on the referral page and its timeline with
 * the clinic letter, leading on to the assessment or the next booking. Today is 24 November 2026.
 */
describe('first-appointment next step, in the pages and the API', () => {
  let p: ReferralPages;
  let consultant: Browser;

  before(async () => {
    p = await startReferralPages();
    await addTestUser(p.t, 'consultant', 'cora');
    consultant = new Browser(p.t);
    await consultant.signIn('cora');
  });
  beforeEach(() => {
    p.t.clock.advanceSeconds(5);
  });
  after(async () => {
    await p.t.close();
  });

  /** An accepted referral with its appointment today; the referral and appointment ids. */
  const seenToday = async () => {
    const referralId = await acceptedReferral(p);
    const appointmentId = await book(p, referralId, '24', '11');
    return { referralId, appointmentId };
  };

  it('offers the form to nurses and consultants, not to booking coordinators', async () => {
    const { referralId, appointmentId } = await seenToday();
    const nursePage = await p.nurse.get(`/referrals/${referralId}`);
    assert.match(nursePage.body, new RegExp(`href="/appointments/${appointmentId}/next-step"`));
    const bookingPage = await p.booking.get(`/referrals/${referralId}`);
    assert.doesNotMatch(bookingPage.body, /\/next-step"/);
    assert.equal((await p.booking.get(`/appointments/${appointmentId}/next-step`)).statusCode, 403);
    const form = await consultant.get(`/appointments/${appointmentId}/next-step`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<form method="post" action="\/appointments\/[0-9a-f-]{36}\/next-step"/);
    assert.match(form.body, /Start a selection assessment/);
    assert.match(form.body, /Refer elsewhere/);
  });

  it('says before anything is typed when the appointment has not happened yet', async () => {
    const referralId = await acceptedReferral(p);
    const appointmentId = await book(p, referralId, '1', '12');
    const form = await p.nurse.get(`/appointments/${appointmentId}/next-step`);
    assert.match(form.body, /This appointment has not happened yet/);
    assert.match(form.body, /Its outcome can be recorded on or after 1 December 2026\./);
    const today = await seenToday();
    const ready = await p.nurse.get(`/appointments/${today.appointmentId}/next-step`);
    assert.doesNotMatch(ready.body, /has not happened yet/);
  });

  it('names each missing or wrong field in the error summary and saves nothing', async () => {
    const { appointmentId } = await seenToday();
    const url = `/appointments/${appointmentId}/next-step`;
    const form = await p.nurse.get(url);
    const before = await countRows(p.t.deps.database.db, 'first_appointment_outcomes');
    const empty = await p.nurse.post(url, { version: versionOf(form.body) }, url);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<title>Error: /);
    assert.match(empty.body, /href="#nextStep">\s*Select the next step/);
    assert.match(empty.body, /href="#summary">\s*Enter the summary for the clinic letter/);
    const noService = await p.nurse.post(
      url,
      { nextStep: 'refer-elsewhere', summary: 'Pain is the main problem.', version: versionOf(form.body) },
      url,
    );
    assert.equal(noService.statusCode, 400);
    assert.match(noService.body, /href="#referTo">\s*Enter the service the patient is referred to/);
    assert.match(noService.body, /Pain is the main problem\./);
    assert.equal(await countRows(p.t.deps.database.db, 'first_appointment_outcomes'), before);
  });

  it('records a selection assessment: shown with its letter and timeline, linking on to the assessment', async () => {
    const { referralId, appointmentId } = await seenToday();
    const url = `/appointments/${appointmentId}/next-step`;
    const form = await p.nurse.get(url);
    const res = await p.nurse.post(
      url,
      {
        nextStep: 'selection-assessment',
        summary: 'Tone is high in both legs.\n\nWe agreed goals: easier transfers.',
        version: versionOf(form.body),
      },
      url,
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    assert.equal(res.headers.location, `/referrals/${referralId}?done=next-step-recorded#next-steps`);
    const page = await p.nurse.get(`/referrals/${referralId}?done=next-step-recorded`);
    assert.match(page.body, /Outcome and next step recorded\. The clinic letter is ready below\./);
    assert.match(page.body, /id="next-steps">Outcome and next step/);
    assert.match(page.body, /Start a selection assessment/);
    const link = new RegExp(
      `href="/patients/${p.patientId}/assessments/new\\?referralId=${referralId}"[^>]*>Start the selection assessment`,
    );
    assert.match(page.body, link);
    assert.match(page.body, /Next step after the first appointment: Start a selection assessment/);
    assert.doesNotMatch(page.body, new RegExp(`href="/appointments/${appointmentId}/next-step"`));
    const letterId = documentIdFor(page.body, /Clinic letter/);
    const pdf = await p.nurse.get(`/documents/${letterId}`);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
    assert.match(text, /Tone is high in both legs\./);
    assert.match(text, /selection assessment/);
    const start = await p.nurse.get(`/patients/${p.patientId}/assessments/new?referralId=${referralId}`);
    assert.match(start.body, new RegExp(`<option value="${referralId}" selected`));
    const again = await p.nurse.post(
      url,
      { nextStep: 'discharge', summary: 'x', version: versionOf(form.body) },
      url,
    );
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already has its next step recorded/);
  });

  it('after "rebook" offers to book the next appointment', async () => {
    const { referralId, appointmentId } = await seenToday();
    const url = `/appointments/${appointmentId}/next-step`;
    const form = await consultant.get(url);
    const res = await consultant.post(
      url,
      { nextStep: 'rebook', summary: 'We need a longer appointment.', version: versionOf(form.body) },
      url,
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const page = await p.booking.get(`/referrals/${referralId}`);
    assert.match(
      page.body,
      new RegExp(`href="/referrals/${referralId}/appointments/new"[^>]*>Book the next appointment`),
    );
    const next = await book(p, referralId, '1', '12');
    assert.ok(next);
  });

  it('records a referral elsewhere through the API, and documents the route', async () => {
    const { appointmentId } = await seenToday();
    const nurse = await apiTokenFor(p.t, await addTestUser(p.t, 'nurse-specialist', 'nora'));
    const booking = await apiTokenFor(p.t, await addTestUser(p.t, 'booking-coordinator', 'bob'));
    const call = (token: string, payload: Record<string, unknown>) =>
      p.t.app.inject({
        method: 'POST',
        url: `/api/v1/appointments/${appointmentId}/next-step`,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
    const body = {
      nextStep: 'refer-elsewhere',
      summary: 'Pain is the main problem.',
      referTo: 'Leeds Pain Service',
    };
    assert.equal((await call(booking, body)).statusCode, 403);
    const bad = await call(nurse, { ...body, referTo: null });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(
      (JSON.parse(bad.body) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field),
      ['referTo'],
    );
    const made = await call(nurse, body);
    assert.equal(made.statusCode, 201, made.body);
    const outcome = JSON.parse(made.body) as Record<string, unknown>;
    assert.equal(outcome.nextStep, 'refer-elsewhere');
    assert.equal(outcome.referTo, 'Leeds Pain Service');
    assert.equal(outcome.next, null);
    assert.equal(typeof outcome.letterId, 'string');
    const referral = await p.t.app.inject({
      method: 'GET',
      url: `/api/v1/referrals/${(outcome as { referralId: string }).referralId}`,
      headers: { authorization: `Bearer ${nurse}` },
    });
    const steps = (JSON.parse(referral.body) as { nextSteps: { nextStep: string; referTo: string | null }[] })
      .nextSteps;
    assert.deepEqual(
      steps.map((s) => [s.nextStep, s.referTo]),
      [['refer-elsewhere', 'Leeds Pain Service']],
    );
    const again = await call(nurse, body);
    assert.equal(again.statusCode, 409);
    assert.equal(
      (JSON.parse(again.body) as { error: { reason: string } }).error.reason,
      'FIRST_APPOINTMENT_NEXT_STEP_RECORDED',
    );
    const doc = JSON.parse((await p.t.app.inject('/api/v1/openapi.json')).body) as {
      paths: Record<string, Record<string, unknown>>;
    };
    assert.ok(doc.paths['/api/v1/appointments/{id}/next-step']?.post);
  });
});
