import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampPage, pageCount, pageLinks, parsePageNumber, parseReferralSearch } from './referral-search.ts';

describe('parseReferralSearch: the referral list’s one search box', () => {
  const cases: readonly [string, unknown][] = [
    ['', null],
    ['   ', null],
    ['485 777 3457', { kind: 'nhs-number', nhsNumber: '4857773457' }],
    ['485-777-3457', { kind: 'nhs-number', nhsNumber: '4857773457' }],
    ['0000 1234 5678', { kind: 'ubrn', ubrn: '000012345678' }],
    ['000012345678', { kind: 'ubrn', ubrn: '000012345678' }],
    ["O'Brien-Smith", { kind: 'words', nameKeys: ['obriensmith'], referrerText: "o'brien-smith" }],
    ['Ann  Smith', { kind: 'words', nameKeys: ['ann', 'smith'], referrerText: 'ann smith' }],
    ['Dr Patel', { kind: 'words', nameKeys: ['dr', 'patel'], referrerText: 'dr patel' }],
    ['%', { kind: 'words', nameKeys: [], referrerText: '%' }],
  ];
  for (const [q, search] of cases) {
    it(`"${q}"`, () => {
      assert.deepEqual(parseReferralSearch(q), { ok: true, search });
    });
  }
  for (const [q, message] of [
    ['4857773458', /check digit/],
    ['12345', /10-digit NHS number or a 12-digit UBRN/],
    ['x'.repeat(101), /100 characters or fewer/],
  ] as const) {
    it(`refuses "${q.slice(0, 20)}" naming the box`, () => {
      const r = parseReferralSearch(q);
      if (r.ok) {
        assert.fail('expected a refusal');
      }
      assert.equal(r.error.field, 'q');
      assert.match(r.error.message, message);
    });
  }
});

describe('page numbers', () => {
  it('reads a whole number from 1; absent is 1; anything else is refused', () => {
    assert.deepEqual(parsePageNumber(undefined), { ok: true, page: 1 });
    assert.deepEqual(parsePageNumber(' 3 '), { ok: true, page: 3 });
    for (const bad of ['0', '-1', '1.5', '1e3', '0x2', 'two', '1234567890']) {
      assert.equal(parsePageNumber(bad).ok, false, bad);
    }
  });

  it('counts pages (at least one) and shows the last for a page past it', () => {
    assert.equal(pageCount(0, 25), 1);
    assert.equal(pageCount(25, 25), 1);
    assert.equal(pageCount(26, 25), 2);
    assert.equal(clampPage(9, 26, 25), 2);
    assert.equal(clampPage(1, 0, 25), 1);
  });

  it('links the first, the last and the neighbours of the current page, gaps as an ellipsis', () => {
    const text = (current: number, pages: number) =>
      pageLinks(current, pages)
        .map((l) => ('ellipsis' in l ? '…' : l.current ? `[${String(l.number)}]` : String(l.number)))
        .join(' ');
    assert.equal(text(1, 1), '[1]');
    assert.equal(text(1, 2), '[1] 2');
    assert.equal(text(1, 20), '[1] 2 … 20');
    assert.equal(text(5, 20), '1 … 4 [5] 6 … 20');
    assert.equal(text(3, 20), '1 2 [3] 4 … 20', 'a gap of one page shows the page, not an ellipsis');
    assert.equal(text(20, 20), '1 … 19 [20]');
  });
});
