import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatAmount, listAmounts, unitSlip, usualDoseWarning } from './dose-range.ts';
import { DEFAULT_PUMP_RULES } from './pump-rules.ts';
import { doseErrors } from './refill-arithmetic.ts';

const range = DEFAULT_PUMP_RULES.usualRange;
const hard = DEFAULT_PUMP_RULES.hardLimits;

/** The two bands on a daily dose, as a prescription or `itb calc` checks them. */
function bands(dose: number) {
  return {
    errors: doseErrors('doseMcgPerDay', 'Daily dose', dose, hard, 'mcg/day'),
    warning: usualDoseWarning('doseMcgPerDay', 'Daily dose', dose, range),
  };
}

describe('a daily dose against its two bands (hard 1–3000, usual 12–2000 mcg/day)', () => {
  const table: [dose: number, outcome: 'refused' | 'warned' | 'usual', didYouMean: number | undefined][] = [
    // Below the hard minimum: mg typed for mcg, refused.
    [0.4, 'refused', undefined],
    [0.99, 'refused', undefined],
    // 1.5 × 1000 = 1,500: inside 12–2,000, so milligrams.
    [1.5, 'warned', 1500],
    // 2 × 1000 = 2,000, the top of the range, inclusive.
    [2, 'warned', 2000],
    // 4.17 × 1000 = 4,170 is too much; 4.17 × 24 = 100.08: the hourly rate of worked example 7.
    [4.17, 'warned', 100.08],
    // 1 × 1000 = 1,000: the hard minimum itself is a warning.
    [1, 'warned', 1000],
    // 11.99 × 24 = 287.76.
    [11.99, 'warned', 287.76],
    [12, 'usual', undefined],
    [400, 'usual', undefined],
    [2000, 'usual', undefined],
    // Above the usual range: a warning, no slip makes it smaller.
    [2000.01, 'warned', undefined],
    [2500, 'warned', undefined],
    [3000, 'warned', undefined],
    // Above the hard maximum: refused.
    [3001, 'refused', undefined],
  ];
  for (const [dose, outcome, didYouMean] of table) {
    it(`${dose} mcg/day: ${outcome}${didYouMean === undefined ? '' : `, did you mean ${didYouMean}`}`, () => {
      const { errors, warning } = bands(dose);
      assert.equal(errors.length > 0, outcome === 'refused');
      if (outcome !== 'refused') {
        assert.equal(warning !== null, outcome === 'warned');
        assert.equal(warning?.didYouMean, didYouMean);
      }
    });
  }

  it('says what 1.5 would be, and names the field and the code', () => {
    assert.deepEqual(bands(1.5).warning, {
      code: 'DOSE_OUTSIDE_USUAL_RANGE',
      field: 'doseMcgPerDay',
      message:
        'Daily dose: 1.5 mcg/day is below the usual 12–2,000 mcg/day: did you mean 1,500 mcg/day (1.5 mg)?',
      didYouMean: 1500,
    });
    assert.match(
      bands(4.17).warning?.message ?? '',
      /did you mean 100\.08 mcg\/day \(4\.17 mcg an hour for 24 hours\)\?/,
    );
    assert.equal(
      bands(2500).warning?.message,
      'Daily dose: 2,500 mcg/day is above the usual 12–2,000 mcg/day: check the dose and its unit',
    );
  });

  it('keeps the "looks like milligrams … did you mean 400 mcg/day?" wording below the hard minimum', () => {
    assert.match(
      bands(0.4).errors[0]?.message ?? '',
      /^Daily dose must be in micrograms \(mcg\), at least 1: 0\.4 looks like milligrams \(0\.4 mg is 400 mcg\): did you mean 400 mcg\/day\?$/,
    );
    // Without a unit (a bolus, a test dose) the old wording is unchanged.
    assert.doesNotMatch(
      doseErrors('bolus.doseMcg', 'Bolus dose', 0.4, hard)[0]?.message ?? '',
      /did you mean/,
    );
  });

  it('takes the range from configuration', () => {
    const narrow = { minDoseMcgPerDay: 50, maxDoseMcgPerDay: 800 };
    assert.equal(usualDoseWarning('d', 'Daily dose', 40, narrow)?.didYouMean, undefined);
    // 40 × 1000 = 40,000 no; 40 × 24 = 960 no: below, with no suggestion.
    assert.match(
      usualDoseWarning('d', 'Daily dose', 40, narrow)?.message ?? '',
      /below the usual 50–800 mcg\/day: check/,
    );
    assert.equal(usualDoseWarning('d', 'Daily dose', 30, narrow)?.didYouMean, 720);
  });

  it('formats amounts with thousands and lists strengths with "or"', () => {
    assert.equal(formatAmount(1500), '1,500');
    assert.equal(formatAmount(100.08), '100.08');
    assert.equal(listAmounts([500, 1000, 2000]), '500, 1,000 or 2,000');
    assert.equal(listAmounts([500]), '500');
  });
});

describe('usual range: properties', () => {
  it('a warning exactly when the dose is outside the range; a suggestion always lands inside it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 300_000 }), (hundredths) => {
        const dose = hundredths / 100;
        const warning = usualDoseWarning('d', 'Daily dose', dose, range);
        const outside =
          hundredths < range.minDoseMcgPerDay * 100 || hundredths > range.maxDoseMcgPerDay * 100;
        assert.equal(warning !== null, outside);
        const slip = unitSlip(dose, range);
        if (slip) {
          assert.ok(slip.value >= range.minDoseMcgPerDay && slip.value <= range.maxDoseMcgPerDay);
          // × 1000 when that fits, else × 24, to 0.01.
          const expected =
            hundredths * 10 <= range.maxDoseMcgPerDay ? hundredths * 10 : (hundredths * 24) / 100;
          assert.equal(slip.value, Math.round(expected * 100) / 100);
          assert.equal(warning?.didYouMean, slip.value);
        }
        // Only a dose below the range is read as a unit slip.
        assert.equal(slip !== null, hundredths < range.minDoseMcgPerDay * 100);
      }),
      { numRuns: 2000 },
    );
  });
});
