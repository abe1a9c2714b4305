// The one date-time style of messages the services and the domain write (uk-date-time.ts), the
// same formatter the pages' dateTime filter is made from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDateAndTime, formatDateTime } from './uk-date-time.ts';

describe('formatDateTime: an instant in the service’s zone', () => {
  const cases = [
    ['2026-03-07T14:05:00.000Z', '7 March 2026, 14:05'], // GMT
    ['2026-07-07T14:05:00.000Z', '7 July 2026, 15:05'], // BST
    ['2026-10-25T00:30:00.000Z', '25 October 2026, 01:30'], // still BST: the change is at 01:00 UTC
    ['2026-12-31T23:59:00.000Z', '31 December 2026, 23:59'],
    ['not a time', 'not a time'], // shown as it is, never hidden
  ] as const;
  for (const [iso, expected] of cases) {
    it(`${iso} → ${expected}`, () => {
      assert.equal(formatDateTime(iso, 'Europe/London'), expected);
    });
  }
});

describe('formatDateAndTime: a calendar date and a local clock time', () => {
  it('7 March 2026, 14:05, never moved by a zone', () => {
    assert.equal(formatDateAndTime('2026-03-07', '14:05'), '7 March 2026, 14:05');
    assert.equal(formatDateAndTime('2026-07-01', '09:30'), '1 July 2026, 09:30');
  });
});
