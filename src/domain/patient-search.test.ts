import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSearchQuery, type SearchCriteria } from './patient-search.ts';

describe('reading the patient search box', () => {
  const cases: [string, SearchCriteria][] = [
    ['485 777 3457', { nhsNumber: '4857773457' }],
    ['485-777-3457', { nhsNumber: '4857773457' }],
    ['Smith', { names: [{ key: 'smith' }] }],
    ['John Smith', { names: [{ key: 'john' }, { key: 'smith' }] }],
    ['Smith, John', { names: [{ key: 'smith' }, { key: 'john' }] }],
    ["O'Brien", { names: [{ key: 'obrien' }] }],
    ['obrien', { names: [{ key: 'obrien' }] }],
    ['Brien-Smith', { names: [{ key: 'briensmith' }] }],
    ["O'BRIEN-SMITH", { names: [{ key: 'obriensmith' }] }],
    ['1961-03-14', { dateOfBirth: '1961-03-14' }],
    ['14/03/1961', { dateOfBirth: '1961-03-14' }],
    ['07/03/1978', { dateOfBirth: '1978-03-07' }],
    ['7.3.1978', { dateOfBirth: '1978-03-07' }],
    ['7 March 1978', { dateOfBirth: '1978-03-07' }],
    ['7th Mar 1978', { dateOfBirth: '1978-03-07' }],
    ['7 sept 1978', { dateOfBirth: '1978-09-07' }],
    ['Smith 14/3/1961', { dateOfBirth: '1961-03-14', names: [{ key: 'smith' }] }],
    ['Ann 7 March 1978', { dateOfBirth: '1978-03-07', names: [{ key: 'ann' }] }],
    ['RR8123456', { hospitalNumber: 'RR8123456' }],
    ['RR8 123456', { hospitalNumber: 'RR8123456' }],
    ['rr8 123456', { hospitalNumber: 'RR8123456' }],
    ['Zoë', { names: [{ key: 'zoe' }] }],
  ];
  for (const [q, criteria] of cases) {
    it(`"${q}"`, () => {
      assert.deepEqual(parseSearchQuery(q), { ok: true, criteria });
    });
  }
  const refused: [string, RegExp][] = [
    ['', /Enter an NHS number/],
    ['485 777 3456', /check digit/],
    ['31/02/1961', /not a real date/],
    ['31 February 1961', /not a real date/],
    ['7/3/78', /year .* in full/],
    ['1/1/1960 2/2/1960', /one date of birth/],
    ['Smith; drop table', /Could not read/],
    ['--', /Could not read/],
  ];
  for (const [q, message] of refused) {
    it(`refuses "${q}"`, () => {
      const r = parseSearchQuery(q);
      assert.equal(r.ok, false);
      assert.match(r.message, message);
    });
  }
});
