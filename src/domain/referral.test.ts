import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { validateReferralInput } from './referral.ts';
import { formatUbrn, parseUbrn } from './ubrn.ts';

const today = '2026-11-25' as PlainDate;
const valid = {
  source: 'e-rs',
  ubrn: '0000 1234 5678',
  receivedOn: '2026-11-20',
  referrerName: 'Dr A Patel',
  referrerRole: 'GP',
  referrerOrganisation: 'Chapeltown Surgery',
  referrerOdsCode: 'b86016',
  referrerEmail: 'a.patel@nhs.net',
  referrerPhone: '',
  reason: 'Severe lower-limb spasticity despite oral baclofen 80 mg a day',
  conditions: ['spasticity'],
  origin: 'spinal',
  aetiology: 'multiple-sclerosis',
  treatmentsTried: ['physiotherapy', 'oral-baclofen'],
};

function errorsFor(change: Record<string, unknown>): Record<string, string> {
  const result = validateReferralInput({ ...valid, ...change }, today);
  return result.ok ? {} : Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

describe('UBRN', () => {
  const cases: [string, string | null][] = [
    ['000012345678', '000012345678'],
    ['0000 1234 5678', '000012345678'],
    ['0000-1234-5678', '000012345678'],
    ['00001234567', null],
    ['0000123456789', null],
    ['0000 1234 567X', null],
    ['', null],
  ];
  for (const [input, expected] of cases) {
    it(`"${input}" → ${expected ?? 'refused'}`, () => {
      assert.equal(parseUbrn(input), expected);
    });
  }
  it('is shown in groups of four', () => {
    assert.equal(formatUbrn('000012345678'), '0000 1234 5678');
  });
});

describe('referral input', () => {
  it('accepts a complete e-RS referral and normalises it', () => {
    const result = validateReferralInput(valid, today);
    assert.ok(result.ok);
    assert.equal(result.value.ubrn, '000012345678');
    assert.equal(result.value.referrerOdsCode, 'B86016');
    assert.equal(result.value.referrerPhone, null);
    assert.deepEqual(result.value.treatmentsTried, ['oral-baclofen', 'physiotherapy']);
    assert.equal(result.value.aetiologyOther, null);
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['malformed UBRN', { ubrn: '1234' }, 'ubrn', /12 digits/],
    ['e-RS without a UBRN', { ubrn: '' }, 'ubrn', /Enter the UBRN/],
    ['e-RS without an ODS code', { referrerOdsCode: '' }, 'referrerOdsCode', /ODS code/],
    ['bad ODS code', { referrerOdsCode: 'B8-6016' }, 'referrerOdsCode', /letters and numbers/],
    ['received in the future', { receivedOn: '2026-11-26' }, 'receivedOn', /today or in the past/],
    ['received over a year ago', { receivedOn: '2025-11-01' }, 'receivedOn', /must be after/],
    ['not a date', { receivedOn: '2026-02-30' }, 'receivedOn', /real date/],
    ['no contact', { referrerEmail: '' }, 'referrerEmail', /email address or phone/],
    ['bad email', { referrerEmail: 'not-an-email' }, 'referrerEmail', /correct format/],
    ['no condition', { conditions: [] }, 'conditions', /spasticity, dystonia or both/],
    ['unknown condition', { conditions: ['ataxia'] }, 'conditions.0', /spasticity or dystonia/],
    ['other cause not named', { aetiology: 'other' }, 'aetiologyOther', /other cause/],
    ['no reason', { reason: '  ' }, 'reason', /reason for referral/],
    ['no referrer name', { referrerName: undefined }, 'referrerName', /referrer name/],
    ['unknown source', { source: 'fax' }, 'source', /e-RS or consultant email/],
  ];
  for (const [name, change, field, message] of cases) {
    it(`${name}: names ${field}`, () => {
      const errors = errorsFor(change);
      assert.match(errors[field] ?? '(no error)', message);
    });
  }

  it('lets an email referral come without a UBRN or ODS code', () => {
    assert.deepEqual(errorsFor({ source: 'email', ubrn: '', referrerOdsCode: '' }), {});
  });

  it('keeps the other cause only when the cause is other', () => {
    const result = validateReferralInput({ ...valid, aetiologyOther: 'Tumour' }, today);
    assert.ok(result.ok);
    assert.equal(result.value.aetiologyOther, null);
  });
});
