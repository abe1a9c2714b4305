import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatPlainDate,
  parsePlainDate,
  plainDateFromParts,
  wholeYearsBetween,
  type PlainDate,
} from './calendar-date.ts';

describe('calendar dates', () => {
  const parse: [string, string | null][] = [
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', null],
    ['1900-02-29', null],
    ['2000-02-29', '2000-02-29'],
    ['2026-04-31', null],
    ['2026-13-01', null],
    ['2026-1-1', null],
    ['not a date', null],
  ];
  for (const [input, expected] of parse) {
    it(`reads ${input} as ${String(expected)}`, () => {
      assert.equal(parsePlainDate(input), expected);
    });
  }

  it('builds a date from the three boxes', () => {
    assert.equal(plainDateFromParts('5', '3', '1984'), '1984-03-05');
    assert.equal(plainDateFromParts('31', '2', '1984'), null);
    assert.equal(plainDateFromParts('5', '3', '84'), null);
    assert.equal(plainDateFromParts('', '3', '1984'), null);
  });

  it('counts whole years, with a 29 February birthday', () => {
    const d = (s: string) => s as PlainDate;
    assert.equal(wholeYearsBetween(d('2000-02-29'), d('2026-02-28')), 25);
    assert.equal(wholeYearsBetween(d('2000-02-29'), d('2026-03-01')), 26);
    assert.equal(wholeYearsBetween(d('1961-03-14'), d('2026-03-14')), 65);
    assert.equal(wholeYearsBetween(d('1961-03-14'), d('2026-03-13')), 64);
  });

  it('shows dates in the NHS style', () => {
    assert.equal(formatPlainDate('1961-03-04'), '4 March 1961');
  });
});
