import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERS_REFERRAL } from '../../../../test/support/referral-fixtures.ts';
import { startReferralPages, type ReferralPages } from '../../../../test/support/referral-pages.ts';
import { addTestUser, apiTokenFor } from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { REFERRAL_PAGE_SIZE } from '../../../services/referral-lists-service.ts';
import { findUserByUsername } from '../../../storage/users.repository.ts';

/**
 * The referral list page and GET /api/v1/referrals, a page at a time and searched: the list once
 * showed the 200 most recent and nothing more. Pages are plain links (no script needed); a page
 * number or search that cannot be read is a 400 naming it, never a 500.
 */
describe('the referral list, paged and searched (page and API)', () => {
  let p: ReferralPages;
  let token = '';
  const TOTAL = REFERRAL_PAGE_SIZE + 3;
  let patelId = '';

  before(async () => {
    p = await startReferralPages();
    const bea = await findUserByUsername(p.t.deps.database.db, 'bea');
    assert.ok(bea);
    const actor = actorOf(bea, null);
    for (let i = 0; i < TOTAL - 1; i += 1) {
      await p.t.deps.services.referrals.create(
        actor,
        { patientId: p.patientId },
        {
          ...ERS_REFERRAL,
          receivedOn: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`,
          ubrn: `5000 0000 ${String(i).padStart(4, '0')}`,
          referrerName: 'Dr F Filler',
        },
      );
    }
    patelId = (
      await p.t.deps.services.referrals.create(
        actor,
        { patientId: p.patientId },
        { ...ERS_REFERRAL, receivedOn: '2026-11-20', ubrn: '1111 2222 3333', referrerName: 'Dr Asha Patel' },
      )
    ).id;
    token = await apiTokenFor(p.t, await addTestUser(p.t, 'nurse-specialist', 'nina'));
  });
  after(async () => {
    await p.t.close();
  });

  const rowsOf = (body: string) =>
    [...body.matchAll(/<a href="\/referrals\/([0-9a-f-]{36})">/g)].map((m) => m[1]);

  it('shows the first page with numbered page links that work without JavaScript', async () => {
    const res = await p.nurse.get('/referrals');
    assert.equal(res.statusCode, 200);
    assert.equal(rowsOf(res.body).length, REFERRAL_PAGE_SIZE);
    assert.equal(rowsOf(res.body)[0], patelId, 'most recently received first');
    assert.match(
      res.body,
      new RegExp(`Showing 1 to ${String(REFERRAL_PAGE_SIZE)} of ${String(TOTAL)} referrals`),
    );
    assert.match(res.body, /<nav class="nhsuk-pagination nhsuk-pagination--numbered"/);
    assert.match(res.body, /href="\/referrals" aria-label="Page 1"\s+aria-current="page"/);
    assert.match(res.body, /href="\/referrals\?page=2" aria-label="Page 2"/);
    assert.match(res.body, /class="nhsuk-pagination__next" rel="next"/);
    assert.match(res.body, /<table class="nhsuk-table-responsive" id="referral-list">/);
  });

  it('shows the rest on page 2, and a page past the last shows the last', async () => {
    const second = await p.nurse.get('/referrals?page=2');
    assert.equal(second.statusCode, 200);
    assert.equal(rowsOf(second.body).length, TOTAL - REFERRAL_PAGE_SIZE);
    assert.match(second.body, /<title>Referrals \(page 2 of 2\)/);
    assert.match(second.body, /class="nhsuk-pagination__previous" rel="prev"/);
    const beyond = await p.nurse.get('/referrals?page=40');
    assert.equal(beyond.statusCode, 200);
    assert.deepEqual(rowsOf(beyond.body), rowsOf(second.body));
  });

  it('refuses a page number that is not a whole number from 1 with a 400 naming it, never a 500', async () => {
    for (const page of ['abc', '0', '-1', '1.5', '1e3', '0x2', '99999999999999999999', '%00']) {
      const res = await p.nurse.get(`/referrals?page=${encodeURIComponent(page)}`);
      assert.equal(res.statusCode, 400, `page=${page}: ${res.body.slice(0, 200)}`);
      assert.match(res.body, /There is a problem/);
      assert.match(res.body, /Page must be a whole number from 1, like 2/);
    }
  });

  it('searches by name, NHS number with spaces, UBRN or referrer, keeping the search in the page links', async () => {
    const byReferrer = await p.nurse.get('/referrals?q=patel');
    assert.equal(byReferrer.statusCode, 200);
    assert.deepEqual(rowsOf(byReferrer.body), [patelId]);
    assert.match(byReferrer.body, /1 referral matching “patel”/);
    assert.match(byReferrer.body, /id="q" name="q" type="text" spellcheck="false" value="patel"/);
    const byUbrn = await p.nurse.get(`/referrals?q=${encodeURIComponent('1111 2222 3333')}`);
    assert.deepEqual(rowsOf(byUbrn.body), [patelId]);
    const byNhs = await p.nurse.get(`/referrals?q=${encodeURIComponent('485 777 3457')}&page=2`);
    assert.equal(rowsOf(byNhs.body).length, TOTAL - REFERRAL_PAGE_SIZE);
    assert.match(byNhs.body, /href="\/referrals\?q=485\+777\+3457" aria-label="Page 1"/);
    const byName = await p.nurse.get('/referrals?q=smith&state=awaiting-triage');
    assert.match(
      byName.body,
      new RegExp(`of ${String(TOTAL)} referrals matching “smith” \\(waiting for triage\\)`),
    );
    assert.match(byName.body, /href="\/referrals\?state=awaiting-triage&amp;q=smith&amp;page=2"/);
    const none = await p.nurse.get('/referrals?q=nobody');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /No referrals match “nobody”/);
  });

  it('refuses a search it cannot read, naming the box (400), and keeps what was typed', async () => {
    const res = await p.nurse.get('/referrals?q=4857773458');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#q">\s*That NHS number fails its check digit/);
    assert.match(res.body, /value="4857773458"/);
  });

  it('GET /api/v1/referrals answers a page, searched, with the count and pages', async () => {
    const api = (url: string) =>
      p.t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const first = await api('/api/v1/referrals');
    assert.equal(first.statusCode, 200, first.body);
    const body = first.json<{
      items: { id: string; nhsNumber: string }[];
      total: number;
      pages: number;
      page: number;
      pageSize: number;
    }>();
    assert.equal(body.items.length, REFERRAL_PAGE_SIZE);
    assert.deepEqual([body.total, body.pages, body.page, body.pageSize], [TOTAL, 2, 1, REFERRAL_PAGE_SIZE]);
    const top = body.items[0];
    assert.ok(top);
    assert.equal(top.id, patelId);
    assert.equal(top.nhsNumber, '4857773457');
    const small = await api('/api/v1/referrals?pageSize=10&page=3');
    assert.equal(small.json<{ items: unknown[] }>().items.length, TOTAL - 20);
    const found = await api('/api/v1/referrals?q=111122223333&state=awaiting-triage');
    assert.deepEqual(
      found.json<{ items: { id: string }[] }>().items.map((i) => i.id),
      [patelId],
    );
  });

  it('GET /api/v1/referrals refuses bad parameters with 400 VALIDATION_FAILED naming each', async () => {
    const api = (url: string) =>
      p.t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const cases = [
      ['page=abc', 'page'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['pageSize=1000', 'pageSize'],
      ['state=pending', 'state'],
      ['q=4857773458', 'q'],
      [`q=${'x'.repeat(101)}`, 'q'],
    ] as const;
    for (const [query, field] of cases) {
      const res = await api(`/api/v1/referrals?${query}`);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      const error = res.json<{ error: { code: string; fields: { field: string }[] } }>().error;
      assert.equal(error.code, 'VALIDATION_FAILED', query);
      assert.ok(
        error.fields.some((f) => f.field === field),
        `${query}: ${JSON.stringify(error.fields)}`,
      );
    }
  });
});
