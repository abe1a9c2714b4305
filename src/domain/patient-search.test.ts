import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSearchQuery } from './patient-search.ts';

describe('reading the patient search box', () => {
  const cases: [string, Record<string, string>][] = [
    ['485 777 3457', { nhsNumber: '4857773457' }],
    ['485-777-3457', { nhsNumber: '4857773457' }],
    ['Smith', { familyName: 'Smith' }],
    ['John Smith', { givenName: 'John', familyName: 'Smith' }],
    ['Smith, John', { familyName: 'Smith', givenName: 'John' }],
    ["O'Brien", { familyName: "O'Brien" }],
    ['1961-03-14', { dateOfBirth: '1961-03-14' }],
    ['14/03/1961', { dateOfBirth: '1961-03-14' }],
    ['Smith 14/3/1961', { familyName: 'Smith', dateOfBirth: '1961-03-14' }],
    ['RR8123456', { hospitalNumber: 'RR8123456' }],
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
    ['Smith; drop table', /Could not read/],
  ];
  for (const [q, message] of refused) {
    it(`refuses "${q}"`, () => {
      const r = parseSearchQuery(q);
      assert.equal(r.ok, false);
      assert.match(r.message, message);
    });
  }
});
