import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import type { User } from '../../../storage/users.repository.ts';

type ApiError = { error: { reason?: string; fields?: { field: string }[] } };

/**
 * Reviews on the pump page and the worklist, days in words, and who confirmed a prescription.
 * The test clock's today is Tuesday 24 November 2026 (Europe/London). The pump was implanted on
 * 1 June 2026: its 2-week review was due on 15 June 2026, 162 days ago; its 6-week review on
 * 13 July 2026, 134 days ago.
 */

/** 200 mcg/day at 500 mcg/mL: 0.4 mL a day, (20 − 2) ÷ 0.4 = 45 days from a fill to the alarm. */
const refillOn = (performedOn: string) => ({
  performedOn,
  expectedResidualMl: '4.0',
  withdrawnMl: '4.0',
  concentrationMcgPerMl: '500',
  batch: 'LB2026-117',
  expiresOn: '2027-06-30',
  instilledMl: '20',
  alarmMl: '2',
  complications: [],
});

const dateBoxes = (prefix: string, date: string): Record<string, string> => {
  const [y, m, d] = date.split('-');
  return {
    [`${prefix}-day`]: String(Number(d)),
    [`${prefix}-month`]: String(Number(m)),
    [`${prefix}-year`]: y ?? '',
  };
};

/** The text of the page without its tags, spaces run together. */
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');

