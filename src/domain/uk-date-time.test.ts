import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ukDateTimeFormatter, ukDateTimeText } from './uk-date-time.ts';

describe('ukDateTimeText: one date-time style for messages', () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    // [instant, zone, shown]
    ['2026-03-07T14:05:00.000Z', 'Europe/London', '7 March 2026, 14:05'],
    // British Summer Time: an hour ahead of UTC.
    ['2026-07-07T14:05:00Z', 'Europe/London', '7 July 2026, 15:05'],
    // Late evening UTC in summer is the next day in London.
    ['2026-06-30T23:30:00Z', 'Europe/London', '1 July 2026, 00:30'],
    ['2026-01-02T09:00:00Z', 'UTC', '2 January 2026, 09:00'],
    ['not a time', 'Europe/London', 'not a time'],
  ];
  for (const [iso, zone, shown] of cases) {
    it(`${iso} in ${zone} reads "${shown}"`, () => {
      assert.equal(ukDateTimeText(iso, zone), shown);
    });
  }

  it('the formatter gives the same text as the one-off function', () => {
    const f = ukDateTimeFormatter('Europe/London');
    assert.equal(
      f(new Date('2026-12-07T08:00:00Z')),
      ukDateTimeText('2026-12-07T08:00:00Z', 'Europe/London'),
    );
  });
});
