import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkNhsNumber, formatNhsNumber, nhsNumberCheckDigit } from './nhs-number.ts';

describe('NHS number check', () => {
  const cases: [string, string, true | string][] = [
    ['a valid number (standards.md example)', '4857773457', true],
    ['the same with spaces', '485 777 3457', true],
    ['the same with dashes', '485-777-3457', true],
    ['pasted with surrounding spaces', '  485 777 3457 ', true],
    ['a check digit that is wrong', '4857773456', 'check-digit'],
    ['nine digits', '485777345', 'not-ten-digits'],
    ['eleven digits', '48577734570', 'not-ten-digits'],
    ['letters', '485777345A', 'not-ten-digits'],
    ['empty', '   ', 'empty'],
    ['a remainder giving 11, so check digit 0', '9434765870', true],
    // 123456781: sum 1*10+2*9+…+1*2 = 10+18+24+28+30+30+28+24+2 = 194 → 194 % 11 = 7 → 11-7 = 4
    ['a worked sum: 123456781 then 4', '1234567814', true],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const r = checkNhsNumber(input);
      if (expected === true) {
        assert.equal(r.ok, true);
      } else {
        assert.deepEqual(r, { ok: false, problem: expected });
      }
    });
  }

  it('refuses a number whose check digit would be 10', () => {
    // Find nine digits whose remainder gives 10: no tenth digit can make them valid.
    const nine = [
      '000000000',
      '000000001',
      '000000002',
      '000000003',
      '000000004',
      '000000005',
      '000000006',
    ].find((n) => nhsNumberCheckDigit(n) === undefined);
    assert.ok(nine, 'a nine-digit stem with check value 10 exists among the candidates');
    for (let d = 0; d <= 9; d++) {
      assert.equal(checkNhsNumber(`${nine}${d}`).ok, false);
    }
  });

  it('is shown as 3-3-4 groups', () => {
    assert.equal(formatNhsNumber('4857773457'), '485 777 3457');
    assert.equal(formatNhsNumber('485-777-3457'), '485 777 3457');
  });

  const validNumber = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
    .map((ds) => ds.join(''))
    .filter((s) => nhsNumberCheckDigit(s) !== undefined)
    .map((s) => `${s}${nhsNumberCheckDigit(s)}`);

  it('finds every single mistyped digit (property)', () => {
    fc.assert(
      fc.property(
        validNumber,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (n, pos, delta) => {
          const digits = n.split('').map(Number);
          digits[pos] = ((digits[pos] ?? 0) + delta) % 10;
          assert.equal(checkNhsNumber(digits.join('')).ok, false);
        },
      ),
    );
  });

  it('finds every swap of two different neighbouring digits (property)', () => {
    fc.assert(
      fc.property(validNumber, fc.integer({ min: 0, max: 8 }), (n, pos) => {
        fc.pre(n[pos] !== n[pos + 1]);
        const d = n.split('');
        [d[pos], d[pos + 1]] = [d[pos + 1] ?? '', d[pos] ?? ''];
        assert.equal(checkNhsNumber(d.join('')).ok, false);
      }),
    );
  });
});