describe('reviews, days in words and prescription sign-off on the pump page and the worklist', () => {
  let t: TestApp;
  let nina: User;
  let carl: User;
  let patientId = '';
  let pumpId = '';
  const as = async (username: string) => {
    const b = new Browser(t);
    assert.equal((await b.signIn(username)).statusCode, 303, `sign in ${username}`);
    return b;
  };
  const pump = () => t.deps.services.pumps.overview(actorOf(nina, null), pumpId);

  beforeEach(async () => {
    t = await startTestApp('sqlite');
    nina = await addTestUser(t, 'nurse-specialist', 'nina');
    carl = await addTestUser(t, 'consultant', 'carl');
    await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'physiotherapist', 'pat');
    patientId = (await registerAnn(t, nina)).id;
    pumpId = (
      await t.deps.services.pumps.register(actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP123456H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows an overdue review on the pump page with how long it is overdue', async () => {
    const page = await (await as('bea')).get(`/pumps/${pumpId}`);
    assert.equal(page.statusCode, 200);
    const standing = text(/id="review-standing"[\s\S]*?<\/dl>/.exec(page.body)?.[0] ?? '');
    assert.match(standing, /2 weeks review, due 15 June 2026 162 days overdue/);
    assert.match(text(page.body), /Review 162 days overdue/);
  });

  it('records a review held yesterday from the pump page, and the schedule moves on', async () => {
    const bea = await as('bea');
    const res = await bea.post(
      `/pumps/${pumpId}/reviews`,
      { ...dateBoxes('review-heldOn', '2026-11-23'), 'review-note': 'Seen at the refill clinic' },
      `/pumps/${pumpId}`,
    );
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    assert.equal(res.headers.location, `/pumps/${pumpId}?done=review-held`);
    const o = await pump();
    assert.equal(o.pump.reviewsHeld, 1);
    const held = o.appointments.filter((a) => a.kind === 'review');
    assert.deepEqual(
      held.map((a) => [a.onDate, a.state, a.note]),
      [['2026-11-23', 'attended', 'Seen at the refill clinic']],
    );
    const page = text((await bea.get(`/pumps/${pumpId}?done=review-held`)).body);
    assert.match(page, /Review recorded as held/);
    assert.match(page, /6 weeks review, due 13 July 2026 134 days overdue/);
  });

  it('refuses a review in the future, or further back than the limit, naming the date', async () => {
    const bea = await as('bea');
    const cases: [string, RegExp][] = [
      ['2026-11-25', /today or in the past/],
      ['2026-10-24', /within the last 30 days, on or after 25 October 2026/],
      ['2026-05-01', /on or after the implant, 1 June 2026/],
    ];
    for (const [heldOn, message] of cases) {
      const res = await bea.post(
        `/pumps/${pumpId}/reviews`,
        dateBoxes('review-heldOn', heldOn),
        `/pumps/${pumpId}`,
      );
      assert.equal(res.statusCode, 400, heldOn);
      const link = /href="#review-heldOn-day"[^>]*>([^<]*)</.exec(res.body);
      assert.ok(link, `the error summary names the date for ${heldOn}`);
      assert.match(link[1] ?? '', message);
      // What was typed is kept.
      assert.match(res.body, new RegExp(`id="review-heldOn-year"[^>]*value="${heldOn.slice(0, 4)}"`));
    }
    assert.equal((await pump()).pump.reviewsHeld, 0);
  });

  it('counts one review a day: a second on the same day is refused with its reason', async () => {
    const bea = await as('bea');
    const post = () =>
      bea.post(`/pumps/${pumpId}/reviews`, dateBoxes('review-heldOn', '2026-11-24'), `/pumps/${pumpId}`);
    assert.equal((await post()).statusCode, 303);
    const again = await post();
    assert.equal(again.statusCode, 409);
    assert.match(text(again.body), /Nothing was saved A review held on 24 November 2026 is already recorded/);
    assert.equal((await pump()).pump.reviewsHeld, 1);
  });

  it('books a missed review for today in one press, then marks it attended today', async () => {
    const bea = await as('bea');
    const page = await bea.get(`/pumps/${pumpId}`);
    const form = /<form[^>]*id="book-review-today"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
    assert.match(form, /Book the review for today/);
    const fields: Record<string, string> = {};
    for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      if (m[1] !== '_csrf') {
        fields[m[1] ?? ''] = m[2] ?? '';
      }
    }
    const booked = await bea.post(`/pumps/${pumpId}/appointments`, fields, `/pumps/${pumpId}`);
    assert.equal(booked.statusCode, 303, booked.body.slice(0, 800));
    let o = await pump();
    const review = o.appointments.find((a) => a.kind === 'review');
    assert.ok(review);
    assert.equal(review.onDate, '2026-11-24');
    assert.equal(review.state, 'booked');
    assert.equal(o.nextReview.bookedOn, '2026-11-24');
    // Booked for today: the button is not offered again.
    assert.doesNotMatch((await bea.get(`/pumps/${pumpId}`)).body, /Book the review for today/);
    // Recording the review held today marks that booking attended: no second appointment.
    const held = await bea.post(
      `/pumps/${pumpId}/reviews`,
      dateBoxes('review-heldOn', '2026-11-24'),
      `/pumps/${pumpId}`,
    );
    assert.equal(held.statusCode, 303);
    o = await pump();
    assert.deepEqual(
      o.appointments.filter((a) => a.kind === 'review').map((a) => [a.id, a.state]),
      [[review.id, 'attended']],
    );
    assert.equal(o.pump.reviewsHeld, 1);
  });

  it('a physiotherapist sees the review but is offered no review forms, and may not post one', async () => {
    const pat = await as('pat');
    const page = await pat.get(`/pumps/${pumpId}`);
    assert.match(text(page.body), /162 days overdue/);
    assert.doesNotMatch(page.body, /Record the review as held|Book the review for today/);
    const res = await pat.post(
      `/pumps/${pumpId}/reviews`,
      dateBoxes('review-heldOn', '2026-11-24'),
      `/pumps/${pumpId}`,
    );
    assert.equal(res.statusCode, 403);
    assert.equal(await countRows(t.deps.database.db, 'pump_appointments'), 0);
  });

  it('records a review through the API, refusing a future date as a 400 naming heldOn', async () => {
    const token = await apiTokenFor(t, nina);
    const post = (body: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/pumps/${pumpId}/reviews`,
        headers: { authorization: `Bearer ${token}` },
        payload: body as Record<string, unknown>,
      });
    const future = await post({ heldOn: '2026-11-25' });
    assert.equal(future.statusCode, 400);
    assert.equal(future.json<ApiError>().error.fields?.[0]?.field, 'heldOn');
    const ok = await post({ heldOn: '2026-11-20', note: 'Telephone review' });
    assert.equal(ok.statusCode, 201, ok.body);
    const made = ok.json<{ state: string; onDate: string }>();
    assert.equal(made.state, 'attended');
    assert.equal(made.onDate, '2026-11-20');
    const twice = await post({ heldOn: '2026-11-20' });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json<ApiError>().error.reason, 'REVIEW_ALREADY_RECORDED');
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/pumps/${pumpId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.deepEqual(read.json<{ nextReview: unknown }>().nextReview, {
      dueOn: '2026-07-13',
      label: '6 weeks review',
      daysLeft: -134,
      daysOverdue: 134,
      bookedOn: null,
    });
  });

  it('reads days as words on the worklist and the pump page, never a negative number', async () => {
    const refills = t.deps.services.refills;
    const pumps = t.deps.services.pumps;
    t.clock.set('2026-10-01T09:00:00.000Z');
    const p = await pumps.proposePrescription(actorOf(nina, null), pumpId, {
      concentrationMcgPerMl: 500,
      programme: { mode: 'simple', doseMcgPerDay: 200 },
      phase: 'titration',
      reason: 'Test dose given at another centre',
    });
    await pumps.confirmPrescription(actorOf(carl, null), p.id, { programmedOn: '2026-10-01' });
    // Filled 1 October: alarm 15 November, due 8 November (a Sunday), so Friday 6 November: 18 days ago.
    const refill = await refills.record(actorOf(nina, null), pumpId, refillOn('2026-10-01'));
    await refills.sign(actorOf(carl, null), refill.id, { version: refill.version });
    t.clock.set('2026-11-24T10:00:00.000Z');
    const bea = await as('bea');
    const worklist = await bea.get('/worklist');
    assert.equal(worklist.statusCode, 200);
    const row = text(/<tbody[\s\S]*?<\/tbody>/.exec(worklist.body)?.[0] ?? '');
    assert.match(row, /6 November 2026 18 days overdue/);
    assert.match(row, /2 weeks review: 162 days overdue \(due 15 June 2026\)/);
    assert.match(row, /485 777 3457/);
    assert.doesNotMatch(row, /[-\u2212]\d/);
    assert.doesNotMatch(worklist.body, /Days left/);
    // The design system's responsive table: headings beside the values at narrow widths.
    assert.match(
      worklist.body,
      /<table class="nhsuk-table nhsuk-table--responsive[^"]*" role="table" id="worklist">/,
    );
    assert.match(
      worklist.body,
      /<span class="nhsuk-table__heading" aria-hidden="true">Refill due by <\/span>/,
    );
    assert.match(worklist.body, /href="\/assets\/print\.css" media="print"/);
    const css = await t.app.inject({ method: 'GET', url: '/assets/print.css' });
    assert.equal(css.statusCode, 200);
    assert.match(css.headers['content-type'] ?? '', /text\/css/);
    assert.match(css.body, /@media print/);

    const page = text((await bea.get(`/pumps/${pumpId}`)).body);
    assert.match(page, /Time left 18 days overdue/);
    assert.doesNotMatch(page, /Days left/);

    const api = await t.app.inject({
      method: 'GET',
      url: '/api/v1/worklist',
      headers: { authorization: `Bearer ${await apiTokenFor(t, nina)}` },
    });
    const entry = api.json<{
      entries: { daysLeft: number; daysText: string; review: { daysOverdue: number } }[];
    }>().entries[0];
    assert.ok(entry);
    assert.equal(entry.daysLeft, -18);
    assert.equal(entry.daysText, '18 days overdue');
    assert.equal(entry.review.daysOverdue, 162);
  });

  it('shows who proposed and who confirmed the prescription and since when, on the pages and the API', async () => {
    const pumps = t.deps.services.pumps;
    t.clock.set('2026-11-20T09:30:00.000Z');
    const p = await pumps.proposePrescription(actorOf(nina, null), pumpId, {
      concentrationMcgPerMl: 500,
      programme: { mode: 'simple', doseMcgPerDay: 200 },
      phase: 'titration',
      reason: 'Test dose given at another centre',
    });
    t.clock.set('2026-11-21T14:05:00.000Z');
    await pumps.confirmPrescription(actorOf(carl, null), p.id, { programmedOn: '2026-11-21' });
    t.clock.set('2026-11-24T10:00:00.000Z');
    const b = await as('nina');
    const page = text((await b.get(`/pumps/${pumpId}`)).body);
    assert.match(page, /Active since 21 November 2026/);
    assert.match(page, /Proposed by Test nurse-specialist, 20 November 2026(,| at) 09:30/);
    assert.match(page, /Confirmed by Test consultant, 21 November 2026(,| at) 14:05/);
    // The history table names both too.
    assert.match(page, /Prescription history/);
    const form = text((await b.get(`/pumps/${pumpId}/prescriptions/new`)).body);
    assert.match(form, /Current prescription[\s\S]*Active since 21 November 2026/);
    assert.match(form, /Confirmed by Test consultant/);

    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/pumps/${pumpId}`,
      headers: { authorization: `Bearer ${await apiTokenFor(t, nina)}` },
    });
    const active = read.json<{
      active: { proposedByName: string; decidedByName: string; activeSince: string; decidedAt: string };
    }>().active;
    assert.equal(active.proposedByName, 'Test nurse-specialist');
    assert.equal(active.decidedByName, 'Test consultant');
    assert.equal(active.activeSince, '2026-11-21');
    assert.equal(active.decidedAt, '2026-11-21T14:05:00.000Z');
  });
});
