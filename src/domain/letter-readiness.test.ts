import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { letterBlock, missingAddressParts } from './letter-readiness.ts';

const SET = { phone: '0113 392 4000', email: 'itb@nhs.net', addressLines: [] };
const ANN = { name: 'Ann Smith', addressLine1: '1 Park Row', postcode: 'LS1 5AB' };

describe('whether a letter can be made', () => {
  const cases: {
    name: string;
    service: { phone: string; email: string };
    patient: { addressLine1: string | null; postcode: string | null } | null;
    reason: string | null;
    missing: string[];
    says: RegExp | null;
  }[] = [
    {
      name: 'contacts set, letter to the referrer',
      service: SET,
      patient: null,
      reason: null,
      missing: [],
      says: null,
    },
    {
      name: 'contacts set, patient with an address',
      service: SET,
      patient: ANN,
      reason: null,
      missing: [],
      says: null,
    },
    {
      name: 'no phone',
      service: { phone: '', email: 'itb@nhs.net' },
      patient: null,
      reason: 'LETTERS_NEED_SERVICE_CONTACTS',
      missing: ['SERVICE_PHONE'],
      says: /until SERVICE_PHONE \(the service's phone number\) is set/,
    },
    {
      name: 'neither phone nor email, even with the patient address missing too',
      service: { phone: ' ', email: '' },
      patient: { addressLine1: null, postcode: null },
      reason: 'LETTERS_NEED_SERVICE_CONTACTS',
      missing: ['SERVICE_PHONE', 'SERVICE_EMAIL'],
      says: /SERVICE_PHONE \(the service's phone number\) and SERVICE_EMAIL \(the service's email address\) are set/,
    },
    {
      name: 'patient with no address at all',
      service: SET,
      patient: { addressLine1: null, postcode: null },
      reason: 'LETTER_NEEDS_PATIENT_ADDRESS',
      missing: ['addressLine1', 'postcode'],
      says: /The letter to Ann Smith cannot be made: their record has no first line of the address and postcode/,
    },
    {
      name: 'patient with a street but no postcode',
      service: SET,
      patient: { addressLine1: '1 Park Row', postcode: '  ' },
      reason: 'LETTER_NEEDS_PATIENT_ADDRESS',
      missing: ['postcode'],
      says: /their record has no postcode\./,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.reason ?? 'can be made'}`, () => {
      const block = letterBlock(
        { ...c.service, addressLines: [] },
        c.patient === null ? null : { name: 'Ann Smith', ...c.patient },
      );
      assert.equal(block?.reason ?? null, c.reason);
      assert.deepEqual(block?.missing ?? [], c.missing);
      if (c.says) {
        assert.match(block?.message ?? '', c.says);
      }
    });
  }

  it('names the address parts missing', () => {
    assert.deepEqual(missingAddressParts({ name: 'x', addressLine1: '', postcode: 'LS1 5AB' }), [
      'addressLine1',
    ]);
  });
});
