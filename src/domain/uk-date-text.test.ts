import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { localDaysAsUtc, parseUkDateText, ukDateText } from './uk-date-text.ts';

describe('dates as people in the UK type them', () => {
  it('reads day-first dates and refuses what is not a real date', () => {
    const examples: [string, string | null][] = [
      ['7 March 2026', '2026-03-07'],
      ['  7  march 2026 ', '2026-03-07'],
      ['7 Mar 2026', '2026-03-07'],
      ['7th March, 2026', '2026-03-07'],
      ['07/03/2026', '2026-03-07'],
      ['7/3/2026', '2026-03-07'],
      ['7.3.2026', '2026-03-07'],
      ['07-03-2026', '2026-03-07'],
      ['2026-03-07', '2026-03-07'],
      ['29/02/2028', '2028-02-29'],
      ['29/02/2026', null],
      ['31 April 2026', null],
      ['13/13/2026', null],
      ['07/03/26', null],
      ['7 Ma 2026', null],
      ['7 Marchember 2026', null],
      ['', null],
      ['yesterday', null],
    ];
    for (const [text, expected] of examples) {
      assert.equal(parseUkDateText(text), expected, text);
    }
    assert.equal(ukDateText('2026-03-07' as PlainDate), '7 March 2026');
  });

  it('gives the UTC bounds of local days, British Summer Time included', () => {
    const d = (s: string) => s as PlainDate;
    const examples: [string, string, { from: string; to: string }][] = [
      // Winter: local time is UTC.
      ['2026-01-15', '2026-01-15', { from: '2026-01-15T00:00:00.000Z', to: '2026-01-15T23:59:59.999Z' }],
      // Summer: a local day runs 23:00 UTC to 22:59:59.999 UTC.
      ['2026-07-01', '2026-07-02', { from: '2026-06-30T23:00:00.000Z', to: '2026-07-02T22:59:59.999Z' }],
      // Clocks go forward on 29 March 2026 (a 23-hour day) and back on 25 October 2026 (25 hours).
      ['2026-03-29', '2026-03-29', { from: '2026-03-29T00:00:00.000Z', to: '2026-03-29T22:59:59.999Z' }],
      ['2026-10-25', '2026-10-25', { from: '2026-10-24T23:00:00.000Z', to: '2026-10-25T23:59:59.999Z' }],
      // Across the new year.
      ['2026-12-31', '2026-12-31', { from: '2026-12-31T00:00:00.000Z', to: '2026-12-31T23:59:59.999Z' }],
    ];
    for (const [from, to, expected] of examples) {
      assert.deepEqual(localDaysAsUtc(d(from), d(to), 'Europe/London'), expected, `${from}..${to}`);
    }
    assert.deepEqual(localDaysAsUtc(null, null, 'Europe/London'), {});
    assert.deepEqual(localDaysAsUtc(d('2026-07-01'), null, 'UTC'), { from: '2026-07-01T00:00:00.000Z' });
  });
});
