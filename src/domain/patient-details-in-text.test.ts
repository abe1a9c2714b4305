import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { patientDetailsInText, splitPersonName } from './patient-details-in-text.ts';

describe("a patient's details in a referral email", () => {
  it('reads labelled name, date of birth and a multi-line address', () => {
    const text = [
      'Dear colleagues,',
      '',
      "Name: Mrs Mary O'BRIEN-SMITH",
      'DOB: 7 March 1978',
      'NHS No: 943 476 5919',
      'Address: 12 Park Lane',
      'Headingley',
      'Leeds LS6 2AB',
      '',
      'Please see this patient with severe spasticity.',
    ].join('\n');
    assert.deepEqual(patientDetailsInText(text, ['9434765919']), {
      nhsNumber: '9434765919',
      givenName: 'Mary',
      familyName: "O'BRIEN-SMITH",
      dateOfBirth: '1978-03-07',
      addressLine1: '12 Park Lane',
      addressLine2: 'Headingley',
      town: 'Leeds',
      postcode: 'LS6 2AB',
    });
  });

  it('reads separate surname and forename lines, a numeric date and a one-line address', () => {
    const text =
      'Surname: Jones\nForename: Tom\nDate of birth: 07/03/1978\nAddress: 1 High Street, York, YO1 7HH';
    assert.deepEqual(patientDetailsInText(text, []), {
      nhsNumber: null,
      givenName: 'Tom',
      familyName: 'Jones',
      dateOfBirth: '1978-03-07',
      addressLine1: '1 High Street',
      addressLine2: null,
      town: 'York',
      postcode: 'YO1 7HH',
    });
  });

  it('leaves blank what the email does not label', () => {
    const text = 'Please see this patient (NHS number 485 777 3457) with spasticity.';
    assert.deepEqual(patientDetailsInText(text, ['4857773457']), {
      nhsNumber: '4857773457',
      givenName: null,
      familyName: null,
      dateOfBirth: null,
      addressLine1: null,
      addressLine2: null,
      town: null,
      postcode: null,
    });
    assert.equal(patientDetailsInText(null, []).familyName, null);
  });

  const names: [string, string | null, string | null][] = [
    ["Mrs Mary O'BRIEN-SMITH", 'Mary', "O'BRIEN-SMITH"],
    ["O'BRIEN-SMITH, Mary", 'Mary', "O'BRIEN-SMITH"],
    ['SMITH Ann', 'Ann', 'SMITH'],
    ['Ann Smith', 'Ann', 'Smith'],
    ['Mary Jane Smith', 'Mary Jane', 'Smith'],
    ['Smith', null, 'Smith'],
  ];
  for (const [text, given, family] of names) {
    it(`"${text}" is ${given ?? '(no given name)'} ${family ?? ''}`, () => {
      assert.deepEqual(splitPersonName(text), { givenName: given, familyName: family });
    });
  }
});
