import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { validatePatientInput } from './patient.ts';

const today = '2026-11-24' as PlainDate;
const good = {
  nhsNumber: '485 777 3457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

describe('patient details validation', () => {
  it('accepts the minimum and normalises the NHS number', () => {
    const r = validatePatientInput(good, today);
    assert.equal(r.ok, true);
    assert.equal(r.value.nhsNumber, '4857773457');
    assert.equal(r.value.postcode, null);
  });

  it('normalises a postcode', () => {
    const r = validatePatientInput({ ...good, postcode: ' ls13ex ' }, today);
    assert.ok(r.ok);
    assert.equal(r.value.postcode, 'LS1 3EX');
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['a wrong check digit', { nhsNumber: '4857773456' }, 'nhsNumber', /check digit/],
    ['a short NHS number', { nhsNumber: '12345' }, 'nhsNumber', /10 digits/],
    ['no given name', { givenName: '  ' }, 'givenName', /given name/i],
    ['no family name', { familyName: undefined }, 'familyName', /family name/i],
    ['an impossible date', { dateOfBirth: '1961-02-30' }, 'dateOfBirth', /real date/],
    ['a date of birth tomorrow', { dateOfBirth: '2026-11-25' }, 'dateOfBirth', /today or in the past/],
    ['a date of birth 131 years ago', { dateOfBirth: '1895-01-01' }, 'dateOfBirth', /130 years/],
    ['an unknown sex', { sex: 'x' }, 'sex', /Select the sex/],
    ['a bad postcode', { postcode: 'LS1' }, 'postcode', /real postcode/],
    ['a phone with letters', { phone: '0113 ABC' }, 'phone', /Phone number/],
    ['a bad ODS code', { gpPracticeOds: 'B8-6016' }, 'gpPracticeOds', /ODS code/],
    ['a hospital number with a slash', { hospitalNumber: 'RR8/123' }, 'hospitalNumber', /letters, numbers/],
    ['an over-long family name', { familyName: 'x'.repeat(101) }, 'familyName', /100 characters/],
    ['a number where text belongs', { givenName: 42 }, 'givenName', /given name/i],
  ];
  for (const [name, change, field, message] of bad) {
    it(`refuses ${name}, naming ${field}`, () => {
      const r = validatePatientInput({ ...good, ...change }, today);
      assert.equal(r.ok, false);
      const e = r.errors.find((x) => x.field === field);
      assert.ok(e, `an error for ${field}`);
      assert.match(e.message, message);
    });
  }

  it('lists every bad field at once', () => {
    const r = validatePatientInput({ nhsNumber: '1', sex: 'x' }, today);
    assert.equal(r.ok, false);
    const fields = r.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['dateOfBirth', 'familyName', 'givenName', 'nhsNumber', 'sex']);
  });
});
