import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nhsNumberCheckDigit } from './nhs-number.ts';
import { findNhsNumbers } from './nhs-numbers-in-text.ts';

describe('finding NHS numbers in text', () => {
  // 4857773457 and 9434765919 pass the Modulus 11 check; 4857773456 and 9434765918 do not.
  const cases: [string, string, string[]][] = [
    ['a number as one run of digits', 'NHS number 4857773457 please', ['4857773457']],
    ['a number in 3-3-4 groups with spaces', 'NHS no: 485 777 3457.', ['4857773457']],
    ['a number in 3-3-4 groups with dashes', 'NHS no 485-777-3457', ['4857773457']],
    [
      'a number with non-breaking spaces (text from HTML)',
      'NHS\u00a0no\u00a0943\u00a0476\u00a05919',
      ['9434765919'],
    ],
    ['another valid number', '943 476 5919', ['9434765919']],
    ['a whole text that is just the number', '4857773457', ['4857773457']],
    ['a number that fails its check digit', 'NHS number 485 777 3456', []],
    ['another that fails its check digit', '9434765918', []],
    ['a number with a check digit that would be 10 is never valid', '0000000060', []],
    ['nine digits', '485 777 345', []],
    ['eleven digits', '48577734571', []],
    ['separators that do not match', '485 777-3457', []],
    ['groups that are not 3-3-4', '4857 77 3457', []],
    ['inside a 12-digit UBRN', 'UBRN 014857773457', []],
    ['at the start of a 12-digit UBRN', 'UBRN 485777345701', []],
    ['inside a phone number', 'Call 01134857773457 ext 2', []],
    ['the brief example phone number', 'Tel 01134567890123', []],
    ['grouped digits that carry on before', 'Tel +44 943 476 5919', []],
    ['grouped digits that carry on after', '943 476 5919 12', []],
    ['dashed digits that carry on', 'Ref 1-485-777-3457', []],
    ['a run next to a dash is still a run of ten', 'Ref A-4857773457-2', ['4857773457']],
    ['next to letters and punctuation', '(NHS:4857773457)', ['4857773457']],
    ['no digits at all', 'Dear Dr Smith, please see this patient.', []],
    ['empty text', '', []],
    [
      'several numbers in order of first appearance',
      'Patients: 943 476 5919, 485-777-3457\nand 9434765919 again',
      ['9434765919', '4857773457'],
    ],
    ['the same number written two ways counts once', '4857773457 or 485 777 3457', ['4857773457']],
    ['a valid number after an invalid one', '485 777 3456 / 485 777 3457', ['4857773457']],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      assert.deepEqual(findNhsNumbers(text), expected);
    });
  }

  it('does not let a rejected longer number hide a number that overlaps it', () => {
    // "111 222 4857" is a candidate that runs on into more digits, so it is rejected; the ten
    // digits from its last group onwards are a run of their own.
    assert.deepEqual(findNhsNumbers('111 222 4857773457'), ['4857773457']);
  });

  const validNumber = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
    .map((ds) => ds.join(''))
    .filter((s) => nhsNumberCheckDigit(s) !== undefined)
    .map((s) => `${s}${nhsNumberCheckDigit(s)}`);

  it('finds any valid number however it is written, among words (property)', () => {
    fc.assert(
      fc.property(validNumber, fc.constantFrom('', ' ', '-'), fc.string(), (n, sep, words) => {
        const prose = words.replace(/[\d \u00a0-]/g, 'x');
        const written = `${n.slice(0, 3)}${sep}${n.slice(3, 6)}${sep}${n.slice(6)}`;
        assert.deepEqual(findNhsNumbers(`${prose} ${written} ${prose}`), [n]);
      }),
    );
  });

  it('never returns anything but valid 10-digit numbers (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('0', '1', '4', '5', '7', '9', ' ', '-', 'a') }),
        (text) => {
          for (const n of findNhsNumbers(text)) {
            assert.match(n, /^\d{10}$/);
            assert.equal(nhsNumberCheckDigit(n.slice(0, 9)), Number(n[9]));
          }
        },
      ),
    );
  });
});
