import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { validateAppointmentInput, validateCancelInput, validateOutcomeInput } from './appointment.ts';

const context = { receivedOn: '2026-11-02' as PlainDate, today: '2026-11-25' as PlainDate };
const valid = {
  date: '2026-12-01',
  time: '09:30',
  clinic: 'Spasticity clinic, Chapel Allerton',
  clinician: 'Dr Jones',
};

function fields(change: Record<string, unknown>): Record<string, string> {
  const result = validateAppointmentInput({ ...valid, ...change }, context);
  return result.ok ? {} : Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

describe('appointment booking', () => {
  const cases: [string, Record<string, unknown>, string | null, RegExp | null][] = [
    ['a valid booking', {}, null, null],
    ['on the day the referral arrived', { date: '2026-11-02' }, null, null],
    ['before the referral was received', { date: '2026-11-01' }, 'date', /on or after .* 2 November 2026/],
    ['more than a year ahead', { date: '2027-12-01' }, 'date', /within the next year/],
    ['not a date', { date: '2026-13-01' }, 'date', /real date/],
    ['12-hour time', { time: '9.30am' }, 'time', /24-hour/],
    ['time 24:00', { time: '24:00' }, 'time', /24-hour/],
    ['no clinic', { clinic: '' }, 'clinic', /Enter the clinic/],
    ['no clinician', { clinician: undefined }, 'clinician', /Enter the clinician/],
  ];
  for (const [name, change, field, message] of cases) {
    it(name, () => {
      const errors = fields(change);
      if (field === null) {
        assert.deepEqual(errors, {});
      } else {
        assert.match(errors[field] ?? '(none)', message ?? /./);
      }
    });
  }

  it('cancellation needs one of the three reasons', () => {
    assert.equal(validateCancelInput({ cancelReason: 'did-not-attend' }).ok, true);
    const bad = validateCancelInput({ cancelReason: 'weather' });
    assert.ok(!bad.ok);
    assert.equal(bad.errors[0]?.field, 'cancelReason');
  });

  it('an outcome needs words', () => {
    assert.equal(validateOutcomeInput({ outcomeNote: 'Seen; for assessment' }).ok, true);
    assert.equal(validateOutcomeInput({ outcomeNote: '' }).ok, false);
  });
});
