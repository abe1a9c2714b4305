import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { localInstant, nextDay } from './fhir-values.ts';

const LONDON = 'Europe/London';

/** The wall-clock date and time of an instant in a zone, as "YYYY-MM-DD HH:MM". */
function wallClock(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

describe('FHIR instants for local times', () => {
  const examples: [string, string, string][] = [
    ['2026-07-01', '09:30', '2026-07-01T09:30:00+01:00'],
    ['2026-01-15', '00:00', '2026-01-15T00:00:00+00:00'],
    // The day the clocks go back: 00:30 is still summer time.
    ['2026-10-25', '00:30', '2026-10-25T00:30:00+01:00'],
    ['2026-10-25', '12:00', '2026-10-25T12:00:00+00:00'],
    ['2026-03-29', '12:00', '2026-03-29T12:00:00+01:00'],
  ];
  for (const [date, time, expected] of examples) {
    it(`${date} ${time} in London is ${expected}`, () => {
      assert.equal(localInstant(date, time, LONDON), expected);
    });
  }

  it('always names the same wall-clock time in the zone, on any day without a clock change', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2060-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(LONDON, 'UTC', 'America/New_York', 'Australia/Adelaide'),
        (d, h, m, zone) => {
          const date = d.toISOString().slice(0, 10);
          const offset = (day: string) => localInstant(day, '00:00', zone).slice(-6);
          // Clock-change days are the worked examples above (a skipped local time does not exist).
          fc.pre(offset(date) === offset(nextDay(date)));
          const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          assert.equal(wallClock(localInstant(date, time, zone), zone), `${date} ${time}`);
        },
      ),
    );
  });

  it('nextDay crosses months, years and leap days', () => {
    assert.equal(nextDay('2026-01-31'), '2026-02-01');
    assert.equal(nextDay('2026-12-31'), '2027-01-01');
    assert.equal(nextDay('2028-02-28'), '2028-02-29');
    assert.equal(nextDay('2027-02-28'), '2027-03-01');
  });
});
